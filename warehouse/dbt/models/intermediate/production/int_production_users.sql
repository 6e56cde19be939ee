-- Every account, deleted ones included (their events keep an author and an establishment), with the kind of
-- author it is: the programme's own team (zlv: an address at beta.gouv.fr, classified in staging) or a user of
-- an establishment.
select
    users.user_id,
    users.establishment_id,
    establishments.establishment_kind,
    users.user_role,
    users.user_kind,
    users.user_type,
    users.email_domain,
    users.user_position,
    users.time_per_week,
    users.activated_at,
    users.last_authenticated_at,
    users.suspended_at,
    users.deleted_at,
    users.deleted_at is not null as is_deleted,
    users.activated_at is not null and users.deleted_at is null as is_active_account,
    users.has_two_factor
from {{ ref('stg_production_users') }} as users
left join {{ ref('stg_production_establishments') }} as establishments using (establishment_id)
