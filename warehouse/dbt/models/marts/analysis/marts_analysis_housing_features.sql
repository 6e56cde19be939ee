-- A model-ready table to study exits from vacancy: one row per housing listed as vacant in LOVAC N (whose
-- next millésime is loaded), its numeric and categorical features on 1 January N, and the label: did it
-- leave vacancy by 1 January N+1. No personal data: the housing is known only by a keyed pseudonym (to keep
-- a housing's years together when splitting train and test sets), the owner by an age band and a few flags.
-- The pseudonym's key comes through the pre-hook of macros/privacy.sql, never in the compiled SQL.
{{ config(pre_hook="{{ pii_key_hook() }}", post_hook="{{ pii_key_reset() }}") }}

with housing_out as (
    select * from {{ ref('int_analysis_housing_out') }}
),

lovac as (
    select * from {{ ref('stg_lovac_all') }}
),

earlier_years as (
    select
        housing_out.local_id,
        housing_out.lovac_year,
        count(earlier.lovac_year) as lovac_years_before
    from housing_out
    left join lovac as earlier
        on earlier.local_id = housing_out.local_id
        and earlier.lovac_year < housing_out.lovac_year
    group by housing_out.local_id, housing_out.lovac_year
),

commune_stock as (
    select commune_code, lovac_year, count(*) as commune_vacant_housing_count
    from lovac
    where is_vacant
    group by commune_code, lovac_year
),

buildings as (
    select building_id, housing_count, vacant_housing_count
    from {{ ref('stg_ff_buildings') }}
),

tlv as (
    select commune_code, tlv_zoning from {{ ref('stg_external_dgfip_tlv_communes') }}
),

zoning as (
    select commune_code, zone_abc from {{ ref('stg_external_dgaln_zoning_abc') }}
),

communes as (
    select commune_code, population from {{ ref('stg_admin_communes') }}
)

select
    {{ pseudonymise('housing_out.local_id') }} as housing_key,
    housing_out.lovac_year,
    housing_out.commune_code,
    housing_out.department_code,
    -- the housing
    lovac.housing_kind,
    case lovac.housing_kind when 'APPART' then 1 when 'MAISON' then 0 end as is_apartment,
    lovac.living_area,
    lovac.rooms_count,
    housing_out.lovac_year - lovac.building_year as building_age,
    lovac.cadastral_classification,
    lovac.rental_value,
    {{ rounded_ratio('lovac.rental_value', 'nullif(lovac.living_area, 0)', 2) }} as rental_value_per_m2,
    buildings.housing_count as building_housing_count,
    buildings.vacant_housing_count as building_vacant_housing_count,
    -- its vacancy
    housing_out.vacancy_duration_years,
    earlier_years.lovac_years_before,
    earlier_years.lovac_years_before = 0 as is_new_in_lovac,
    housing_out.lovac_year - lovac.last_mutation_year as years_since_last_mutation,
    coalesce(housing_out.lovac_year - lovac.last_mutation_year <= 2, false) as has_recent_mutation,
    -- its owners (no name, birth date or address: an age band and flags)
    lovac.owner_count,
    lovac.owner_group,
    lovac.main_owner_legal_category,
    case
        when lovac.main_owner_age is null then null
        when lovac.main_owner_age < 40 then 'under_40'
        when lovac.main_owner_age < 60 then '40_59'
        when lovac.main_owner_age < 75 then '60_74'
        else '75_and_over'
    end as main_owner_age_band,
    lovac.is_main_owner_local,
    -- its commune
    communes.population as commune_population,
    commune_stock.commune_vacant_housing_count,
    zoning.zone_abc,
    coalesce(tlv.tlv_zoning, 'none') as tlv_zoning,
    tlv.commune_code is not null as is_tlv_area,
    -- the programme's action
    housing_out.campaign_count_before,
    housing_out.is_contacted_before,
    -- the label
    housing_out.is_out_of_vacancy,
    cast(housing_out.is_out_of_vacancy as integer) as exit_label
from housing_out
join lovac
    on lovac.local_id = housing_out.local_id
    and lovac.lovac_year = housing_out.lovac_year
join earlier_years
    on earlier_years.local_id = housing_out.local_id
    and earlier_years.lovac_year = housing_out.lovac_year
left join commune_stock
    on commune_stock.commune_code = housing_out.commune_code
    and commune_stock.lovac_year = housing_out.lovac_year
left join buildings
    on buildings.building_id = lovac.building_id
left join tlv
    on tlv.commune_code = housing_out.commune_code
left join zoning
    on zoning.commune_code = housing_out.commune_code
left join communes
    on communes.commune_code = housing_out.commune_code
