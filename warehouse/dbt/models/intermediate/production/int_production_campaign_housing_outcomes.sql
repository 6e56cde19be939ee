-- One row per housing of a sent campaign: what happened to its follow-up status after the campaign was sent.
-- A return is a status change to Premier contact (2) or beyond (3, 4, 5) after sending; within three months it
-- counts in the campaign's return rate.
with targets as (
    select
        links.campaign_id,
        links.housing_id,
        campaigns.sent_at
    from {{ ref('stg_production_campaigns_housing') }} as links
    inner join {{ ref('stg_production_campaigns') }} as campaigns using (campaign_id)
    where campaigns.sent_at is not null
),

after_sending as (
    select
        targets.campaign_id,
        targets.housing_id,
        min(changes.changed_at) filter (where changes.new_status >= 2) as first_return_at,
        min(changes.changed_at) filter (where changes.is_exit_from_vacancy) as exited_vacancy_at,
        count(changes.event_id) as status_change_count
    from targets
    inner join {{ ref('int_production_events_status_changes') }} as changes
        on changes.housing_id = targets.housing_id
        and changes.changed_at >= targets.sent_at
    group by targets.campaign_id, targets.housing_id
)

select
    targets.campaign_id,
    targets.housing_id,
    targets.sent_at,
    coalesce(after_sending.status_change_count, 0) as status_change_count_after_sending,
    after_sending.first_return_at,
    after_sending.first_return_at is not null as has_returned,
    coalesce(after_sending.first_return_at < {{ plus_months('targets.sent_at', 3) }}, false) as has_returned_within_3_months,
    after_sending.exited_vacancy_at,
    after_sending.exited_vacancy_at is not null as has_exited_vacancy_after_sending
from targets
left join after_sending using (campaign_id, housing_id)
