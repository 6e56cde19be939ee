-- One row per housing in at least one campaign: how many campaigns, how many were sent, when.
select
    links.housing_id,
    count(distinct links.campaign_id) as campaign_count,
    count(distinct links.campaign_id) filter (where campaigns.sent_at is not null) as sent_campaign_count,
    count(distinct campaigns.establishment_id) as campaign_establishment_count,
    min(campaigns.sent_at) as first_campaign_sent_at,
    max(campaigns.sent_at) as last_campaign_sent_at,
    {{ value_at_min('links.campaign_id', 'campaigns.sent_at', 'campaigns.sent_at is not null') }} as first_sent_campaign_id,
    {{ value_at_max('links.campaign_id', 'coalesce(campaigns.sent_at, campaigns.created_at)') }} as last_campaign_id
from {{ ref('stg_production_campaigns_housing') }} as links
inner join {{ ref('stg_production_campaigns') }} as campaigns using (campaign_id)
group by links.housing_id
