-- The description (free text) is left out; the deprecated columns too.
select
    id as campaign_id,
    title as campaign_title,
    establishment_id,
    user_id as created_by_user_id,
    group_id,
    status as campaign_status,
    created_at,
    validated_at,
    exported_at,
    sent_at,
    confirmed_at,
    archived_at,
    cast(filters as varchar) as campaign_filters,
    file as file_path,
    housing_count as app_housing_count,
    owner_count as app_owner_count,
    return_count as app_return_count,
    return_rate as app_return_rate,
    recovery_id
from {{ source('production', 'campaigns') }}
