-- Names, e-mails, phones, passwords and two-factor secrets stay in production: none is selected here.
select
    id as user_id,
    establishment_id,
    role as user_role,
    kind as user_kind,
    activated_at,
    last_authenticated_at,
    deleted_at,
    suspended_at
from {{ source('production', 'users') }}
