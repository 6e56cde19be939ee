{#- dbt_expectations' tests of a column's values, row by row: each failing row is one failure. Null values pass the
    range, length, regex and pattern tests (their condition is null, not false), as in the package. -#}

{% test expect_column_values_to_be_between(model, column_name, min_value=none, max_value=none, row_condition=none, strictly=false) %}
{{ _rows_failing(model, _between_condition(column_name, min_value, max_value, strictly), row_condition) }}
{% endtest %}

{#- A null is not in the set: it fails (the package compares by a join, where null matches nothing). -#}
{% test expect_column_values_to_be_in_set(model, column_name, value_set, quote_values=true, row_condition=none) %}
select {{ column_name }} as value_field
from {{ model }}
where ({{ column_name }} is null or {{ column_name }} not in ({{ _value_list(value_set, quote_values) }})){{ _and_row_condition(row_condition) }}
{% endtest %}

{% test expect_column_values_to_not_be_in_set(model, column_name, value_set, quote_values=true, row_condition=none) %}
select {{ column_name }} as value_field
from {{ model }}
where {{ column_name }} in ({{ _value_list(value_set, quote_values) }}){{ _and_row_condition(row_condition) }}
{% endtest %}

{% test expect_column_values_to_not_be_null(model, column_name, row_condition=none) %}
{{ _rows_failing(model, column_name ~ " is not null", row_condition) }}
{% endtest %}

{% test expect_column_values_to_be_null(model, column_name, row_condition=none) %}
{{ _rows_failing(model, column_name ~ " is null", row_condition) }}
{% endtest %}

{#- One failure per duplicated value (with its number of rows); null values are left out. -#}
{% test expect_column_values_to_be_unique(model, column_name, row_condition=none) %}
{{ test_expect_compound_columns_to_be_unique(model, [column_name], row_condition=row_condition) }}
{% endtest %}

{% test expect_column_value_lengths_to_equal(model, column_name, value, row_condition=none, strictly=false) %}
{{ _rows_failing(model, "length(" ~ column_name ~ ") = " ~ value, row_condition) }}
{% endtest %}

{% test expect_column_value_lengths_to_be_between(model, column_name, min_value=none, max_value=none, row_condition=none, strictly=false) %}
{{ _rows_failing(model, _between_condition("length(" ~ column_name ~ ")", min_value, max_value, strictly), row_condition) }}
{% endtest %}

{#- Regular expressions, matched anywhere in the value (DuckDB's regexp_matches) with DuckDB's option letters as
    flags ('i': ignore case). A DuckDB string literal keeps backslashes as they are, so every regex is already
    "raw": is_raw changes nothing here. -#}
{% macro _regex_matches(column_name, regex, flags) -%}
    {{ return(adapter.dispatch('_regex_matches', 'dbt_expectations')(column_name, regex, flags)) }}
{%- endmacro %}

{% macro default___regex_matches(column_name, regex, flags) -%}
    regexp_matches({{ column_name }}, {{ _sql_value(regex) }}{% if flags %}, {{ _sql_value(flags) }}{% endif %})
{%- endmacro %}

{% test expect_column_values_to_match_regex(model, column_name, regex, row_condition=none, is_raw=false, flags="") %}
{{ _rows_failing(model, _regex_matches(column_name, regex, flags), row_condition) }}
{% endtest %}

{% test expect_column_values_to_not_match_regex(model, column_name, regex, row_condition=none, is_raw=false, flags="") %}
{{ _rows_failing(model, "not " ~ _regex_matches(column_name, regex, flags), row_condition) }}
{% endtest %}

{#- match_on 'any': a value must match one of the regexes; 'all': every one. -#}
{% test expect_column_values_to_match_regex_list(model, column_name, regex_list, match_on="any", row_condition=none, is_raw=false, flags="") %}
{%- set tests = [] -%}
{%- for regex in _as_list(regex_list) -%}
    {%- do tests.append(_regex_matches(column_name, regex, flags)) -%}
{%- endfor -%}
{{ _rows_failing(model, tests | join(" or " if match_on == "any" else " and "), row_condition) }}
{% endtest %}

{#- match_on 'any': a value fails when it matches one of the regexes; 'all': when it matches every one. -#}
{% test expect_column_values_to_not_match_regex_list(model, column_name, regex_list, match_on="any", row_condition=none, is_raw=false, flags="") %}
{%- set tests = [] -%}
{%- for regex in _as_list(regex_list) -%}
    {%- do tests.append(_regex_matches(column_name, regex, flags)) -%}
{%- endfor -%}
{{ _rows_failing(model, "not (" ~ (tests | join(" or " if match_on == "any" else " and ")) ~ ")", row_condition) }}
{% endtest %}

{% test expect_column_values_to_match_like_pattern(model, column_name, like_pattern, row_condition=none) %}
{{ _rows_failing(model, column_name ~ " like " ~ _sql_value(like_pattern), row_condition) }}
{% endtest %}

{% test expect_column_values_to_not_match_like_pattern(model, column_name, like_pattern, row_condition=none) %}
{{ _rows_failing(model, column_name ~ " not like " ~ _sql_value(like_pattern), row_condition) }}
{% endtest %}

{% test expect_column_values_to_match_like_pattern_list(model, column_name, like_pattern_list, match_on="any", row_condition=none) %}
{%- set tests = [] -%}
{%- for pattern in _as_list(like_pattern_list) -%}
    {%- do tests.append(column_name ~ " like " ~ _sql_value(pattern)) -%}
{%- endfor -%}
{{ _rows_failing(model, tests | join(" or " if match_on == "any" else " and "), row_condition) }}
{% endtest %}

{#- Each value against the one before it, in the order of sort_column (the column itself by default), within each
    group_by group: a value not above (strictly) or below its predecessor fails. Rows with a null value or sort key
    are left out. -#}
{% macro _values_in_order(model, column_name, sort_column, strictly, row_condition, group_by, comparison) -%}
{%- set groups = _as_list(group_by) -%}
{%- set order_column = sort_column if sort_column else column_name -%}
with ordered as (
    select
        {%- for column in groups %}
        {{ column }},
        {%- endfor %}
        {{ order_column }} as sort_value,
        {{ column_name }} as value_field,
        lag({{ column_name }}) over (
            {%- if groups %}partition by {{ groups | join(", ") }} {% endif -%}
            order by {{ order_column }}) as previous_value
    from {{ model }}
    where {{ column_name }} is not null and {{ order_column }} is not null{{ _and_row_condition(row_condition) }}
)
select *
from ordered
where previous_value is not null
  and not (value_field {{ comparison }}{{ "" if strictly else "=" }} previous_value)
{%- endmacro %}

{% test expect_column_values_to_be_increasing(model, column_name, sort_column=none, strictly=true, row_condition=none, group_by=none) %}
{{ _values_in_order(model, column_name, sort_column, strictly, row_condition, group_by, ">") }}
{% endtest %}

{% test expect_column_values_to_be_decreasing(model, column_name, sort_column=none, strictly=true, row_condition=none, group_by=none) %}
{{ _values_in_order(model, column_name, sort_column, strictly, row_condition, group_by, "<") }}
{% endtest %}
