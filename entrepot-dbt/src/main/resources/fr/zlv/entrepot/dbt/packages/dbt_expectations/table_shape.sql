{#- dbt_expectations' tests of a model's shape: its columns (names, count, types, read from the warehouse with
    adapter.get_columns_in_relation), its number of rows, and how recent its data is. -#}

{#- column_index counts from 1; names are compared through transform (upper: case does not matter). -#}
{% test expect_column_to_exist(model, column_name, column_index=none, transform="upper") %}
{%- set names = _relation_column_names(model, transform) -%}
{%- set wanted = _transformed(column_name, transform) -%}
{%- set problems = [] -%}
{%- if wanted not in names -%}
    {%- do problems.append([column_name, "missing"]) -%}
{%- elif column_index and names[column_index - 1] != wanted -%}
    {%- do problems.append([column_name, "not at position " ~ column_index]) -%}
{%- endif -%}
{{ _problem_rows(problems) }}
{% endtest %}

{% test expect_table_column_count_to_equal(model, value) %}
{%- set count = adapter.get_columns_in_relation(model) | length -%}
select {{ count }} as column_count
where not ({{ count }} = {{ value }})
{% endtest %}

{% test expect_table_column_count_to_be_between(model, min_value=none, max_value=none) %}
{%- set count = adapter.get_columns_in_relation(model) | length -%}
select {{ count }} as column_count
where not ({{ _between_condition(count, min_value, max_value) }})
{% endtest %}

{#- The model's columns against a list: a listed column the model lacks is a failure (contain, match), and a column
    of the model not listed is one too (match). -#}
{% macro _columns_against_list(model, column_list, transform, listed_missing, unlisted) -%}
{%- set names = _relation_column_names(model, transform) -%}
{%- set listed = [] -%}
{%- for column in _as_list(column_list) -%}
    {%- do listed.append(_transformed(column, transform)) -%}
{%- endfor -%}
{%- set problems = [] -%}
{%- for column in listed -%}
    {%- if listed_missing and column not in names -%}
        {%- do problems.append([column, "missing from the model"]) -%}
    {%- endif -%}
{%- endfor -%}
{%- for column in names -%}
    {%- if unlisted and column not in listed -%}
        {%- do problems.append([column, "not in the list"]) -%}
    {%- endif -%}
{%- endfor -%}
{{ _problem_rows(problems) }}
{%- endmacro %}

{% test expect_table_columns_to_match_set(model, column_list, transform="upper") %}
{{ _columns_against_list(model, column_list, transform, true, true) }}
{% endtest %}

{% test expect_table_columns_to_contain_set(model, column_list, transform="upper") %}
{{ _columns_against_list(model, column_list, transform, true, false) }}
{% endtest %}

{#- Each listed column the model has is a failure. -#}
{% test expect_table_columns_to_not_contain_set(model, column_list, transform="upper") %}
{%- set names = _relation_column_names(model, transform) -%}
{%- set problems = [] -%}
{%- for column in _as_list(column_list) -%}
    {%- if _transformed(column, transform) in names -%}
        {%- do problems.append([column, "present in the model"]) -%}
    {%- endif -%}
{%- endfor -%}
{{ _problem_rows(problems) }}
{% endtest %}

{#- The model's columns, in order, are the list: each position that differs is a failure. -#}
{% test expect_table_columns_to_match_ordered_list(model, column_list, transform="upper") %}
{%- set names = _relation_column_names(model, transform) -%}
{%- set listed = _as_list(column_list) -%}
{%- set problems = [] -%}
{%- set positions = names | length if names | length > listed | length else listed | length -%}
{%- for position in range(positions) -%}
    {%- set expected = _transformed(listed[position], transform) if position < listed | length else none -%}
    {%- set actual = names[position] if position < names | length else none -%}
    {%- if expected != actual -%}
        {%- do problems.append([expected or actual, "expected " ~ (expected or "nothing") ~ " at position "
            ~ (position + 1) ~ ", found " ~ (actual or "nothing")]) -%}
    {%- endif -%}
{%- endfor -%}
{{ _problem_rows(problems) }}
{% endtest %}

{#- DuckDB's and PostgreSQL's names for the same type, to DuckDB's canonical name (the one its information_schema
    gives), parameters kept: numeric(10,2) and DECIMAL(10,2) are the same, character varying(20) is VARCHAR(20). -#}
{% macro _duckdb_type(name) -%}
    {%- set synonyms = {
        "INT": "INTEGER", "INT4": "INTEGER", "SIGNED": "INTEGER", "INT8": "BIGINT", "LONG": "BIGINT",
        "INT2": "SMALLINT", "SHORT": "SMALLINT", "INT1": "TINYINT", "TEXT": "VARCHAR", "STRING": "VARCHAR",
        "CHAR": "VARCHAR", "BPCHAR": "VARCHAR", "BOOL": "BOOLEAN", "LOGICAL": "BOOLEAN", "FLOAT8": "DOUBLE",
        "FLOAT4": "FLOAT", "REAL": "FLOAT", "NUMERIC": "DECIMAL", "DATETIME": "TIMESTAMP",
        "TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE", "BYTEA": "BLOB", "BINARY": "BLOB", "VARBINARY": "BLOB",
        "CHARACTER VARYING": "VARCHAR", "CHARACTER": "VARCHAR", "DOUBLE PRECISION": "DOUBLE",
        "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP", "TIME WITHOUT TIME ZONE": "TIME"
    } -%}
    {%- set upper_name = name | string | trim | upper -%}
    {%- set base = upper_name.split("(")[0] | trim -%}
    {%- set parameters = upper_name[base | length:] | trim -%}
    {{ return(synonyms.get(base, base) ~ parameters) }}
{%- endmacro %}

{#- The column's type is one of the list: DuckDB's synonyms are the same type (int is INTEGER), and a type named
    without parameters takes any (decimal is DECIMAL(18,3)). A column the model lacks fails too. The type is read
    as column.dtype: Jinjava looks column.data_type up as a getter named getDataType, which Column lacks. -#}
{% test expect_column_values_to_be_in_type_list(model, column_name, column_type_list) %}
{%- set found = namespace(type=none) -%}
{%- for column in adapter.get_columns_in_relation(model) -%}
    {%- if column.name | upper == column_name | upper -%}
        {%- set found.type = column.dtype -%}
    {%- endif -%}
{%- endfor -%}
{%- set problems = [] -%}
{%- if found.type is none -%}
    {%- do problems.append([column_name, "missing"]) -%}
{%- else -%}
    {%- set actual = _duckdb_type(found.type) -%}
    {%- set accepted = namespace(any=false) -%}
    {%- for wanted in _as_list(column_type_list) -%}
        {%- set expected = _duckdb_type(wanted) -%}
        {%- if expected == actual or ("(" not in expected and expected == _duckdb_type(actual.split("(")[0])) -%}
            {%- set accepted.any = true -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not accepted.any -%}
        {%- do problems.append([column_name, "of type " ~ found.type]) -%}
    {%- endif -%}
{%- endif -%}
{{ _problem_rows(problems) }}
{% endtest %}

{% test expect_column_values_to_be_of_type(model, column_name, column_type) %}
{{ test_expect_column_values_to_be_in_type_list(model, column_name, [column_type]) }}
{% endtest %}

{% test expect_table_row_count_to_equal(model, value, group_by=none, row_condition=none) %}
{{ _groups_failing(model, "count(*)", "observed_value = " ~ value, group_by, row_condition) }}
{% endtest %}

{% test expect_table_row_count_to_be_between(model, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ _groups_failing(model, "count(*)", _between_condition("observed_value", min_value, max_value, strictly), group_by, row_condition) }}
{% endtest %}

{#- The model's rows counted (per group_by group) against compare_model's (per compare_group_by group, the same
    columns by default) times factor; the groups are matched by position and a group only one side has counts 0 on
    the other. Each group whose counts differ is a failure (one row without group_by). -#}
{% macro _row_count_against_other_table(model, compare_model, group_by, compare_group_by, factor, row_condition, compare_row_condition) -%}
    {{ return(adapter.dispatch('_row_count_against_other_table', 'dbt_expectations')(model, compare_model, group_by, compare_group_by, factor, row_condition, compare_row_condition)) }}
{%- endmacro %}

{% macro default___row_count_against_other_table(model, compare_model, group_by, compare_group_by, factor, row_condition, compare_row_condition) -%}
{%- set groups = _as_list(group_by) -%}
{%- set compare_groups = groups if compare_group_by is none else _as_list(compare_group_by) -%}
{%- if groups | length != compare_groups | length -%}
    {{ exceptions.raise_compiler_error("dbt_expectations: group_by and compare_group_by must list as many columns.") }}
{%- endif -%}
with model_counts as (
    select
        {%- for column in groups %}
        {{ column }} as group_{{ loop.index }},
        {%- endfor %}
        count(*) as row_count
    from {{ model }}
    where true{{ _and_row_condition(row_condition) }}
    {%- if groups %}
    group by {{ groups | join(", ") }}
    {%- endif %}
),

compare_counts as (
    select
        {%- for column in compare_groups %}
        {{ column }} as group_{{ loop.index }},
        {%- endfor %}
        count(*) as row_count
    from {{ compare_model }}
    where true{{ _and_row_condition(compare_row_condition) }}
    {%- if compare_groups %}
    group by {{ compare_groups | join(", ") }}
    {%- endif %}
),

compared as (
    select
        {%- for column in groups %}
        coalesce(model_counts.group_{{ loop.index }}, compare_counts.group_{{ loop.index }}) as {{ column }},
        {%- endfor %}
        coalesce(model_counts.row_count, 0) as row_count,
        coalesce(compare_counts.row_count, 0) * {{ factor }} as expected_row_count
    from model_counts
    full outer join compare_counts on
        {%- for column in groups %}
        model_counts.group_{{ loop.index }} is not distinct from compare_counts.group_{{ loop.index }}
        {{- " and" if not loop.last }}
        {%- endfor %}
        {%- if not groups %} true{% endif %}
)

select *
from compared
where row_count <> expected_row_count
{%- endmacro %}

{% test expect_table_row_count_to_equal_other_table(model, compare_model, group_by=none, compare_group_by=none, factor=1, row_condition=none, compare_row_condition=none) %}
{{ _row_count_against_other_table(model, compare_model, group_by, compare_group_by, factor, row_condition, compare_row_condition) }}
{% endtest %}

{% test expect_table_row_count_to_equal_other_table_times_factor(model, compare_model, factor, group_by=none, compare_group_by=none, row_condition=none, compare_row_condition=none) %}
{{ _row_count_against_other_table(model, compare_model, group_by, compare_group_by, factor, row_condition, compare_row_condition) }}
{% endtest %}

{#- The latest value of a date or timestamp column (future values left out), for the model or for each group_by group,
    is at most interval dateparts old: each stale group is a failure, and so is an empty model without group_by. -#}
{% macro _latest_value_is_recent(model, timestamp_column, datepart, interval, row_filter, group_columns) -%}
{%- set groups = _as_list(group_columns) -%}
with latest as (
    select
        {%- for column in groups %}
        {{ column }},
        {%- endfor %}
        max(cast({{ timestamp_column }} as timestamp)) as latest_value
    from {{ model }}
    where cast({{ timestamp_column }} as timestamp) <= {{ _now() }}{{ _and_row_condition(row_filter) }}
    {%- if groups %}
    group by {{ groups | join(", ") }}
    {%- endif %}
)

select *, {{ dbt.dateadd(datepart, "-1 * (" ~ interval ~ ")", _now()) }} as threshold
from latest
where latest_value is null or latest_value < {{ dbt.dateadd(datepart, "-1 * (" ~ interval ~ ")", _now()) }}
{%- endmacro %}

{% test expect_row_values_to_have_recent_data(model, column_name, datepart, interval, row_condition=none) %}
{{ _latest_value_is_recent(model, column_name, datepart, interval, row_condition, none) }}
{% endtest %}

{% test expect_grouped_row_values_to_have_recent_data(model, group_by, timestamp_column, datepart, interval, row_condition=none) %}
{{ _latest_value_is_recent(model, timestamp_column, datepart, interval, row_condition, group_by) }}
{% endtest %}
