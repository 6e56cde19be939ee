{#- PostgreSQL's versions of the dbt_expectations helpers whose DuckDB SQL is not PostgreSQL's, picked by
    adapter.dispatch(name, 'dbt_expectations') on a postgres target. -#}

{% macro postgres___median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{#- PostgreSQL's regular expressions (~), matched anywhere in the value; flags become embedded options ((?i) to
    ignore case). A PostgreSQL string literal keeps backslashes as they are, as DuckDB's does. -#}
{% macro postgres___regex_matches(column_name, regex, flags) -%}
    ({{ column_name }} ~ {% if flags %}'(?{{ flags }})' || {% endif %}{{ _sql_value(regex) }})
{%- endmacro %}
