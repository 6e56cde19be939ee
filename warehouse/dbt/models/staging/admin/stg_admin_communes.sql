-- Communes of the administrative cuts (geo.api.gouv.fr), with their EPCI, département and région.
select
    {{ file_text('code') }} as commune_code,
    {{ file_text('nom') }} as commune_name,
    {{ file_text('code_epci') }} as epci_code,
    {{ file_text('code_departement') }} as department_code,
    {{ file_text('code_region') }} as region_code,
    {{ file_integer('population') }} as population,
    {{ file_text('codes_postaux') }} as postal_codes
from {{ source('external', 'communes') }}
