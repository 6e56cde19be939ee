{#- PostgreSQL's versions of the dbt_date macros whose DuckDB SQL (calendar.sql) is not PostgreSQL's, picked by
    adapter.dispatch(name, 'dbt_date') on a postgres target. -#}

{#- 'Mon' (short) or 'Monday', in English: to_char pads the full names, hence trim. -#}
{% macro postgres__day_name(date, short=true) -%}
    {%- if short -%}to_char(cast({{ date }} as date), 'Dy'){%- else -%}trim(to_char(cast({{ date }} as date), 'Day')){%- endif -%}
{%- endmacro %}

{% macro postgres__month_name(date, short=true) -%}
    {%- if short -%}to_char(cast({{ date }} as date), 'Mon'){%- else -%}trim(to_char(cast({{ date }} as date), 'Month')){%- endif -%}
{%- endmacro %}

{#- A timestamp (without time zone, in UTC) from a count of seconds, milliseconds, microseconds or nanoseconds
    since 1970-01-01. -#}
{% macro postgres__from_unixtimestamp(epochs, format="seconds") -%}
    {%- set seconds = {
        'seconds': 'cast(' ~ epochs ~ ' as double precision)',
        'milliseconds': 'cast(' ~ epochs ~ ' as double precision) / 1000',
        'microseconds': 'cast(' ~ epochs ~ ' as double precision) / 1000000',
        'nanoseconds': 'cast(' ~ epochs ~ ' as double precision) / 1000000000'} -%}
    {%- if format not in seconds -%}
        {{ exceptions.raise_compiler_error("from_unixtimestamp: format '" ~ format ~ "' is not one of seconds, milliseconds, microseconds, nanoseconds.") }}
    {%- endif -%}
    timezone('UTC', to_timestamp({{ seconds[format] }}))
{%- endmacro %}
