-- EPCI (inter-municipal bodies) with their communes' population and vacancy figures summed.
with communes as (
    select * from {{ ref('marts_admin_communes') }}
),

by_epci as (
    select
        epci_code,
        count(*) as commune_count,
        cast(sum(population) as bigint) as population,
        cast(sum(census_population) as bigint) as census_population,
        max(census_year) as census_year,
        {{ most_frequent("department_code") }} as department_code,
        {{ most_frequent("region_code") }} as region_code,
        count(*) filter (where is_tlv_area) as tlv_commune_count,
        max(ff_year) as ff_year,
        cast(sum(housing_count) as bigint) as housing_count,
        max(lovac_year) as lovac_year,
        cast(sum(vacant_housing_count) as bigint) as vacant_housing_count,
        cast(sum(long_term_vacant_housing_count) as bigint) as long_term_vacant_housing_count,
        max(exit_lovac_year) as exit_lovac_year,
        cast(sum(exit_count) as bigint) as exit_count
    from communes
    where epci_code is not null
    group by epci_code
),

-- The vacant stock the exits are counted on: the one of the year before the latest LOVAC.
followed as (
    select
        communes.epci_code,
        count(*) as followed_housing_count
    from {{ ref('int_analysis_housing_out') }} as housing_out
    join communes using (commune_code)
    where housing_out.lovac_year = (select max(lovac_year) from {{ ref('int_analysis_housing_out') }})
    group by communes.epci_code
)

select
    epci.epci_code,
    epci.epci_name,
    epci.epci_kind,
    by_epci.department_code,
    by_epci.region_code,
    coalesce(by_epci.commune_count, 0) as commune_count,
    by_epci.population,
    by_epci.census_year,
    by_epci.census_population,
    coalesce(by_epci.tlv_commune_count, 0) as tlv_commune_count,
    by_epci.ff_year,
    coalesce(by_epci.housing_count, 0) as housing_count,
    by_epci.lovac_year,
    coalesce(by_epci.vacant_housing_count, 0) as vacant_housing_count,
    coalesce(by_epci.long_term_vacant_housing_count, 0) as long_term_vacant_housing_count,
    {{ rounded_ratio('by_epci.vacant_housing_count', 'nullif(by_epci.housing_count, 0)', 4) }} as vacancy_rate,
    by_epci.exit_lovac_year,
    coalesce(by_epci.exit_count, 0) as exit_count,
    {{ rounded_ratio('by_epci.exit_count', 'nullif(followed.followed_housing_count, 0)', 4) }} as exit_rate
from {{ ref('stg_admin_epci') }} as epci
left join by_epci using (epci_code)
left join followed using (epci_code)
