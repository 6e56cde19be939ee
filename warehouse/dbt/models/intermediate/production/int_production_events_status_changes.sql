-- One row per follow-up status change of a housing (an event whose new value carries a status), with its author
-- and the order of the changes of that housing. A housing leaves vacancy, for the programme, when it reaches
-- the sub-status 'Sortie de la vacance' (status 4, Suivi terminé).
-- Changes made at the same instant (bulk updates) are ordered by their chain: a change whose new status is the
-- previous status of another change at that instant comes before it; then by event id.
with changes as (
    select
        events.event_id,
        links.housing_id,
        links.commune_code,
        events.event_type,
        events.created_at as changed_at,
        events.created_month as changed_month,
        events.created_by_user_id,
        events.previous_status,
        events.previous_status_label,
        events.previous_sub_status,
        events.new_status,
        events.new_status_label,
        events.new_sub_status
    from {{ ref('stg_production_events') }} as events
    inner join {{ ref('stg_production_housing_events') }} as links using (event_id)
    where events.event_type like 'housing:%'
      and events.new_status_label is not null
),

chained as (
    -- The changes followed, at the same instant, by a change that starts from their new status.
    select distinct earlier.event_id, earlier.housing_id
    from changes as earlier
    inner join changes as later
        on later.housing_id = earlier.housing_id
        and later.changed_at = earlier.changed_at
        and later.event_id <> earlier.event_id
        and later.previous_status = earlier.new_status
        and later.new_status is distinct from later.previous_status
),

numbered as (
    select
        changes.*,
        users.user_type as author_user_type,
        users.establishment_id as author_establishment_id,
        coalesce(changes.new_status = 4 and changes.new_sub_status = {{ exit_from_vacancy_sub_status() }}, false)
            as is_exit_from_vacancy,
        row_number() over (
            partition by changes.housing_id
            order by changes.changed_at, chained.event_id is null, changes.event_id
        ) as change_number,
        row_number() over (
            partition by changes.housing_id
            order by changes.changed_at desc, chained.event_id is null desc, changes.event_id desc
        ) as change_number_from_last
    from changes
    left join chained on chained.event_id = changes.event_id and chained.housing_id = changes.housing_id
    left join {{ ref('int_production_users') }} as users on users.user_id = changes.created_by_user_id
)

select
    -- Every column but change_number_from_last (written out: PostgreSQL has no "* exclude").
    numbered.event_id,
    numbered.housing_id,
    numbered.commune_code,
    numbered.event_type,
    numbered.changed_at,
    numbered.changed_month,
    numbered.created_by_user_id,
    numbered.previous_status,
    numbered.previous_status_label,
    numbered.previous_sub_status,
    numbered.new_status,
    numbered.new_status_label,
    numbered.new_sub_status,
    numbered.author_user_type,
    numbered.author_establishment_id,
    numbered.is_exit_from_vacancy,
    numbered.change_number,
    change_number_from_last = 1 as is_last_change,
    is_exit_from_vacancy
        and row_number() over (
            partition by housing_id, is_exit_from_vacancy order by change_number
        ) = 1 as is_first_exit_from_vacancy
from numbered
