select
    event_id,
    owner_id
from {{ source('production', 'owner_events') }}
