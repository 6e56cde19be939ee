-- INSEE's official geographic code 2024: every commune, including the delegated and associated ones.
select
    {{ file_text('COM') }} as commune_code,
    {{ file_text('TYPECOM') }} as commune_kind,
    coalesce({{ file_text('LIBELLE') }}, {{ file_text('NCCENR') }}) as commune_name,
    {{ file_text('DEP') }} as department_code,
    {{ file_text('REG') }} as region_code,
    {{ file_text('ARR') }} as arrondissement_code,
    {{ file_text('CAN') }} as canton_code,
    {{ file_text('COMPARENT') }} as parent_commune_code,
    2024 as cog_year
from {{ source('external', 'insee_cog_2024') }}
