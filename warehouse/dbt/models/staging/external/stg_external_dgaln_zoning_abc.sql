-- A/B/C housing-market tension zoning per commune.
select
    {{ file_text('code_commune') }} as commune_code,
    upper(replace({{ file_text('zone_abc') }}, ' ', '')) as zone_abc
from {{ source('external', 'dgaln_zonage_abc') }}
