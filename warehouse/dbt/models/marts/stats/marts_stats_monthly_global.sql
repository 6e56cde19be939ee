-- One row per month (Paris time) from the first month with any activity to the last: the programme's monthly
-- KPIs. The counts of things that happen once (an account activated, a campaign sent, a housing first contacted,
-- a status change, a first exit from vacancy) add up over the months to their totals; the active users and
-- establishments of a month are distinct counts within the month.
with activations as (
    select {{ paris_month('activated_at') }} as month, count(*) as new_user_count
    from {{ ref('stg_production_users') }}
    where activated_at is not null
    group by 1
),

authors as (
    select
        events.created_month as month,
        count(distinct events.created_by_user_id) as active_user_count,
        count(distinct events.created_by_user_id) filter (where users.user_type = 'user') as active_establishment_user_count,
        count(distinct users.establishment_id) as active_establishment_count
    from {{ ref('stg_production_events') }} as events
    left join {{ ref('int_production_users') }} as users on users.user_id = events.created_by_user_id
    group by 1
),

campaigns as (
    select
        {{ paris_month('sent_at') }} as month,
        count(*) as campaign_sent_count,
        count(distinct establishment_id) as sending_establishment_count
    from {{ ref('stg_production_campaigns') }}
    where sent_at is not null
    group by 1
),

contacts as (
    select
        {{ paris_month('campaigns.sent_at') }} as month,
        count(*) as housing_contact_count
    from {{ ref('stg_production_campaigns_housing') }} as links
    inner join {{ ref('stg_production_campaigns') }} as campaigns using (campaign_id)
    where campaigns.sent_at is not null
    group by 1
),

first_contacts as (
    select {{ paris_month('first_campaign_sent_at') }} as month, count(*) as newly_contacted_housing_count
    from {{ ref('int_production_housing_campaigns') }}
    where first_campaign_sent_at is not null
    group by 1
),

status_changes as (
    select
        changed_month as month,
        count(*) as status_change_count,
        count(*) filter (where change_number = 1) as newly_followed_housing_count,
        count(*) filter (where is_first_exit_from_vacancy) as exit_from_vacancy_count
    from {{ ref('int_production_events_status_changes') }}
    group by 1
),

occupancy_changes as (
    select changed_month as month, count(*) as occupancy_change_count
    from {{ ref('int_production_events_occupancy_changes') }}
    group by 1
),

months_with_data as (
    select month from activations
    union select month from authors
    union select month from campaigns
    union select month from status_changes
    union select month from occupancy_changes
),

spine as (
    select cast({{ month_series('min(month)', 'max(month)') }} as date) as month
    from months_with_data
)

select
    spine.month,
    {{ year_of('spine.month') }} as year,
    coalesce(activations.new_user_count, 0) as new_user_count,
    coalesce(authors.active_user_count, 0) as active_user_count,
    coalesce(authors.active_establishment_user_count, 0) as active_establishment_user_count,
    coalesce(authors.active_establishment_count, 0) as active_establishment_count,
    coalesce(campaigns.campaign_sent_count, 0) as campaign_sent_count,
    coalesce(campaigns.sending_establishment_count, 0) as sending_establishment_count,
    coalesce(contacts.housing_contact_count, 0) as housing_contact_count,
    coalesce(first_contacts.newly_contacted_housing_count, 0) as newly_contacted_housing_count,
    coalesce(status_changes.status_change_count, 0) as status_change_count,
    coalesce(status_changes.newly_followed_housing_count, 0) as newly_followed_housing_count,
    coalesce(status_changes.exit_from_vacancy_count, 0) as exit_from_vacancy_count,
    coalesce(occupancy_changes.occupancy_change_count, 0) as occupancy_change_count,
    cast(sum(coalesce(campaigns.campaign_sent_count, 0)) over (order by spine.month) as bigint)
        as cumulative_campaign_sent_count,
    cast(sum(coalesce(first_contacts.newly_contacted_housing_count, 0)) over (order by spine.month) as bigint)
        as cumulative_contacted_housing_count,
    cast(sum(coalesce(status_changes.exit_from_vacancy_count, 0)) over (order by spine.month) as bigint)
        as cumulative_exit_from_vacancy_count
from spine
left join activations using (month)
left join authors using (month)
left join campaigns using (month)
left join contacts using (month)
left join first_contacts using (month)
left join status_changes using (month)
left join occupancy_changes using (month)
