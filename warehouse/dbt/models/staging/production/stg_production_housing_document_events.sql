select
    event_id,
    housing_id,
    housing_geo_code as commune_code,
    document_id
from {{ source('production', 'housing_document_events') }}
