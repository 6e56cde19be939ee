-- Régions of the administrative cuts.
select
    {{ file_text('code') }} as region_code,
    {{ file_text('nom') }} as region_name
from {{ source('external', 'regions') }}
