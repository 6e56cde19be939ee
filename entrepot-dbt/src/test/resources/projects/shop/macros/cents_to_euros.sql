{# Amounts arrive in cents; marts speak euros. #}
{% macro cents_to_euros(column, scale=2) -%}
    round({{ column }} / 100.0, {{ scale }})
{%- endmacro %}
