select
    note_id,
    housing_id,
    housing_geo_code as commune_code
from {{ source('production', 'housing_notes') }}
