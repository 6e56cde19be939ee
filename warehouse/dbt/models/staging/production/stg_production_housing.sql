-- One row per housing. The deprecated columns (data_years, energy_consumption_bdnb, energy_consumption_at_bdnb) are left out.
select
    id as housing_id,
    invariant,
    local_id,
    building_id,
    address_dgfip as address_lines,
    geo_code as commune_code,
    longitude_dgfip as longitude,
    latitude_dgfip as latitude,
    cadastral_classification,
    uncomfortable as is_uncomfortable,
    vacancy_start_year,
    housing_kind,
    rooms_count,
    living_area,
    cadastral_reference,
    building_year,
    mutation_date,
    taxed as is_taxed,
    beneficiary_count,
    building_location,
    rental_value,
    condominium as ownership_kind_code,
    -- The application's three ownership kinds: single owner, co-ownership, other.
    case
        when condominium is null or condominium = 'single' then 'single'
        when condominium in ('co', 'CL', 'CLV', 'CV') then 'co'
        else 'other'
    end as ownership_kind,
    status,
    sub_status,
    upper(actual_dpe) as energy_class,
    occupancy_source,
    occupancy,
    occupancy_intended,
    plot_id,
    building_group_id,
    data_source,
    data_file_years,
    geolocation,
    geolocation_source,
    plot_area,
    last_mutation_date,
    last_transaction_date,
    last_transaction_value,
    occupancy_history,
    last_mutation_type
from {{ source('production', 'housing') }}
