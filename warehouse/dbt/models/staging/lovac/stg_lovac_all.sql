-- Every LOVAC millésime of var('lovac_years') in one relation, one row per housing and year. A housing listed
-- twice in a file (it happens when a local is split between two accounts) is kept once: the row with the
-- most owners, then the first invariant.
-- A view on DuckDB, a table on PostgreSQL (macros/engines.sql, reused_model_materialization): read by several
-- models and tests, PostgreSQL would compute it again for each of them.
{{ config(materialized=reused_model_materialization()) }}

with every_year as (
{%- for year in var('lovac_years') %}
    select * from {{ ref('stg_lovac_' ~ year) }}
{%- if not loop.last %}
    union all
{%- endif %}
{%- endfor %}
)

{{ first_row_per_group('every_year', 'lovac_year, local_id', 'owner_count desc nulls last, invariant',
    'local_id is not null') }}
