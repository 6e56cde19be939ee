-- One row per housing in at least one group: how many groups (still active: not archived) and when it was
-- last added to one (the group-attached events).
with memberships as (
    select
        links.housing_id,
        count(distinct links.group_id) as group_count,
        count(distinct links.group_id) filter (where groups.archived_at is null) as active_group_count,
        min(groups.created_at) as first_group_created_at
    from {{ ref('stg_production_groups_housing') }} as links
    inner join {{ ref('stg_production_groups') }} as groups using (group_id)
    group by links.housing_id
),

attachments as (
    select
        links.housing_id,
        max(events.created_at) as last_group_added_at
    from {{ ref('stg_production_group_housing_events') }} as links
    inner join {{ ref('stg_production_events') }} as events using (event_id)
    where events.event_type = 'housing:group-attached'
    group by links.housing_id
)

select
    memberships.*,
    attachments.last_group_added_at
from memberships
left join attachments using (housing_id)
