-- One row per housing whose follow-up status was ever changed: the last status and sub-status are the latest
-- status change's (ties on the time broken by the event id), with what the housing went through before.
with changes as (
    select * from {{ ref('int_production_events_status_changes') }}
),

history as (
    select
        housing_id,
        count(*) as status_change_count,
        count(*) filter (where author_user_type = 'zlv') as zlv_status_change_count,
        count(*) filter (where author_user_type = 'user') as user_status_change_count,
        min(changed_at) as first_status_changed_at,
        coalesce(bool_or(new_status = 1), false) as has_reached_waiting,
        coalesce(bool_or(new_status = 2), false) as has_reached_first_contact,
        coalesce(bool_or(new_status = 3), false) as has_reached_in_progress,
        coalesce(bool_or(new_status = 4), false) as has_reached_completed,
        coalesce(bool_or(new_status = 5), false) as has_reached_blocked,
        coalesce(bool_or(is_exit_from_vacancy), false) as has_exited_vacancy,
        min(changed_at) filter (where is_exit_from_vacancy) as exited_vacancy_at,
        {{ value_at_max('new_status', 'changed_at', "author_user_type = 'user'") }} as last_user_status,
        {{ value_at_max('new_status', 'changed_at', "author_user_type = 'zlv'") }} as last_zlv_status
    from changes
    group by housing_id
)

select
    last_change.housing_id,
    last_change.new_status as last_status,
    last_change.new_status_label as last_status_label,
    last_change.new_sub_status as last_sub_status,
    last_change.previous_status as status_before_last_change,
    last_change.changed_at as last_status_changed_at,
    last_change.event_id as last_status_event_id,
    last_change.created_by_user_id as last_status_user_id,
    last_change.author_user_type as last_status_user_type,
    last_change.author_establishment_id as last_status_establishment_id,
    -- The history's columns but its key (written out: PostgreSQL has no "* exclude").
    history.status_change_count,
    history.zlv_status_change_count,
    history.user_status_change_count,
    history.first_status_changed_at,
    history.has_reached_waiting,
    history.has_reached_first_contact,
    history.has_reached_in_progress,
    history.has_reached_completed,
    history.has_reached_blocked,
    history.has_exited_vacancy,
    history.exited_vacancy_at,
    history.last_user_status,
    history.last_zlv_status
from changes as last_change
inner join history using (housing_id)
where last_change.is_last_change
