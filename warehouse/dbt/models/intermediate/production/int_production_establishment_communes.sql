-- One row per establishment (not deleted) and commune it covers.
select distinct
    establishments.establishment_id,
    establishments.establishment_kind,
    establishments.is_available,
    unnest(establishments.commune_codes) as commune_code
from {{ ref('stg_production_establishments') }} as establishments
where establishments.deleted_at is null
