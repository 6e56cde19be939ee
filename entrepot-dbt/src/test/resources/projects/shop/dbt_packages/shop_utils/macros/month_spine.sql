{% macro month_spine(start_date, months) -%}
    select cast(date_trunc('month', date '{{ start_date }}') + to_months(i) as date) as month_start
    from range({{ months }}) as spine(i)
{%- endmacro %}
