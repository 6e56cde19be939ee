-- The advice (free text) is left out.
select
    campaign_id,
    housing_id,
    housing_geo_code as commune_code
from {{ source('production', 'campaigns_housing') }}
