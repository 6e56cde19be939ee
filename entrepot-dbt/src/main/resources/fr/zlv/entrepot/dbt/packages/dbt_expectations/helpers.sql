{#- Shared pieces of the built-in dbt_expectations tests, written for DuckDB. Every test selects the rows (or groups)
    that break its rule, so the number of rows is the number of failures; most tests take one of two shapes:
    the rows where a condition is false (_rows_failing), or the groups whose aggregate breaks a condition
    (_groups_failing). A condition that is null (a null value) is not a failure, as in the package.
    The helpers' parameters that may be none have names their callers do not use: a macro parameter that is none
    is looked up in the caller's variables by Jinjava, so a shared name would take the caller's value. -#}

{#- " and (condition)", to append to a where clause, or nothing. -#}
{% macro _and_row_condition(extra_condition) -%}
    {%- if extra_condition %} and ({{ extra_condition }}){% endif -%}
{%- endmacro %}

{#- A list argument given as one string (group_by: col) or as a list; none gives an empty list. -#}
{% macro _as_list(list_or_item) -%}
    {%- if list_or_item is none -%}
        {{ return([]) }}
    {%- elif list_or_item is string -%}
        {{ return([list_or_item]) }}
    {%- else -%}
        {{ return(list_or_item | list) }}
    {%- endif -%}
{%- endmacro %}

{#- A value as SQL: between single quotes (doubled inside) when quote is true, else as written. -#}
{% macro _sql_value(literal, quote=true) -%}
    {%- if quote -%}
        '{{ literal | string | replace("'", "''") }}'
    {%- else -%}
        {{ literal }}
    {%- endif -%}
{%- endmacro %}

{#- The values of a set, comma-separated, for "in (...)". An empty set is a mistake in the test, said plainly. -#}
{% macro _value_list(value_set, quote=true) -%}
    {%- set values = _as_list(value_set) -%}
    {%- if values | length == 0 -%}
        {{ exceptions.raise_compiler_error("dbt_expectations: value_set is empty; list at least one value.") }}
    {%- endif -%}
    {%- for value in values -%}
        {{ _sql_value(value, quote) }}{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- Column names, quoted when asked (quote_columns), as a list. -#}
{% macro _column_names(column_list, quote_columns=false) -%}
    {%- set names = [] -%}
    {%- for column in _as_list(column_list) -%}
        {%- do names.append(adapter.quote(column) if quote_columns else column) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- "expression >= min and expression <= max" (> and < when strictly); either bound may be left out, not both. -#}
{% macro _between_condition(expression, lower_bound=none, upper_bound=none, strictly=false) -%}
    {%- if lower_bound is none and upper_bound is none -%}
        {{ exceptions.raise_compiler_error("dbt_expectations: give min_value, max_value or both.") }}
    {%- endif -%}
    {%- if lower_bound is not none -%}
        {{ expression }} {{ ">" if strictly else ">=" }} {{ lower_bound }}
    {%- endif -%}
    {%- if lower_bound is not none and upper_bound is not none %} and {% endif -%}
    {%- if upper_bound is not none -%}
        {{ expression }} {{ "<" if strictly else "<=" }} {{ upper_bound }}
    {%- endif -%}
{%- endmacro %}

{#- The model's rows (those row_filter keeps) for which condition is false: one failure a row. -#}
{% macro _rows_failing(model, condition, row_filter=none) -%}
select *
from {{ model }}
where not ({{ condition }}){{ _and_row_condition(row_filter) }}
{%- endmacro %}

{#- One row per group (or one row for the whole model, even empty, without groups) holding the aggregate as
    observed_value; the groups for which condition (written on observed_value) is false are the failures. -#}
{% macro _groups_failing(model, aggregate, condition, group_columns=none, row_filter=none) -%}
{%- set groups = _as_list(group_columns) -%}
with observed as (
    select
        {%- for column in groups %}
        {{ column }},
        {%- endfor %}
        {{ aggregate }} as observed_value
    from {{ model }}
    where true{{ _and_row_condition(row_filter) }}
    {%- if groups %}
    group by {{ groups | join(", ") }}
    {%- endif %}
)
select *
from observed
where not ({{ condition }})
{%- endmacro %}

{#- The median of an expression: DuckDB's median, PostgreSQL's percentile_cont(0.5). -#}
{% macro _median(expression) -%}
    {{ return(adapter.dispatch('_median', 'dbt_expectations')(expression)) }}
{%- endmacro %}

{% macro default___median(expression) -%}
    median({{ expression }})
{%- endmacro %}

{#- Now as a timestamp without time zone: in the zone of the dbt_date:time_zone variable when the project sets it
    (as the package's tests do), else in the session's zone. -#}
{% macro _now() -%}
    {%- set time_zone = var("dbt_date:time_zone", none) -%}
    {%- if time_zone -%}
        timezone('{{ time_zone }}', now())
    {%- else -%}
        cast(now() as timestamp)
    {%- endif -%}
{%- endmacro %}

{#- A name as a table-shape test compares it: through the filter named by transform (upper by default). -#}
{% macro _transformed(name, transform="upper") -%}
    {%- if transform == "upper" -%}
        {{ return(name | upper) }}
    {%- elif transform == "lower" -%}
        {{ return(name | lower) }}
    {%- elif not transform -%}
        {{ return(name) }}
    {%- else -%}
        {{ return([name] | map(transform) | first) }}
    {%- endif -%}
{%- endmacro %}

{#- The model's column names, transformed. -#}
{% macro _relation_column_names(model, transform="upper") -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(model) -%}
        {%- do names.append(_transformed(column.name, transform)) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- One failing row per problem ([name, what is wrong] pairs), or a query with no row when there is none: for the
    tests that check the relation's columns in Jinja rather than its rows in SQL. -#}
{% macro _problem_rows(problems) -%}
    {%- if problems | length == 0 -%}
select cast(null as varchar) as column_name, cast(null as varchar) as problem
where false
    {%- else -%}
        {%- for problem in problems %}
select {{ _sql_value(problem[0]) }} as column_name, {{ _sql_value(problem[1]) }} as problem
{%- if not loop.last %}
union all
{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
