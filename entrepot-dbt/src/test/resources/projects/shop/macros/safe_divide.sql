{# Overrides shop_utils' implementations through the project's dispatch search order. #}
{% macro duckdb__safe_divide(numerator, denominator) -%}
    round({{ numerator }} / nullif({{ denominator }}, 0), 4)
{%- endmacro %}

{% macro postgres__safe_divide(numerator, denominator) -%}
    round({{ numerator }} / nullif({{ denominator }}, 0), 4)
{%- endmacro %}
