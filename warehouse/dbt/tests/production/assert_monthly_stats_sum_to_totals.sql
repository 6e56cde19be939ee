-- The monthly KPIs that count things happening once add up, over the months, to their totals: the rows
-- returned are the KPIs whose sum differs from the total computed without months.
with sums as (
    select
        sum(new_user_count) as new_user_count,
        sum(campaign_sent_count) as campaign_sent_count,
        sum(housing_contact_count) as housing_contact_count,
        sum(newly_contacted_housing_count) as newly_contacted_housing_count,
        sum(status_change_count) as status_change_count,
        sum(newly_followed_housing_count) as newly_followed_housing_count,
        sum(exit_from_vacancy_count) as exit_from_vacancy_count,
        sum(occupancy_change_count) as occupancy_change_count
    from {{ ref('marts_stats_monthly_global') }}
),

totals as (
    select
        (select count(*) from {{ ref('stg_production_users') }} where activated_at is not null) as new_user_count,
        (select count(*) from {{ ref('stg_production_campaigns') }} where sent_at is not null) as campaign_sent_count,
        (select count(*) from {{ ref('int_production_campaign_housing_outcomes') }}) as housing_contact_count,
        (select count(*) from {{ ref('int_production_housing_campaigns') }} where sent_campaign_count > 0)
            as newly_contacted_housing_count,
        (select count(*) from {{ ref('int_production_events_status_changes') }}) as status_change_count,
        (select count(*) from {{ ref('int_production_housing_last_status') }}) as newly_followed_housing_count,
        (select count(*) from {{ ref('int_production_housing_last_status') }} where has_exited_vacancy)
            as exit_from_vacancy_count,
        (select count(*) from {{ ref('int_production_events_occupancy_changes') }}) as occupancy_change_count
)

select kpi, monthly_sum, total
from (
    select 'new_user_count' as kpi, sums.new_user_count as monthly_sum, totals.new_user_count as total from sums, totals
    union all select 'campaign_sent_count', sums.campaign_sent_count, totals.campaign_sent_count from sums, totals
    union all select 'housing_contact_count', sums.housing_contact_count, totals.housing_contact_count from sums, totals
    union all select 'newly_contacted_housing_count', sums.newly_contacted_housing_count,
        totals.newly_contacted_housing_count from sums, totals
    union all select 'status_change_count', sums.status_change_count, totals.status_change_count from sums, totals
    union all select 'newly_followed_housing_count', sums.newly_followed_housing_count,
        totals.newly_followed_housing_count from sums, totals
    union all select 'exit_from_vacancy_count', sums.exit_from_vacancy_count, totals.exit_from_vacancy_count
        from sums, totals
    union all select 'occupancy_change_count', sums.occupancy_change_count, totals.occupancy_change_count
        from sums, totals
) as kpis
where monthly_sum is distinct from total
