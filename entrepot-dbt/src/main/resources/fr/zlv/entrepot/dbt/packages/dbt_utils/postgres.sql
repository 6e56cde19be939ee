{#- PostgreSQL's versions of the dbt_utils macros whose DuckDB SQL (sql.sql) is not PostgreSQL's, picked by
    adapter.dispatch(name, 'dbt_utils') on a postgres target. -#}

{#- start_date plus n dateparts for n from 0 to the number of boundaries between the dates, end left out. -#}
{% macro postgres__date_spine(datepart, start_date, end_date) -%}
select date_{{ datepart }}
from (
    select cast({{ start_date }} as timestamp) + period_number * {{ _entrepot_pg_interval(datepart) }} as date_{{ datepart }}
    from generate_series(0, {{ dbt.datediff('cast(' ~ start_date ~ ' as timestamp)', 'cast(' ~ end_date ~ ' as timestamp)', datepart) }} - 1)
        as periods(period_number)
) spine
where date_{{ datepart }} <= cast({{ end_date }} as timestamp)
{%- endmacro %}

{#- PostgreSQL has no qualify: distinct on keeps the first row of each partition in the order given. -#}
{% macro postgres__deduplicate(relation, partition_by, order_by) -%}
select distinct on ({{ partition_by }}) *
from {{ relation }}
order by {{ partition_by }}, {{ order_by }}
{%- endmacro %}
