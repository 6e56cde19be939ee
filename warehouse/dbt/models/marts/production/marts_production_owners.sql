-- One row per owner, pseudonymised: its key is the keyed HMAC of its id; no name, birth date, address, e-mail or
-- phone. What it owns, and what the application did for those housings.
with links as (
    select * from {{ ref('int_production_housing_owners') }} where is_active_owner
),

housing as (
    select
        links.owner_id,
        count(*) filter (where housing.occupancy = 'V') as vacant_housing_count,
        count(*) filter (where campaigns.sent_campaign_count > 0) as contacted_housing_count,
        count(*) filter (where housing.status <> 0) as followed_housing_count,
        count(*) filter (where last_status.has_exited_vacancy) as exited_vacancy_housing_count,
        count(distinct communes.department_code) as department_count
    from links
    inner join {{ ref('stg_production_housing') }} as housing using (housing_id)
    left join {{ ref('int_production_communes') }} as communes on communes.commune_code = housing.commune_code
    left join {{ ref('int_production_housing_campaigns') }} as campaigns using (housing_id)
    left join {{ ref('int_production_housing_last_status') }} as last_status using (housing_id)
    group by links.owner_id
)

select
    owners.owner_key,
    owners.owner_kind,
    owners.owner_kind_label,
    owners.owner_entity,
    owners.is_natural_person,
    owners.age,
    owners.age_band,
    owners.owner_department_code,
    owners.has_email,
    owners.has_phone,
    owners.do_not_contact,
    owners.is_multi_owner,
    owners.data_source,
    owners.created_at,
    owners.updated_at,
    owners.active_housing_count,
    owners.main_owner_housing_count,
    owners.previous_housing_count,
    owners.active_commune_count,
    coalesce(housing.department_count, 0) as active_department_count,
    coalesce(housing.vacant_housing_count, 0) as vacant_housing_count,
    coalesce(housing.contacted_housing_count, 0) as contacted_housing_count,
    coalesce(housing.followed_housing_count, 0) as followed_housing_count,
    coalesce(housing.exited_vacancy_housing_count, 0) as exited_vacancy_housing_count
from {{ ref('int_production_owners') }} as owners
left join housing using (owner_id)
