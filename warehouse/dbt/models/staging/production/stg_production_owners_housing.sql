select
    owner_id,
    housing_id,
    housing_geo_code as commune_code,
    rank as owner_rank,
    rank between 1 and 6 as is_active_owner,
    rank = 1 as is_main_owner,
    start_date as ownership_start_date,
    end_date as ownership_end_date,
    origin,
    idprocpte as owner_account_id,
    idprodroit as property_right_id,
    locprop_source as owner_location_source,
    locprop_relative_ban as owner_location_relative,
    locprop_distance_ban as owner_distance_m,
    property_right
from {{ source('production', 'owners_housing') }}
