-- Départements of the administrative cuts.
select
    {{ file_text('code') }} as department_code,
    {{ file_text('nom') }} as department_name,
    {{ file_text('code_region') }} as region_code
from {{ source('external', 'departements') }}
