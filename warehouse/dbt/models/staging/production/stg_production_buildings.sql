select
    id as building_id,
    housing_count,
    vacant_housing_count,
    rent_housing_count,
    rnb_id,
    rnb_id_score,
    rnb_footprint,
    dpe_id,
    upper(class_dpe) as energy_class,
    upper(class_ges) as ges_class,
    dpe_date_at as dpe_date,
    dpe_type,
    heating_building as heating_kind,
    dpe_import_match as dpe_match_key
from {{ source('production', 'buildings') }}
