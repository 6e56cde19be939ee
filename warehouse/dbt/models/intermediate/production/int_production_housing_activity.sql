-- One row per housing that has events, notes or documents: how much was done on it, and its occupancy changes.
with events as (
    select
        links.housing_id,
        count(*) as event_count,
        min(events.created_at) filter (where events.event_type = 'housing:created') as created_in_app_at,
        max(events.created_at) as last_event_at
    from {{ ref('stg_production_housing_events') }} as links
    inner join {{ ref('stg_production_events') }} as events using (event_id)
    group by links.housing_id
),

occupancy as (
    select
        housing_id,
        count(*) as occupancy_change_count,
        max(changed_at) as last_occupancy_changed_at,
        {{ value_at_max('previous_occupancy', 'changed_at') }} as occupancy_before_last_change,
        coalesce(bool_or(is_vacancy_ended), false) as has_vacancy_ended_in_app
    from {{ ref('int_production_events_occupancy_changes') }}
    group by housing_id
),

notes as (
    select
        links.housing_id,
        count(*) as note_count,
        max(notes.created_at) as last_note_at
    from {{ ref('stg_production_housing_notes') }} as links
    inner join {{ ref('stg_production_notes') }} as notes using (note_id)
    where notes.deleted_at is null
    group by links.housing_id
),

documents as (
    select
        housing_id,
        count(distinct document_id) as document_count
    from {{ ref('stg_production_housing_document_events') }}
    group by housing_id
),

housings as (
    select housing_id from events
    union
    select housing_id from occupancy
    union
    select housing_id from notes
    union
    select housing_id from documents
)

select
    housings.housing_id,
    coalesce(events.event_count, 0) as event_count,
    events.created_in_app_at,
    events.last_event_at,
    coalesce(occupancy.occupancy_change_count, 0) as occupancy_change_count,
    occupancy.last_occupancy_changed_at,
    occupancy.occupancy_before_last_change,
    coalesce(occupancy.has_vacancy_ended_in_app, false) as has_vacancy_ended_in_app,
    coalesce(notes.note_count, 0) as note_count,
    notes.last_note_at,
    coalesce(documents.document_count, 0) as document_count
from housings
left join events using (housing_id)
left join occupancy using (housing_id)
left join notes using (housing_id)
left join documents using (housing_id)
