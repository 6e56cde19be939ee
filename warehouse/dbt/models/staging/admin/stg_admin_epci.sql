-- EPCI (inter-municipal bodies) of the administrative cuts.
select
    {{ file_text('code') }} as epci_code,
    {{ file_text('nom') }} as epci_name,
    upper({{ file_text('type') }}) as epci_kind
from {{ source('external', 'epci') }}
