{#-
    SQL that DuckDB and PostgreSQL write differently, for the models that need it, through adapter.dispatch: the
    default__ versions are the DuckDB SQL the models were written in (what they compile to on DuckDB does not
    change), the postgres__ versions let the same models run on a type: postgres target.
-#}

{#- The value of the row with the smallest (value_at_min) or largest (value_at_max) ordering, rows whose value or
    ordering is null left out, among the rows where the condition holds (none: all): DuckDB's arg_min and arg_max. -#}
{% macro value_at_min(value, ordering, where=none) -%}
    {{ return(adapter.dispatch('value_at_min')(value, ordering, where)) }}
{%- endmacro %}

{% macro default__value_at_min(value, ordering, where) -%}
    arg_min({{ value }}, {{ ordering }}){% if where %} filter (where {{ where }}){% endif %}
{%- endmacro %}

{% macro postgres__value_at_min(value, ordering, where) -%}
    (array_agg({{ value }} order by {{ ordering }}) filter (where {{ value }} is not null and {{ ordering }} is not null
        {%- if where %} and ({{ where }}){% endif %}))[1]
{%- endmacro %}

{% macro value_at_max(value, ordering, where=none) -%}
    {{ return(adapter.dispatch('value_at_max')(value, ordering, where)) }}
{%- endmacro %}

{% macro default__value_at_max(value, ordering, where) -%}
    arg_max({{ value }}, {{ ordering }}){% if where %} filter (where {{ where }}){% endif %}
{%- endmacro %}

{% macro postgres__value_at_max(value, ordering, where) -%}
    (array_agg({{ value }} order by {{ ordering }} desc) filter (where {{ value }} is not null and {{ ordering }} is not null
        {%- if where %} and ({{ where }}){% endif %}))[1]
{%- endmacro %}

{#- The number of elements of a list (an array on PostgreSQL); null for a null list. -#}
{% macro list_length(list) -%}
    {{ return(adapter.dispatch('list_length')(list)) }}
{%- endmacro %}

{% macro default__list_length(list) -%}
    len({{ list }})
{%- endmacro %}

{% macro postgres__list_length(list) -%}
    cardinality({{ list }})
{%- endmacro %}

{#- The first group of a regular expression in a text, '' when it does not match. -#}
{% macro regexp_first_group(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_first_group')(text, pattern)) }}
{%- endmacro %}

{% macro default__regexp_first_group(text, pattern) -%}
    regexp_extract({{ text }}, {{ pattern }}, 1)
{%- endmacro %}

{% macro postgres__regexp_first_group(text, pattern) -%}
    coalesce(substring({{ text }} from {{ pattern }}), '')
{%- endmacro %}

{#- A text as a uuid, null when it is not one. -#}
{% macro text_to_uuid(text) -%}
    {{ return(adapter.dispatch('text_to_uuid')(text)) }}
{%- endmacro %}

{% macro default__text_to_uuid(text) -%}
    try_cast({{ text }} as uuid)
{%- endmacro %}

{#- PostgreSQL has no try_cast: the forms its uuid type reads (hyphens or not, braces or not) are checked first. -#}
{% macro postgres__text_to_uuid(text) -%}
    case when ({{ text }}) ~ '^\{?[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}\}?$'
        then cast({{ text }} as uuid) end
{%- endmacro %}

{#- The year of a date or timestamp, as a bigint. -#}
{% macro year_of(date) -%}
    {{ return(adapter.dispatch('year_of')(date)) }}
{%- endmacro %}

{% macro default__year_of(date) -%}
    year({{ date }})
{%- endmacro %}

{% macro postgres__year_of(date) -%}
    cast(extract(year from {{ date }}) as bigint)
{%- endmacro %}

{#- A timestamp plus a whole number of months. -#}
{% macro plus_months(timestamp, months) -%}
    {{ return(adapter.dispatch('plus_months')(timestamp, months)) }}
{%- endmacro %}

{% macro default__plus_months(timestamp, months) -%}
    {{ timestamp }} + interval {{ months }} month
{%- endmacro %}

{% macro postgres__plus_months(timestamp, months) -%}
    {{ timestamp }} + interval '{{ months }} months'
{%- endmacro %}

{#- Whether a list (an array on PostgreSQL) holds a value; null for a null list. -#}
{% macro list_has(list, value) -%}
    {{ return(adapter.dispatch('list_has')(list, value)) }}
{%- endmacro %}

{% macro default__list_has(list, value) -%}
    list_contains({{ list }}, {{ value }})
{%- endmacro %}

{% macro postgres__list_has(list, value) -%}
    ({{ value }} = any({{ list }}))
{%- endmacro %}

{#- In a select list, one row per first day of a month from first_month to last_month (both first days of a
    month), as timestamps; no row when either is null. -#}
{% macro month_series(first_month, last_month) -%}
    {{ return(adapter.dispatch('month_series')(first_month, last_month)) }}
{%- endmacro %}

{% macro default__month_series(first_month, last_month) -%}
    unnest(generate_series({{ first_month }}, {{ last_month }}, interval 1 month))
{%- endmacro %}

{#- generate_series is itself a set-returning function on PostgreSQL: no unnest. -#}
{% macro postgres__month_series(first_month, last_month) -%}
    generate_series({{ first_month }}, {{ last_month }}, interval '1 month')
{%- endmacro %}
