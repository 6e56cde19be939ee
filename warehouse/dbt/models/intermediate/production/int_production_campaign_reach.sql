-- How many housings and communes each campaign reaches.
select
    campaign_id,
    count(*) as housing_count,
    count(distinct commune_code) as commune_count
from {{ ref('stg_production_campaigns_housing') }}
group by campaign_id
