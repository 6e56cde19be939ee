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
    archived_at
from {{ source('production', 'campaigns') }}
