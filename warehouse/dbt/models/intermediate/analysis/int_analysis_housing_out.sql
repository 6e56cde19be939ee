-- Exit from vacancy between two consecutive LOVAC millésimes: one row per housing listed as vacant in LOVAC
-- year N (for every N whose next millésime N+1 is loaded). The housing left vacancy when it is absent from
-- LOVAC N+1, or listed there as occupied. LOVAC N describes 1 January N, so a campaign sent during year N or
-- before it (sent up to 31 December N) came before the exit observed on 1 January N+1: a housing contacted
-- by a campaign in 2023 and out of LOVAC 2024 counts as an exit after contact.
-- A view on DuckDB, a table on PostgreSQL (macros/engines.sql, reused_model_materialization): read by several
-- models and tests, PostgreSQL would compute it again for each of them.
{{ config(materialized=reused_model_materialization()) }}

with lovac as (
    select * from {{ ref('stg_lovac_all') }}
),

loaded_years as (
    select distinct lovac_year from lovac
),

vacant_stock as (
    select * from lovac where is_vacant
),

-- The production housing of each LOVAC local (production housing.local_id = the land files' idlocal).
production_housings as (
    select
        local_id,
        {{ min_uuid("housing_id") }} as housing_id
    from {{ ref('stg_production_housing') }}
    where local_id is not null
    group by local_id
),

-- Every sent campaign that targeted a housing, by the housing's local id.
campaign_contacts as (
    select
        production_housings.local_id,
        campaigns_housing.campaign_id,
        campaigns.sent_at,
        cast(extract(year from campaigns.sent_at) as integer) as sent_year
    from {{ ref('stg_production_campaigns_housing') }} as campaigns_housing
    join {{ ref('stg_production_campaigns') }} as campaigns
        on campaigns.campaign_id = campaigns_housing.campaign_id
    join production_housings
        on production_housings.housing_id = campaigns_housing.housing_id
    where campaigns.sent_at is not null
),

contacts_before_exit as (
    select
        vacant_stock.local_id,
        vacant_stock.lovac_year,
        count(distinct campaign_contacts.campaign_id) as campaign_count_before,
        count(distinct campaign_contacts.campaign_id)
            filter (where campaign_contacts.sent_year = vacant_stock.lovac_year) as campaign_count_in_year,
        min(campaign_contacts.sent_at) as first_campaign_sent_at,
        max(campaign_contacts.sent_at) as last_campaign_sent_at
    from vacant_stock
    join campaign_contacts
        on campaign_contacts.local_id = vacant_stock.local_id
        and campaign_contacts.sent_year <= vacant_stock.lovac_year
    group by vacant_stock.local_id, vacant_stock.lovac_year
)

select
    vacant_stock.local_id,
    production_housings.housing_id,
    vacant_stock.lovac_year,
    vacant_stock.lovac_year + 1 as next_lovac_year,
    vacant_stock.commune_code,
    vacant_stock.department_code,
    vacant_stock.housing_kind,
    vacant_stock.vacancy_start_year,
    vacant_stock.lovac_year - vacant_stock.vacancy_start_year as vacancy_duration_years,
    next_year.local_id is not null as is_in_next_lovac,
    next_year.occupancy as next_occupancy,
    next_year.local_id is null or not next_year.is_vacant as is_out_of_vacancy,
    case
        when next_year.local_id is null then 'absent'
        when not next_year.is_vacant then 'occupied'
    end as exit_kind,
    production_housings.housing_id is not null as is_in_production,
    coalesce(contacts_before_exit.campaign_count_before, 0) as campaign_count_before,
    coalesce(contacts_before_exit.campaign_count_in_year, 0) as campaign_count_in_year,
    coalesce(contacts_before_exit.campaign_count_before, 0) > 0 as is_contacted_before,
    contacts_before_exit.first_campaign_sent_at,
    contacts_before_exit.last_campaign_sent_at,
    (next_year.local_id is null or not next_year.is_vacant)
        and coalesce(contacts_before_exit.campaign_count_before, 0) > 0 as is_exit_after_contact
from vacant_stock
join loaded_years
    on loaded_years.lovac_year = vacant_stock.lovac_year + 1
left join lovac as next_year
    on next_year.local_id = vacant_stock.local_id
    and next_year.lovac_year = vacant_stock.lovac_year + 1
left join production_housings
    on production_housings.local_id = vacant_stock.local_id
left join contacts_before_exit
    on contacts_before_exit.local_id = vacant_stock.local_id
    and contacts_before_exit.lovac_year = vacant_stock.lovac_year
