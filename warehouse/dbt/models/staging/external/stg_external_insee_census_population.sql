-- Legal population per commune, one row per commune and census year.
{%- for year in [2019, 2020, 2021, 2022] %}
select
    {{ year }} as census_year,
    {{ file_text('CODGEO') }} as commune_code,
    {{ file_text('LIBGEO') }} as commune_name,
    {{ file_integer('PMUN') }} as population
from {{ source('external', 'insee_recensement_historique_' ~ year) }}
where {{ file_text('CODGEO') }} is not null
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
