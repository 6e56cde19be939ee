select
    event_id,
    housing_id,
    housing_geo_code as commune_code,
    group_id
from {{ source('production', 'group_housing_events') }}
