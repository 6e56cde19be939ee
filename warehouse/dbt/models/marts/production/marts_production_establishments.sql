-- One row per establishment (établissement) not deleted: its users (counted, never listed), campaigns, groups,
-- perimeters, what its users did in the application, and the housings of the communes it covers.
with users as (
    select
        establishment_id,
        count(*) filter (where deleted_at is null) as user_count,
        count(*) filter (where activated_at is not null and deleted_at is null) as active_user_count,
        max(last_authenticated_at) as last_authenticated_at,
        min(activated_at) as first_user_activated_at
    from {{ ref('stg_production_users') }}
    group by establishment_id
),

campaigns as (
    select
        establishment_id,
        count(*) as campaign_count,
        count(*) filter (where is_sent) as sent_campaign_count,
        sum(housing_count) as contacted_housing_count,
        min(sent_at) as first_campaign_sent_at,
        max(sent_at) as last_campaign_sent_at
    from {{ ref('marts_production_campaigns') }}
    group by establishment_id
),

groups as (
    select establishment_id, count(*) as group_count
    from {{ ref('stg_production_groups') }}
    group by establishment_id
),

perimeters as (
    select establishment_id, count(*) as perimeter_count
    from {{ ref('stg_production_geo_perimeters') }}
    group by establishment_id
),

activity as (
    select
        author_establishment_id as establishment_id,
        count(*) as status_change_count,
        count(*) filter (where is_first_exit_from_vacancy) as exit_from_vacancy_count,
        count(distinct housing_id) as followed_by_users_housing_count,
        max(changed_at) as last_status_changed_at
    from {{ ref('int_production_events_status_changes') }}
    where author_establishment_id is not null
    group by author_establishment_id
),

territory as (
    select
        coverage.establishment_id,
        count(*) as territory_housing_count,
        count(*) filter (where housing.occupancy = 'V') as territory_vacant_housing_count,
        count(*) filter (where housing.status <> 0) as territory_followed_housing_count
    from {{ ref('int_production_establishment_communes') }} as coverage
    inner join {{ ref('stg_production_housing') }} as housing using (commune_code)
    group by coverage.establishment_id
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
    campaigns.first_campaign_sent_at,
    establishments.siret,
    establishments.establishment_kind_admin,
    establishments.millesime,
    establishments.data_source,
    establishments.layer_geo_label,
    establishments.commune_count,
    establishments.suspended_at is not null as is_suspended,
    coalesce(users.active_user_count, 0) > 0 as is_active,
    users.first_user_activated_at,
    campaigns.last_campaign_sent_at,
    coalesce(groups.group_count, 0) as group_count,
    coalesce(perimeters.perimeter_count, 0) as perimeter_count,
    coalesce(activity.status_change_count, 0) as status_change_count,
    coalesce(activity.followed_by_users_housing_count, 0) as followed_by_users_housing_count,
    coalesce(activity.exit_from_vacancy_count, 0) as exit_from_vacancy_count,
    activity.last_status_changed_at,
    coalesce(territory.territory_housing_count, 0) as territory_housing_count,
    coalesce(territory.territory_vacant_housing_count, 0) as territory_vacant_housing_count,
    coalesce(territory.territory_followed_housing_count, 0) as territory_followed_housing_count
from {{ ref('stg_production_establishments') }} as establishments
left join users using (establishment_id)
left join campaigns using (establishment_id)
left join groups using (establishment_id)
left join perimeters using (establishment_id)
left join activity using (establishment_id)
left join territory using (establishment_id)
where establishments.deleted_at is null
