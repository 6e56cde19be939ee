-- Communes with their territory, population, market zoning and vacancy figures: the private housing stock of
-- the latest land files, the vacant stock of the latest LOVAC, and the exits from vacancy between the two
-- latest LOVAC millésimes.
with communes as (
    select * from {{ ref('stg_admin_communes') }}
),

-- The latest census of each commune with its first one (windows in a subquery: PostgreSQL has no qualify).
census as (
    select
        commune_code,
        census_year,
        population,
        first_census_population,
        first_census_year
    from (
        select
            commune_code,
            census_year,
            population,
            first_value(population) over (partition by commune_code order by census_year) as first_census_population,
            first_value(census_year) over (partition by commune_code order by census_year) as first_census_year,
            row_number() over (partition by commune_code order by census_year desc) as latest_rank
        from {{ ref('stg_external_insee_census_population') }}
    ) ranked
    where latest_rank = 1
),

land_files as (
    select
        commune_code,
        ff_year,
        count(*) filter (where housing_kind is not null) as housing_count
    from {{ ref('stg_ff_housings') }}
    where ff_year = (select max(ff_year) from {{ ref('stg_ff_housings') }})
    group by commune_code, ff_year
),

lovac as (
    select * from {{ ref('stg_lovac_all') }}
    where is_vacant and lovac_year = (select max(lovac_year) from {{ ref('stg_lovac_all') }})
),

vacancy as (
    select
        commune_code,
        lovac_year,
        count(*) as vacant_housing_count,
        count(*) filter (where lovac_year - vacancy_start_year >= 2) as long_term_vacant_housing_count
    from lovac
    group by commune_code, lovac_year
),

housing_out as (
    select * from {{ ref('int_analysis_housing_out') }}
    where lovac_year = (select max(lovac_year) from {{ ref('int_analysis_housing_out') }})
),

exits as (
    select
        commune_code,
        lovac_year,
        count(*) as followed_housing_count,
        count(*) filter (where is_out_of_vacancy) as exit_count
    from housing_out
    group by commune_code, lovac_year
),

anah as (
    select
        commune_code,
        cast(sum(aided_housing_count) as bigint) as aided_housing_count,
        cast(sum(aided_vacancy_exit_count) as bigint) as aided_vacancy_exit_count
    from {{ ref('stg_external_anah_housing_aids') }}
    where aid_year = (select max(aid_year) from {{ ref('stg_external_anah_housing_aids') }})
    group by commune_code
)

select
    communes.commune_code,
    communes.commune_name,
    communes.epci_code,
    epci.epci_name,
    communes.department_code,
    departements.department_name,
    communes.region_code,
    regions.region_name,
    communes.population,
    census.census_year,
    census.population as census_population,
    {{ rounded_ratio('100.0 * (census.population - census.first_census_population)',
        'nullif(census.first_census_population, 0)', 2) }} as census_population_change_pct,
    zoning.zone_abc,
    coalesce(tlv.tlv_zoning, 'none') as tlv_zoning,
    tlv.commune_code is not null as is_tlv_area,
    land_files.ff_year,
    coalesce(land_files.housing_count, 0) as housing_count,
    (select max(lovac_year) from {{ ref('stg_lovac_all') }}) as lovac_year,
    coalesce(vacancy.vacant_housing_count, 0) as vacant_housing_count,
    coalesce(vacancy.long_term_vacant_housing_count, 0) as long_term_vacant_housing_count,
    {{ rounded_ratio('vacancy.vacant_housing_count', 'nullif(land_files.housing_count, 0)', 4) }} as vacancy_rate,
    (select max(lovac_year) from housing_out) as exit_lovac_year,
    coalesce(exits.exit_count, 0) as exit_count,
    {{ rounded_ratio('exits.exit_count', 'nullif(exits.followed_housing_count, 0)', 4) }} as exit_rate,
    coalesce(anah.aided_housing_count, 0) as anah_aided_housing_count,
    coalesce(anah.aided_vacancy_exit_count, 0) as anah_aided_vacancy_exit_count
from communes
left join {{ ref('stg_admin_epci') }} as epci
    on epci.epci_code = communes.epci_code
left join {{ ref('stg_admin_departements') }} as departements
    on departements.department_code = communes.department_code
left join {{ ref('stg_admin_regions') }} as regions
    on regions.region_code = communes.region_code
left join census
    on census.commune_code = communes.commune_code
left join {{ ref('stg_external_dgaln_zoning_abc') }} as zoning
    on zoning.commune_code = communes.commune_code
left join {{ ref('stg_external_dgfip_tlv_communes') }} as tlv
    on tlv.commune_code = communes.commune_code
left join land_files
    on land_files.commune_code = communes.commune_code
left join vacancy
    on vacancy.commune_code = communes.commune_code
left join exits
    on exits.commune_code = communes.commune_code
left join anah
    on anah.commune_code = communes.commune_code
