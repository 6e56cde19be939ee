{# The first day of each of `months` months from start_date's month. #}
{% macro month_spine(start_date, months) -%}
    {{ return(adapter.dispatch('month_spine', 'shop_utils')(start_date, months)) }}
{%- endmacro %}

{% macro default__month_spine(start_date, months) -%}
    select cast(date_trunc('month', date '{{ start_date }}') + to_months(i) as date) as month_start
    from range({{ months }}) as spine(i)
{%- endmacro %}

{% macro postgres__month_spine(start_date, months) -%}
    select cast(date_trunc('month', date '{{ start_date }}') + i * interval '1 month' as date) as month_start
    from generate_series(0, {{ months }} - 1) as spine(i)
{%- endmacro %}
