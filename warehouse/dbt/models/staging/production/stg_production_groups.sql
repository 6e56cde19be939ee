-- The description (free text) is left out.
select
    id as group_id,
    title as group_title,
    establishment_id,
    user_id as created_by_user_id,
    created_at,
    exported_at,
    archived_at,
    housing_count as app_housing_count,
    owner_count as app_owner_count
from {{ source('production', 'groups') }}
