-- One row per change of a housing's follow-up status or occupancy made in the application, with its author's
-- kind and establishment. No free text: notes and the events' raw values stay out.
with status_changes as (
    select
        event_id,
        housing_id,
        'status' as change_kind,
        event_type,
        changed_at,
        changed_month,
        created_by_user_id,
        author_user_type,
        author_establishment_id,
        commune_code,
        previous_status,
        new_status,
        previous_sub_status,
        new_sub_status,
        cast(null as varchar) as previous_occupancy,
        cast(null as varchar) as new_occupancy,
        is_exit_from_vacancy,
        is_first_exit_from_vacancy,
        false as is_vacancy_ended,
        is_last_change
    from {{ ref('int_production_events_status_changes') }}
),

occupancy_changes as (
    select
        event_id,
        housing_id,
        'occupancy' as change_kind,
        event_type,
        changed_at,
        changed_month,
        created_by_user_id,
        author_user_type,
        author_establishment_id,
        commune_code,
        cast(null as integer) as previous_status,
        cast(null as integer) as new_status,
        cast(null as varchar) as previous_sub_status,
        cast(null as varchar) as new_sub_status,
        previous_occupancy,
        new_occupancy,
        false as is_exit_from_vacancy,
        false as is_first_exit_from_vacancy,
        is_vacancy_ended,
        is_last_change
    from {{ ref('int_production_events_occupancy_changes') }}
),

changes as (
    select * from status_changes
    union all
    select * from occupancy_changes
)

select
    changes.event_id,
    changes.housing_id,
    changes.change_kind,
    changes.event_type,
    changes.changed_at,
    {{ paris_date('changes.changed_at') }} as changed_date,
    changes.changed_month,
    changes.created_by_user_id as author_user_id,
    coalesce(changes.author_user_type, 'inconnu') as author_user_type,
    changes.author_establishment_id,
    establishments.establishment_kind as author_establishment_kind,
    changes.commune_code,
    communes.department_code,
    changes.previous_status,
    {{ housing_status_label('changes.previous_status') }} as previous_status_label,
    changes.new_status,
    {{ housing_status_label('changes.new_status') }} as new_status_label,
    changes.previous_sub_status,
    changes.new_sub_status,
    changes.previous_occupancy,
    changes.new_occupancy,
    changes.is_exit_from_vacancy,
    changes.is_first_exit_from_vacancy,
    changes.is_vacancy_ended,
    changes.is_last_change
from changes
left join {{ ref('stg_production_establishments') }} as establishments
    on establishments.establishment_id = changes.author_establishment_id
left join {{ ref('int_production_communes') }} as communes on communes.commune_code = changes.commune_code
