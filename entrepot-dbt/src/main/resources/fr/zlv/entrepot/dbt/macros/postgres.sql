{#- PostgreSQL's versions of dbt's cross-database macros, where the DuckDB SQL of the default__ versions (crossdb.sql)
    is not PostgreSQL's: adapter.dispatch(name, 'dbt') picks postgres__name on a postgres target. Results match the
    DuckDB versions' (same values, same boundaries), so one project gives the same rows on both engines. -#}

{#- An interval of one datepart: PostgreSQL reads '1 week' or '1 month', but has no quarter. -#}
{% macro _entrepot_pg_interval(datepart) -%}
    {%- if datepart | lower == 'quarter' -%}interval '3 month'{%- else -%}interval '1 {{ datepart }}'{%- endif -%}
{%- endmacro %}

{# ------------------------------------------------------------------ dates #}

{% macro postgres__dateadd(datepart, interval, from_date_or_timestamp) -%}
    ({{ _entrepot_temporal(from_date_or_timestamp) }} + (({{ interval }}) * {{ _entrepot_pg_interval(datepart) }}))
{%- endmacro %}

{#- PostgreSQL has no datediff: boundaries are counted from the dates' parts (years, months...) or from the span
    between the two values truncated to the datepart, as a bigint as DuckDB's date_diff gives. -#}
{% macro postgres__datediff(first_date, second_date, datepart) -%}
    {%- set first = _entrepot_temporal(first_date) -%}
    {%- set second = _entrepot_temporal(second_date) -%}
    {%- set part = datepart | lower -%}
    {#- The span between the values truncated to the datepart, in seconds, made a count of dateparts. -#}
    {%- set scaled = {'hour': ' / 3600', 'minute': ' / 60', 'second': '', 'millisecond': ' * 1000', 'microsecond': ' * 1000000'} -%}
    {%- if part == 'year' -%}
        cast(date_part('year', {{ second }}) - date_part('year', {{ first }}) as bigint)
    {%- elif part == 'quarter' -%}
        cast((date_part('year', {{ second }}) - date_part('year', {{ first }})) * 4
            + date_part('quarter', {{ second }}) - date_part('quarter', {{ first }}) as bigint)
    {%- elif part == 'month' -%}
        cast((date_part('year', {{ second }}) - date_part('year', {{ first }})) * 12
            + date_part('month', {{ second }}) - date_part('month', {{ first }}) as bigint)
    {%- elif part == 'week' -%}
        cast((cast(date_trunc('week', {{ second }}) as date) - cast(date_trunc('week', {{ first }}) as date)) / 7 as bigint)
    {%- elif part == 'day' -%}
        cast(cast({{ second }} as date) - cast({{ first }} as date) as bigint)
    {%- elif part in scaled -%}
        {%- set unit = part ~ 's' if part in ['millisecond', 'microsecond'] else part -%}
        cast(round(extract(epoch from (date_trunc('{{ unit }}', {{ second }}) - date_trunc('{{ unit }}', {{ first }})))
            {{- scaled[part] }}) as bigint)
    {%- else -%}
        {{ exceptions.raise_compiler_error("datediff: datepart '" ~ datepart ~ "' is not one of year, quarter, month, week, day, hour, minute, second, millisecond, microsecond.") }}
    {%- endif -%}
{%- endmacro %}

{% macro postgres__last_day(date, datepart) -%}
    cast(date_trunc('{{ datepart }}', {{ _entrepot_temporal(date) }}) + {{ _entrepot_pg_interval(datepart) }} - interval '1 day' as date)
{%- endmacro %}

{% macro postgres__date_spine(datepart, start_date, end_date) -%}
    {%- set start = 'cast(' ~ start_date ~ ' as timestamp)' -%}
    {%- set stop = 'cast(' ~ end_date ~ ' as timestamp)' -%}
    select date_{{ datepart }}
    from (
        select {{ start }} + (spine.n * {{ _entrepot_pg_interval(datepart) }}) as date_{{ datepart }}
        from generate_series(0, {{ postgres__datediff(start, stop, datepart) }}) as spine(n)
    ) as spine_dates
    where date_{{ datepart }} < {{ stop }}
{%- endmacro %}

{% macro postgres__generate_series(upper_bound) -%}
    select cast(series.n as bigint) as generated_number from generate_series(1, {{ upper_bound }}) as series(n)
{%- endmacro %}

{# ------------------------------------------------------------------ types #}

{% macro postgres__type_float() -%}double precision{%- endmacro %}

{#- PostgreSQL has no cast returning null on bad input: a value that does not convert is an error, as with
    dbt-postgres. -#}
{% macro postgres__safe_cast(field, type) -%}
    cast({{ field }} as {{ type }})
{%- endmacro %}

{# ------------------------------------------------------------------ aggregates #}

{% macro postgres__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set delimiter = "','" if delimiter_text is none else delimiter_text -%}
    {%- if limit_num -%}
        array_to_string((array_agg({{ measure }}{% if order_by_clause %} {{ order_by_clause }}{% endif %}))[1:{{ limit_num }}], {{ delimiter }})
    {%- else -%}
        string_agg({{ measure }}, {{ delimiter }}{% if order_by_clause %} {{ order_by_clause }}{% endif %})
    {%- endif -%}
{%- endmacro %}

{#- any_value arrived in PostgreSQL 16: min is one of the group's values on every version. -#}
{% macro postgres__any_value(expression) -%}
    min({{ expression }})
{%- endmacro %}

{# ------------------------------------------------------------------ arrays #}

{% macro postgres__array_construct(inputs, data_type) -%}
    {%- if inputs -%}
        array[{{ inputs | join(', ') }}]
    {%- else -%}
        cast(array[] as {{ data_type or 'integer' }}[])
    {%- endif -%}
{%- endmacro %}

{% macro postgres__array_append(array, new_element) -%}
    array_append({{ array }}, {{ new_element }})
{%- endmacro %}

{% macro postgres__array_concat(array_1, array_2) -%}
    array_cat({{ array_1 }}, {{ array_2 }})
{%- endmacro %}

{# ------------------------------------------------------------------ relations #}

{#- PostgreSQL has no create or replace table: the relation must not exist (a materialization drops it first);
    a temporary table takes no schema. -#}
{% macro postgres__create_table_as(temporary, relation, sql) -%}
    create {% if temporary %}temporary table {{ adapter.quote(relation.identifier) }}{% else %}table {{ relation }}{% endif %} as (
{{ sql }}
    )
{%- endmacro %}
