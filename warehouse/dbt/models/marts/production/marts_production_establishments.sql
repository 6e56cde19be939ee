with users as (
    select
        establishment_id,
        count(*) filter (where deleted_at is null) as user_count,
        count(*) filter (where activated_at is not null and deleted_at is null) as active_user_count,
        max(last_authenticated_at) as last_authenticated_at
    from {{ ref('stg_production_users') }}
    group by establishment_id
),

campaigns as (
    select
        establishment_id,
        count(*) as campaign_count,
        count(*) filter (where is_sent) as sent_campaign_count,
        sum(housing_count) as contacted_housing_count,
        min(sent_at) as first_campaign_sent_at
    from {{ ref('marts_production_campaigns') }}
    group by establishment_id
)

select
    establishments.establishment_id,
    establishments.establishment_name,
    establishments.siren,
    establishments.establishment_kind,
    establishments.department_code,
    establishments.department_name,
    establishments.region_code,
    establishments.region_name,
    establishments.is_available,
    coalesce(users.user_count, 0) as user_count,
    coalesce(users.active_user_count, 0) as active_user_count,
    users.last_authenticated_at,
    coalesce(campaigns.campaign_count, 0) as campaign_count,
    coalesce(campaigns.sent_campaign_count, 0) as sent_campaign_count,
    coalesce(campaigns.contacted_housing_count, 0) as contacted_housing_count,
    campaigns.first_campaign_sent_at
from {{ ref('stg_production_establishments') }} as establishments
left join users using (establishment_id)
left join campaigns using (establishment_id)
where establishments.deleted_at is null
