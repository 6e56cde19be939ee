-- The land files' dwellings of every loaded year, one row per dwelling and year.
{%- set years = [2023, 2024] %}
{%- for year in years %}
select
    {{ year }} as ff_year,
    {{ file_text('idlocal') }} as local_id,
    {{ file_text('idbat') }} as building_id,
    {{ file_text('idpar') }} as plot_id,
    {{ file_text('idcom') }} as commune_code,
    {{ file_text('ccodep') }} as department_code,
    case {{ file_integer('dteloc') }} when 1 then 'MAISON' when 2 then 'APPART' end as housing_kind,
    {{ file_decimal('stoth') }} as living_area,
    {{ file_integer('npiece_p2') }} as rooms_count,
    nullif({{ file_integer('jannath') }}, 0) as building_year,
    {{ file_integer('dcapec2') }} as cadastral_classification,
    upper({{ file_text('ccthp') }}) as occupancy,
    {{ file_date('jdatat') }} as last_mutation_date
from {{ source('ff', 'ff_' ~ year) }}
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
