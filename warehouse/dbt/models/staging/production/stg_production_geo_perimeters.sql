select
    id as perimeter_id,
    establishment_id,
    name as perimeter_name,
    kind as perimeter_kind,
    created_at,
    created_by as created_by_user_id
from {{ source('production', 'geo_perimeters') }}
