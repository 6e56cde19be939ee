-- One row per occupancy change of a housing (an event whose new value carries an occupancy), with its author.
with changes as (
    select
        events.event_id,
        links.housing_id,
        links.commune_code,
        events.event_type,
        events.created_at as changed_at,
        events.created_month as changed_month,
        events.created_by_user_id,
        events.previous_occupancy,
        events.new_occupancy
    from {{ ref('stg_production_events') }} as events
    inner join {{ ref('stg_production_housing_events') }} as links using (event_id)
    where events.event_type like 'housing:%'
      and events.new_occupancy is not null
)

select
    changes.*,
    users.user_type as author_user_type,
    users.establishment_id as author_establishment_id,
    coalesce(changes.previous_occupancy = 'V' and changes.new_occupancy <> 'V', false) as is_vacancy_ended,
    row_number() over (partition by changes.housing_id order by changes.changed_at desc, changes.event_id desc) = 1
        as is_last_change
from changes
left join {{ ref('int_production_users') }} as users on users.user_id = changes.created_by_user_id
