-- The land files' buildings (2024) with their housing and vacant housing counts.
select
    2024 as ff_year,
    {{ file_text('idbat') }} as building_id,
    {{ file_text('idcom') }} as commune_code,
    {{ file_integer('nlogh') }} as housing_count,
    {{ file_integer('nloghvac') }} as vacant_housing_count
from {{ source('ff', 'ff_2024_buildings') }}
