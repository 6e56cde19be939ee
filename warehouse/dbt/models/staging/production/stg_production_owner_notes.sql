select
    note_id,
    owner_id
from {{ source('production', 'owner_notes') }}
