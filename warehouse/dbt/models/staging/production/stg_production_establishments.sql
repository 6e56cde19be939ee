select
    id as establishment_id,
    name as establishment_name,
    siren,
    kind as establishment_kind,
    kind_admin as establishment_kind_admin,
    available as is_available,
    localities_geo_code as commune_codes,
    dep_code as department_code,
    dep_name as department_name,
    reg_code as region_code,
    reg_name as region_name,
    updated_at,
    deleted_at,
    suspended_at
from {{ source('production', 'establishments') }}
