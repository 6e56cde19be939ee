-- One row per housing (local_id) ever listed in a LOVAC file: in which millésimes it was listed, and its
-- latest values. "Listed" means present in the file, whatever its occupancy code; the is_vacant_* columns
-- say whether it was listed as vacant.
-- A view on DuckDB, a table on PostgreSQL (macros/engines.sql, reused_model_materialization): read by several
-- models and tests, PostgreSQL would compute it again for each of them.
{{ config(materialized=reused_model_materialization()) }}

with lovac as (
    select * from {{ ref('stg_lovac_all') }}
),

-- The latest millésime of each housing (a window in a subquery: PostgreSQL has no qualify).
latest as (
    select
        local_id,
        lovac_year,
        commune_code,
        vacancy_start_year,
        is_vacant
    from (
        select
            *,
            row_number() over (partition by local_id order by lovac_year desc) as latest_rank
        from lovac
    ) ranked
    where latest_rank = 1
),

years as (
    select
        local_id,
        min(lovac_year) as first_lovac_year,
        max(lovac_year) as last_lovac_year,
        count(*) as lovac_years_count,
        max(lovac_year) filter (where is_vacant) as last_vacant_lovac_year,
{%- for year in var('lovac_years') %}
        bool_or(lovac_year = {{ year }}) as is_in_lovac_{{ year }}{{ "," if not loop.last }}
{%- endfor %}
    from lovac
    group by local_id
)

select
    years.local_id,
    years.first_lovac_year,
    years.last_lovac_year,
    years.lovac_years_count,
    years.last_vacant_lovac_year,
{%- for year in var('lovac_years') %}
    years.is_in_lovac_{{ year }},
{%- endfor %}
    latest.vacancy_start_year as last_vacancy_start_year,
    latest.commune_code as last_lovac_commune_code,
    latest.is_vacant as is_vacant_in_last_lovac,
    years.last_lovac_year = (select max(lovac_year) from lovac) as is_in_latest_lovac
from years
join latest using (local_id)
