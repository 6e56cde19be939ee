-- One row per campaign (campagne): its establishment, its dates, how many housings it reaches and what followed
-- its sending. A return is a status change of one of its housings to Premier contact (2) or beyond after the
-- sending; the return rate counts those within three months, over the housings of the campaign.
with outcomes as (
    select
        campaign_id,
        count(*) filter (where has_returned) as returned_housing_count,
        count(*) filter (where has_returned_within_3_months) as returned_within_3_months_housing_count,
        count(*) filter (where has_exited_vacancy_after_sending) as exited_vacancy_housing_count
    from {{ ref('int_production_campaign_housing_outcomes') }}
    group by campaign_id
),

vacant as (
    select
        links.campaign_id,
        count(*) filter (where housing.occupancy = 'V') as vacant_housing_count
    from {{ ref('stg_production_campaigns_housing') }} as links
    inner join {{ ref('stg_production_housing') }} as housing using (housing_id)
    group by links.campaign_id
),

campaigns as (
    select
        *,
        -- The establishment's campaigns in the order they were sent, and the next one.
        case when sent_at is not null then row_number() over (
            partition by establishment_id, sent_at is not null order by sent_at, campaign_id) end as sent_campaign_number,
        case when sent_at is not null then lead(sent_at) over (
            partition by establishment_id, sent_at is not null order by sent_at, campaign_id) end as next_campaign_sent_at
    from {{ ref('stg_production_campaigns') }}
)

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
    {{ paris_month('campaigns.sent_at') }} as sent_month,
    campaigns.sent_at is not null as is_sent,
    coalesce(reach.housing_count, 0) as housing_count,
    coalesce(reach.commune_count, 0) as commune_count,
    {{ paris_month('campaigns.created_at') }} as created_month,
    campaigns.validated_at,
    campaigns.exported_at,
    campaigns.confirmed_at,
    campaigns.archived_at,
    campaigns.archived_at is not null or campaigns.campaign_status = 'archived' as is_archived,
    campaigns.group_id,
    campaigns.group_id is not null as is_from_group,
    case when campaigns.sent_at is not null
        then {{ dbt.datediff('campaigns.created_at', 'campaigns.sent_at', 'day') }} end as days_from_creation_to_sending,
    campaigns.sent_campaign_number,
    campaigns.next_campaign_sent_at,
    coalesce(vacant.vacant_housing_count, 0) as vacant_housing_count,
    campaigns.app_owner_count as owner_count,
    coalesce(outcomes.returned_housing_count, 0) as returned_housing_count,
    coalesce(outcomes.returned_within_3_months_housing_count, 0) as returned_within_3_months_housing_count,
    case when campaigns.sent_at is not null and reach.housing_count > 0
        then cast(coalesce(outcomes.returned_within_3_months_housing_count, 0) as {{ dbt.type_float() }})
            / reach.housing_count end
        as return_rate_3_months,
    coalesce(outcomes.exited_vacancy_housing_count, 0) as exited_vacancy_housing_count,
    campaigns.app_return_count,
    campaigns.app_return_rate
from campaigns
left join {{ ref('stg_production_establishments') }} as establishments using (establishment_id)
left join {{ ref('int_production_campaign_reach') }} as reach using (campaign_id)
left join vacant using (campaign_id)
left join outcomes using (campaign_id)
