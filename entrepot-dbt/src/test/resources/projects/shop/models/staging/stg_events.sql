select event_id, order_id, kind, happened_at
from {{ source('raw', 'events') }}
