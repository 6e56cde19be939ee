-- One row per owner. Names, birth dates, postal addresses, e-mails, phones, usernames and administrators are
-- dropped here: what the models need of them is derived (birth year, postal code and département of the
-- owner's address, whether an e-mail or a phone is known).
with owners as (
    select
        *,
        nullif({{ regexp_first_group("array_to_string(address_dgfip, ' | ')", "'(\\d{5}) [^|]*$'") }}, '') as postal_code
    from {{ source('production', 'owners') }}
)

select
    id as owner_id,
    idpersonne as owner_person_id,
    siren,
    {{ year_of('birth_date') }} as birth_year,
    postal_code as owner_postal_code,
    -- The département of a postal code: its two first digits, three overseas, 2A/2B in Corsica.
    case
        when postal_code is null then null
        when postal_code like '97%' or postal_code like '98%' then left(postal_code, 3)
        when postal_code like '20%' then case when postal_code < '20200' then '2A' else '2B' end
        else left(postal_code, 2)
    end as owner_department_code,
    email is not null and trim(email) <> '' as has_email,
    phone is not null and trim(phone) <> '' as has_phone,
    data_source,
    kind_class as owner_kind_label,
    {{ owner_kind_code('kind_class') }} as owner_kind,
    entity as owner_entity,
    coalesce(entity = 'personnes-physiques', kind_class = 'Particulier', false) as is_natural_person,
    do_not_contact,
    is_multi_owner,
    created_at,
    updated_at
from owners
