select
    campaigns.campaign_id,
    campaigns.campaign_title,
    campaigns.campaign_status,
    campaigns.establishment_id,
    establishments.establishment_name,
    establishments.establishment_kind,
    establishments.department_code,
    campaigns.created_at,
    campaigns.sent_at,
    cast(date_trunc('month', campaigns.sent_at) as date) as sent_month,
    campaigns.sent_at is not null as is_sent,
    coalesce(reach.housing_count, 0) as housing_count,
    coalesce(reach.commune_count, 0) as commune_count
from {{ ref('stg_production_campaigns') }} as campaigns
left join {{ ref('stg_production_establishments') }} as establishments using (establishment_id)
left join {{ ref('int_production_campaign_reach') }} as reach using (campaign_id)
