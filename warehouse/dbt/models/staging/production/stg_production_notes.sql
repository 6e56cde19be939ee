-- The text of a note (and its deprecated title) is free and may name people: left out, only its length kept.
select
    id as note_id,
    note_kind,
    created_by as created_by_user_id,
    created_at,
    updated_at,
    deleted_at,
    contact_kind_deprecated as contact_kind,
    length(content) as content_length
from {{ source('production', 'notes') }}
