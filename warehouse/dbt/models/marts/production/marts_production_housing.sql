-- The central fact table: one row per housing, with its building, territory, main owner (pseudonymised),
-- follow-up status and its history, campaigns, groups, establishments and presence in the LOVAC files.
{%- set lovac_years = var('lovac_years') %}

with housing as (
    select * from {{ ref('stg_production_housing') }}
),

main_owners as (
    -- Production allows one rank-1 owner per housing; should a copy ever hold two, the latest owner is kept.
    -- (A window in a subquery rather than DuckDB's qualify, which PostgreSQL does not have: the same rows.)
    select * from (
        select
            *,
            row_number() over (
                partition by housing_id order by ownership_start_date desc nulls last, owner_key
            ) as main_owner_row
        from {{ ref('int_production_housing_owners') }}
        where is_main_owner
    ) as ranked_main_owners
    where main_owner_row = 1
),

owner_counts as (
    select
        housing_id,
        count(*) filter (where is_active_owner) as active_owner_count,
        count(*) filter (where owner_rank = 0) as previous_owner_count
    from {{ ref('int_production_housing_owners') }}
    group by housing_id
)

select
    -- The housing
    housing.housing_id,
    housing.local_id,
    housing.invariant,
    housing.building_id,
    housing.plot_id,
    housing.cadastral_reference,
    housing.longitude,
    housing.latitude,
    housing.geolocation_source,
    housing.housing_kind,
    housing.rooms_count,
    housing.living_area,
    case
        when housing.living_area is null then null
        when housing.living_area < 35 then 'moins de 35 m²'
        when housing.living_area < 75 then '35-74 m²'
        when housing.living_area < 100 then '75-99 m²'
        else '100 m² et plus'
    end as living_area_band,
    housing.building_year,
    case
        when housing.building_year is null then null
        when housing.building_year < 1919 then 'avant 1919'
        when housing.building_year < 1946 then '1919-1945'
        when housing.building_year < 1971 then '1946-1970'
        when housing.building_year < 1991 then '1971-1990'
        when housing.building_year < 2006 then '1991-2005'
        else '2006 et après'
    end as building_period,
    housing.cadastral_classification,
    housing.is_uncomfortable,
    housing.is_taxed,
    housing.rental_value,
    housing.beneficiary_count,
    housing.building_location,
    housing.ownership_kind,
    housing.ownership_kind_code,
    housing.energy_class,
    housing.energy_class in ('F', 'G') as is_energy_sieve,
    housing.plot_area,
    housing.mutation_date,
    housing.last_mutation_date,
    housing.last_mutation_type,
    housing.last_transaction_date,
    housing.last_transaction_value,
    housing.data_source,
    array_to_string(housing.data_file_years, ', ') as data_file_years,
    coalesce({{ list_has('housing.data_file_years', "'ff-2023'") }}, false) as is_in_ff_2023,
    coalesce({{ list_has('housing.data_file_years', "'ff-2024'") }}, false) as is_in_ff_2024,

    -- Vacancy and occupancy
    housing.vacancy_start_year,
    {{ year_of(as_of_date()) }} - housing.vacancy_start_year as vacancy_duration_years,
    case
        when housing.vacancy_start_year is null then null
        when {{ year_of(as_of_date()) }} - housing.vacancy_start_year < 2 then 'moins de 2 ans'
        when {{ year_of(as_of_date()) }} - housing.vacancy_start_year < 5 then '2-4 ans'
        when {{ year_of(as_of_date()) }} - housing.vacancy_start_year < 10 then '5-9 ans'
        else '10 ans et plus'
    end as vacancy_duration_band,
    housing.occupancy,
    {{ occupancy_label('housing.occupancy') }} as occupancy_label,
    housing.occupancy_source,
    housing.occupancy_intended,
    housing.occupancy = 'V' as is_vacant,
    housing.occupancy_history,
    coalesce(activity.occupancy_change_count, 0) as occupancy_change_count,
    activity.last_occupancy_changed_at,
    activity.occupancy_before_last_change,
    coalesce(activity.has_vacancy_ended_in_app, false) as has_vacancy_ended_in_app,

    -- Territory
    housing.commune_code,
    communes.commune_name,
    communes.department_code,
    communes.department_name,
    communes.region_code,
    communes.region_name,
    communes.epci_code,
    communes.epci_name,
    communes.epci_kind,
    communes.commune_establishment_id,
    communes.intercommunal_establishment_id,
    coalesce(communes.covering_establishment_count, 0) as covering_establishment_count,
    coalesce(communes.available_covering_establishment_count, 0) > 0 as is_covered_by_available_establishment,

    -- The building
    buildings.housing_count as building_housing_count,
    buildings.vacant_housing_count as building_vacant_housing_count,
    buildings.rent_housing_count as building_rent_housing_count,
    case when buildings.housing_count > 0
        then least(cast(buildings.vacant_housing_count as double precision) / buildings.housing_count, 1) end
        as building_vacancy_rate,
    buildings.rnb_id as building_rnb_id,
    buildings.energy_class as building_energy_class,
    buildings.ges_class as building_ges_class,
    buildings.dpe_date as building_dpe_date,
    buildings.dpe_type as building_dpe_type,
    buildings.heating_kind as building_heating_kind,

    -- The main owner (rank 1), pseudonymised, and the other owners
    main_owners.owner_key as main_owner_key,
    main_owners.owner_kind as main_owner_kind,
    main_owners.owner_kind_label as main_owner_kind_label,
    main_owners.owner_entity as main_owner_entity,
    main_owners.is_natural_person as main_owner_is_natural_person,
    main_owners.age as main_owner_age,
    main_owners.age_band as main_owner_age_band,
    main_owners.property_right as main_owner_property_right,
    main_owners.ownership_start_date as main_owner_ownership_start_date,
    {{ year_of(as_of_date()) }} - {{ year_of('main_owners.ownership_start_date') }} as main_owner_ownership_years,
    main_owners.owner_department_code as main_owner_department_code,
    main_owners.owner_department_code = communes.department_code as main_owner_lives_in_department,
    main_owners.owner_location_relative as main_owner_location_relative,
    main_owners.owner_distance_m as main_owner_distance_m,
    main_owners.has_email as main_owner_has_email,
    main_owners.has_phone as main_owner_has_phone,
    main_owners.do_not_contact as main_owner_do_not_contact,
    main_owners.is_multi_owner as main_owner_is_multi_owner,
    main_owners.owner_active_housing_count as main_owner_housing_count,
    coalesce(owner_counts.active_owner_count, 0) as active_owner_count,
    coalesce(owner_counts.previous_owner_count, 0) as previous_owner_count,

    -- Follow-up: the current status, and the history of its changes (events)
    housing.status,
    {{ housing_status_label('housing.status') }} as status_label,
    housing.sub_status,
    housing.status <> 0 as is_followed,
    coalesce(last_status.last_status, 0) as last_event_status,
    last_status.last_sub_status as last_event_sub_status,
    last_status.status_before_last_change,
    last_status.last_status_changed_at,
    last_status.last_status_user_type,
    last_status.last_status_establishment_id,
    last_status.last_user_status,
    last_status.last_zlv_status,
    coalesce(last_status.status_change_count, 0) as status_change_count,
    coalesce(last_status.zlv_status_change_count, 0) as zlv_status_change_count,
    coalesce(last_status.user_status_change_count, 0) as user_status_change_count,
    last_status.first_status_changed_at,
    coalesce(last_status.has_reached_waiting, false) as has_reached_waiting,
    coalesce(last_status.has_reached_first_contact, false) as has_reached_first_contact,
    coalesce(last_status.has_reached_in_progress, false) as has_reached_in_progress,
    coalesce(last_status.has_reached_completed, false) as has_reached_completed,
    coalesce(last_status.has_reached_blocked, false) as has_reached_blocked,
    coalesce(last_status.has_exited_vacancy, false) as has_exited_vacancy,
    last_status.exited_vacancy_at,

    -- Campaigns
    coalesce(campaigns.campaign_count, 0) as campaign_count,
    coalesce(campaigns.sent_campaign_count, 0) as sent_campaign_count,
    coalesce(campaigns.campaign_establishment_count, 0) as campaign_establishment_count,
    campaigns.first_campaign_sent_at,
    campaigns.last_campaign_sent_at,
    campaigns.first_sent_campaign_id,
    campaigns.last_campaign_id,

    -- Groups
    coalesce(groups.group_count, 0) as group_count,
    coalesce(groups.active_group_count, 0) as active_group_count,
    groups.first_group_created_at,
    groups.last_group_added_at,

    -- Activity in the application
    coalesce(activity.event_count, 0) as event_count,
    activity.created_in_app_at,
    activity.last_event_at,
    coalesce(activity.note_count, 0) as note_count,
    activity.last_note_at,
    coalesce(activity.document_count, 0) as document_count,

    -- The LOVAC files (yearly vacant-housing files) the housing is in
    lovac.first_lovac_year,
    lovac.last_lovac_year,
    coalesce(lovac.lovac_years_count, 0) as lovac_years_count,
    {%- for year in lovac_years %}
    coalesce(lovac.is_in_lovac_{{ year }}, false) as is_in_lovac_{{ year }},
    {%- endfor %}
    coalesce(lovac.last_lovac_year = {{ lovac_years | sort | last }}, false) as is_in_last_lovac,
    lovac.last_vacancy_start_year as lovac_last_vacancy_start_year
from housing
left join {{ ref('int_production_communes') }} as communes using (commune_code)
left join {{ ref('stg_production_buildings') }} as buildings using (building_id)
left join main_owners using (housing_id)
left join owner_counts using (housing_id)
left join {{ ref('int_production_housing_last_status') }} as last_status using (housing_id)
left join {{ ref('int_production_housing_campaigns') }} as campaigns using (housing_id)
left join {{ ref('int_production_housing_groups') }} as groups using (housing_id)
left join {{ ref('int_production_housing_activity') }} as activity using (housing_id)
left join {{ ref('int_lovac_housing_history') }} as lovac using (local_id)
