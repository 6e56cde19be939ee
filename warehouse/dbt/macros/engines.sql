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

{#- A text as a double, null when it is not a number. -#}
{% macro text_to_double(text) -%}
    {{ return(adapter.dispatch('text_to_double')(text)) }}
{%- endmacro %}

{% macro default__text_to_double(text) -%}
    try_cast({{ text }} as double)
{%- endmacro %}

{#- PostgreSQL has no try_cast: only a plain decimal number (sign, digits, point, exponent) is cast. -#}
{% macro postgres__text_to_double(text) -%}
    case when ({{ text }}) ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
        then cast({{ text }} as double precision) end
{%- endmacro %}

{#- A text written yyyy-mm-dd or dd/mm/yyyy as a date, null when it is neither. -#}
{% macro text_to_date(text) -%}
    {{ return(adapter.dispatch('text_to_date')(text)) }}
{%- endmacro %}

{% macro default__text_to_date(text) -%}
    coalesce(
        try_cast({{ text }} as date),
        cast(try_strptime({{ text }}, '%d/%m/%Y') as date)
    )
{%- endmacro %}

{#- The two forms are told apart by a regular expression first, PostgreSQL having no try_cast or try_strptime. -#}
{% macro postgres__text_to_date(text) -%}
    case
        when ({{ text }}) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then cast({{ text }} as date)
        when ({{ text }}) ~ '^[0-9]{2}/[0-9]{2}/[0-9]{4}$' then to_date({{ text }}, 'DD/MM/YYYY')
    end
{%- endmacro %}

{#- Full years from one date to a later one (an age), as a bigint. -#}
{% macro full_years_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('full_years_between')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__full_years_between(start_date, end_date) -%}
    date_sub('year', {{ start_date }}, {{ end_date }})
{%- endmacro %}

{% macro postgres__full_years_between(start_date, end_date) -%}
    cast(extract(year from age({{ end_date }}, {{ start_date }})) as bigint)
{%- endmacro %}

{#- The rows of a relation (a CTE) where the condition holds, one per group: the first by the ordering. -#}
{% macro first_row_per_group(relation, partition_by, order_by, where) -%}
    {{ return(adapter.dispatch('first_row_per_group')(relation, partition_by, order_by, where)) }}
{%- endmacro %}

{% macro default__first_row_per_group(relation, partition_by, order_by, where) -%}
select *
from {{ relation }}
where {{ where }}
qualify row_number() over (
    partition by {{ partition_by }}
    order by {{ order_by }}
) = 1
{%- endmacro %}

{#- PostgreSQL has no qualify: distinct on keeps the first row of each group in the order by. -#}
{% macro postgres__first_row_per_group(relation, partition_by, order_by, where) -%}
select distinct on ({{ partition_by }}) *
from {{ relation }}
where {{ where }}
order by {{ partition_by }}, {{ order_by }}
{%- endmacro %}

{#- Day boundaries crossed from one date or timestamp to a later one, as a whole number. -#}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}

{#- A date minus a date is a whole number of days on PostgreSQL. -#}
{% macro postgres__days_between(start_date, end_date) -%}
    (cast({{ end_date }} as date) - cast({{ start_date }} as date))
{%- endmacro %}

{#- The smallest uuid of a group. -#}
{% macro min_uuid(uuid) -%}
    {{ return(adapter.dispatch('min_uuid')(uuid)) }}
{%- endmacro %}

{% macro default__min_uuid(uuid) -%}
    min({{ uuid }})
{%- endmacro %}

{#- PostgreSQL has no min(uuid): the canonical text (fixed width, lower-case hex) sorts as the uuid's bytes do. -#}
{% macro postgres__min_uuid(uuid) -%}
    cast(min(cast({{ uuid }} as text)) as uuid)
{%- endmacro %}

{#- numerator / denominator rounded to some decimals, a fraction even for whole numbers, as a double. DuckDB's /
    always divides as decimals; PostgreSQL's divides whole numbers as whole numbers and rounds only numerics to some
    decimals. Both round the quotient as a decimal number, half away from zero: rounding the binary double itself
    would give 47.61 for 3999.66 / 84 = 47.615 (stored as 47.6149999...) on DuckDB and 47.62 on PostgreSQL. -#}
{% macro rounded_ratio(numerator, denominator, digits) -%}
    {{ return(adapter.dispatch('rounded_ratio')(numerator, denominator, digits)) }}
{%- endmacro %}

{% macro default__rounded_ratio(numerator, denominator, digits) -%}
    cast(round(cast({{ numerator }} / {{ denominator }} as decimal(38, 10)), {{ digits }}) as double)
{%- endmacro %}

{% macro postgres__rounded_ratio(numerator, denominator, digits) -%}
    cast(round(cast(cast({{ numerator }} as double precision) / {{ denominator }} as numeric), {{ digits }})
        as double precision)
{%- endmacro %}

{#- The most frequent value of a group (an aggregate). -#}
{% macro most_frequent(value) -%}
    {{ return(adapter.dispatch('most_frequent')(value)) }}
{%- endmacro %}

{% macro default__most_frequent(value) -%}
    mode({{ value }})
{%- endmacro %}

{#- mode is an ordered-set aggregate on PostgreSQL; a tie goes to the smallest value. -#}
{% macro postgres__most_frequent(value) -%}
    mode() within group (order by {{ value }})
{%- endmacro %}

{#- How a model read many times (by several models and tests) is kept: a view on DuckDB, where computing it again
    costs little (columnar scans), a table on PostgreSQL, whose row store would compute the view again for every
    model and test reading it (stg_lovac_all: seven millésimes and a window, read by five models and seven tests). -#}
{% macro reused_model_materialization() -%}
    {{ return('table' if target.type == 'postgres' else 'view') }}
{%- endmacro %}

{#- The post-hook of every model: after a table is built on PostgreSQL, its statistics, so that the models and tests
    reading it next are planned on its real size (autovacuum would gather them only later). DuckDB keeps its own. -#}
{% macro analyze_new_table() -%}
    {%- if target.type == 'postgres' and model.config.materialized == 'table' %}analyze {{ this }}{% endif -%}
{%- endmacro %}
