-- Names, e-mails, phones, passwords and two-factor secrets stay in production: none is selected here. What
-- the models need of the e-mail is derived first: its domain, and whether the account is the programme's own
-- team's (an address at beta.gouv.fr).
select
    id as user_id,
    establishment_id,
    role as user_role,
    kind as user_kind,
    activated_at,
    last_authenticated_at,
    deleted_at,
    suspended_at,
    case when lower(trim(email)) like '%@beta.gouv.fr' then 'zlv' else 'user' end as user_type,
    lower(split_part(trim(email), '@', 2)) as email_domain,
    position as user_position,
    time_per_week,
    updated_at,
    suspended_cause,
    two_factor_enabled_at is not null as has_two_factor
from {{ source('production', 'users') }}
