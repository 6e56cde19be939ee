-- One row per event. The JSON before/after values are not kept (an owner's may hold names and addresses):
-- only the fields the models read are taken out of them (statuses, occupancy, campaign and group ids).
select
    id as event_id,
    type as event_type,
    created_at,
    {{ paris_month('created_at') }} as created_month,
    created_by as created_by_user_id,
    next_old ->> 'status' as previous_status_label,
    next_new ->> 'status' as new_status_label,
    {{ housing_status_code("next_old ->> 'status'") }} as previous_status,
    {{ housing_status_code("next_new ->> 'status'") }} as new_status,
    next_old ->> 'subStatus' as previous_sub_status,
    next_new ->> 'subStatus' as new_sub_status,
    next_old ->> 'occupancy' as previous_occupancy,
    next_new ->> 'occupancy' as new_occupancy,
    {{ text_to_uuid("next_new ->> 'campaignId'") }} as campaign_id,
    {{ text_to_uuid("next_new ->> 'groupId'") }} as group_id
from {{ source('production', 'events') }}
