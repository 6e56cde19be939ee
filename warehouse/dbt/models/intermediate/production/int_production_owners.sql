-- One row per owner, pseudonymised: no name, birth date, address, e-mail or phone (dropped in staging); the
-- owner's key is the keyed HMAC of its id (macro pseudonymise, key ENTREPOT_PII_KEY), the same in every mart.
-- A table, not a view: the key is given to this model's connection by its pre-hook only (macros/privacy.sql;
-- pseudonymise() adds the hooks itself, they are written here too for whoever reads the model).
{{ config(materialized='table', pre_hook="{{ pii_key_hook() }}", post_hook="{{ pii_key_reset() }}") }}

with links as (
    select
        owner_id,
        count(*) filter (where is_active_owner) as active_housing_count,
        count(*) filter (where is_main_owner) as main_owner_housing_count,
        count(*) filter (where owner_rank = 0) as previous_housing_count,
        count(distinct commune_code) filter (where is_active_owner) as active_commune_count
    from {{ ref('stg_production_owners_housing') }}
    group by owner_id
),

owners as (
    select
        *,
        case when is_natural_person and birth_year is not null
            then {{ year_of(as_of_date()) }} - birth_year end as age
    from {{ ref('stg_production_owners') }}
)

select
    owners.owner_id,
    {{ pseudonymise('owners.owner_id') }} as owner_key,
    owners.owner_kind,
    owners.owner_kind_label,
    owners.owner_entity,
    owners.is_natural_person,
    owners.birth_year,
    owners.age,
    case
        when not owners.is_natural_person then 'personne morale'
        when owners.age is null then 'inconnu'
        when owners.age < 40 then 'moins de 40 ans'
        when owners.age < 60 then '40-59 ans'
        when owners.age < 75 then '60-74 ans'
        else '75 ans et plus'
    end as age_band,
    owners.owner_postal_code,
    owners.owner_department_code,
    owners.has_email,
    owners.has_phone,
    owners.do_not_contact,
    owners.is_multi_owner,
    owners.data_source,
    owners.created_at,
    owners.updated_at,
    coalesce(links.active_housing_count, 0) as active_housing_count,
    coalesce(links.main_owner_housing_count, 0) as main_owner_housing_count,
    coalesce(links.previous_housing_count, 0) as previous_housing_count,
    coalesce(links.active_commune_count, 0) as active_commune_count
from owners
left join links using (owner_id)
