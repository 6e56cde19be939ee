-- A housing's current follow-up status (production's column) is the status of its latest status change (the
-- events). A difference means an event is missing or the status was changed outside the application: a
-- warning to look into, not a broken build.
{{ config(severity='warn') }}

select
    housing.housing_id,
    housing.status,
    housing.sub_status,
    last_status.last_status,
    last_status.last_sub_status
from {{ ref('stg_production_housing') }} as housing
inner join {{ ref('int_production_housing_last_status') }} as last_status using (housing_id)
where housing.status <> last_status.last_status
   or housing.sub_status is distinct from last_status.last_sub_status
