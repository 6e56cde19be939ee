-- One row per commune known to production (a housing's commune or an establishment's): its territory as the
-- establishments describe it (the commune's own establishment gives its name, the intercommunal one its EPCI,
-- single-département and single-région establishments their names), and which establishments cover it.
-- The one place to swap in the administrative reference (stg_admin_communes) when the warehouse has it.
with coverage as (
    select
        communes.commune_code,
        establishments.*
    from {{ ref('int_production_establishment_communes') }} as communes
    inner join {{ ref('stg_production_establishments') }} as establishments using (establishment_id)
),

all_communes as (
    select distinct commune_code from {{ ref('stg_production_housing') }}
    union
    select distinct commune_code from coverage
),

by_commune as (
    select
        commune_code,
        min(establishment_name) filter (where establishment_kind = 'COM') as commune_name,
        {{ value_at_min('establishment_id', 'establishment_name', "establishment_kind = 'COM'") }}
            as commune_establishment_id,
        {{ value_at_min('cast(siren as varchar)', 'establishment_name',
            "establishment_kind in ('CA', 'CC', 'CU', 'METRO')") }} as epci_code,
        min(establishment_name) filter (where establishment_kind in ('CA', 'CC', 'CU', 'METRO')) as epci_name,
        {{ value_at_min('establishment_kind', 'establishment_name',
            "establishment_kind in ('CA', 'CC', 'CU', 'METRO')") }} as epci_kind,
        {{ value_at_min('establishment_id', 'establishment_name',
            "establishment_kind in ('CA', 'CC', 'CU', 'METRO')") }} as intercommunal_establishment_id,
        {{ value_at_min('department_name', 'establishment_name', list_length('department_code') ~ ' = 1') }}
            as department_name,
        {{ value_at_min('region_code[1]', 'establishment_name', list_length('region_code') ~ ' = 1') }} as region_code,
        {{ value_at_min('region_name', 'establishment_name', list_length('region_code') ~ ' = 1') }} as region_name,
        count(distinct establishment_id) as covering_establishment_count,
        count(distinct establishment_id) filter (where is_available) as available_covering_establishment_count
    from coverage
    group by commune_code
)

select
    all_communes.commune_code,
    by_commune.commune_name,
    -- The département of an INSEE commune code: its two first characters (2A, 2B in Corsica), three overseas.
    case when all_communes.commune_code like '97%' then left(all_communes.commune_code, 3)
        else left(all_communes.commune_code, 2) end as department_code,
    by_commune.department_name,
    by_commune.region_code,
    by_commune.region_name,
    by_commune.epci_code,
    by_commune.epci_name,
    by_commune.epci_kind,
    by_commune.commune_establishment_id,
    by_commune.intercommunal_establishment_id,
    coalesce(by_commune.covering_establishment_count, 0) as covering_establishment_count,
    coalesce(by_commune.available_covering_establishment_count, 0) as available_covering_establishment_count
from all_communes
left join by_commune using (commune_code)
