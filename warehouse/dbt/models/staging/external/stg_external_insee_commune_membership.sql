-- Which EPCI, département and région each commune belongs to (INSEE, 2025).
select
    {{ file_text('CODGEO') }} as commune_code,
    {{ file_text('LIBGEO') }} as commune_name,
    {{ file_text('DEP') }} as department_code,
    {{ file_text('REG') }} as region_code,
    {{ file_text('EPCI') }} as epci_code,
    {{ file_text('NATURE_EPCI') }} as epci_kind,
    2025 as membership_year
from {{ source('external', 'insee_table_appartenance_geo_communes_2025') }}
where {{ file_text('CODGEO') }} is not null
