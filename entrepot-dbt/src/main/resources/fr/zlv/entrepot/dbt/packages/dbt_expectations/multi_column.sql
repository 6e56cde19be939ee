{#- dbt_expectations' tests over several columns of a row, and its generic expression test. -#}

{#- One failure per combination of values found in more than one row (with its number of rows). ignore_row_if
    leaves rows out first: 'all_values_are_missing' (the default) those whose columns are all null,
    'any_value_is_missing' those with a null in any column, 'never' none (null then counts as a value). -#}
{% test expect_compound_columns_to_be_unique(model, column_list, quote_columns=false, ignore_row_if="all_values_are_missing", row_condition=none) %}
{%- set columns = _column_names(column_list, quote_columns) -%}
{%- if ignore_row_if not in ["all_values_are_missing", "any_value_is_missing", "never"] -%}
    {{ exceptions.raise_compiler_error("dbt_expectations: ignore_row_if must be all_values_are_missing,"
        ~ " any_value_is_missing or never, not " ~ ignore_row_if ~ ".") }}
{%- endif -%}
select {{ columns | join(", ") }}, count(*) as n_records
from {{ model }}
where true{{ _and_row_condition(row_condition) }}
{%- if ignore_row_if == "all_values_are_missing" %}
  and not ({% for column in columns %}{{ column }} is null{{ " and " if not loop.last }}{% endfor %})
{%- elif ignore_row_if == "any_value_is_missing" %}
  and {% for column in columns %}{{ column }} is not null{{ " and " if not loop.last }}{% endfor %}
{%- endif %}
group by {{ columns | join(", ") }}
having count(*) > 1
{% endtest %}

{#- Within each row, the values of the listed columns are all different (nulls ignored, as ignore_row_if says):
    each row repeating a value is a failure. -#}
{% test expect_select_column_values_to_be_unique_within_record(model, column_list, quote_columns=false, ignore_row_if="all_values_are_missing", row_condition=none) %}
{%- set columns = _column_names(column_list, quote_columns) -%}
{%- set pairs = [] -%}
{%- for first in columns -%}
    {%- set outer = loop.index -%}
    {%- for second in columns -%}
        {%- if loop.index > outer -%}
            {%- do pairs.append(first ~ " = " ~ second) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endfor -%}
select *
from {{ model }}
where ({{ pairs | join(" or ") if pairs else "false" }}){{ _and_row_condition(row_condition) }}
{%- if ignore_row_if == "all_values_are_missing" %}
  and not ({% for column in columns %}{{ column }} is null{{ " and " if not loop.last }}{% endfor %})
{%- elif ignore_row_if == "any_value_is_missing" %}
  and {% for column in columns %}{{ column }} is not null{{ " and " if not loop.last }}{% endfor %}
{%- endif %}
{% endtest %}

{% test expect_column_pair_values_A_to_be_greater_than_B(model, column_A, column_B, or_equal=false, row_condition=none) %}
{{ _rows_failing(model, column_A ~ (" >= " if or_equal else " > ") ~ column_B, row_condition) }}
{% endtest %}

{% test expect_column_pair_values_to_be_equal(model, column_A, column_B, row_condition=none) %}
{{ _rows_failing(model, column_A ~ " = " ~ column_B, row_condition) }}
{% endtest %}

{#- The listed columns, added up over all the rows (row_condition keeps), or over each group_by group, make sum_total:
    one failure for the model, or one per group that misses it. -#}
{% test expect_multicolumn_sum_to_equal(model, column_list, sum_total, group_by=none, row_condition=none) %}
{{ _groups_failing(model, "sum(" ~ (_as_list(column_list) | join(" + ")) ~ ")", "observed_value = " ~ sum_total, group_by, row_condition) }}
{% endtest %}

{#- The package's own building block, also usable as a test: expression (per row, or an aggregate per
    group_by_columns group) followed by test_condition must hold; each row or group where it does not is a failure. -#}
{% test expression_is_true(model, expression, test_condition="= true", group_by_columns=none, row_condition=none) %}
{{ _groups_failing(model, expression, "observed_value " ~ test_condition, group_by_columns, row_condition) }}
{% endtest %}
