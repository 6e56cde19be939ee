{#- dbt_utils' generic tests, written for Entrepôt from the package's documentation. Each selects the rows that
    break its rule (no row: it passes); group_by_columns, where the package has it, checks the rule per group. -#}

{#- "a, b, " in front of a select list, and "group by a, b", for the tests that take group_by_columns. -#}
{% macro _group_select(group_by_columns) -%}
    {%- for column in group_by_columns or [] %}{{ column }}, {% endfor -%}
{%- endmacro %}

{% macro _group_clause(group_by_columns) -%}
    {%- if group_by_columns %}group by {{ group_by_columns | join(', ') }}{% endif -%}
{%- endmacro %}

{#- Rows where the expression (on the column, for a column's test) is false; null is not false. -#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not ({% if column_name is not none %}{{ column_name }} {% endif %}{{ expression }})
{% endtest %}

{#- Rows outside [min_value, max_value] (or the open range when inclusive is false); either bound may be a column
    or an expression; nulls are not checked. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
select *
from {{ model }}
where false
{%- if min_value is not none %}
    or not ({{ column_name }} {{ ">=" if inclusive else ">" }} {{ min_value }})
{%- endif %}
{%- if max_value is not none %}
    or not ({{ column_name }} {{ "<=" if inclusive else "<" }} {{ max_value }})
{%- endif %}
{% endtest %}

{#- One row per combination of the columns found more than once. -#}
{% test unique_combination_of_columns(model, combination_of_columns, quote_columns=false) %}
{%- set columns = [] -%}
{%- for column in combination_of_columns -%}
    {%- do columns.append(adapter.quote(column) if quote_columns else column) -%}
{%- endfor -%}
select {{ columns | join(', ') }}, count(*) as n_records
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{#- One row (per group) when the share of non-null values is outside [at_least, at_most]. -#}
{% test not_null_proportion(model, column_name, at_least, at_most=1.0, group_by_columns=[]) %}
with proportions as (
    select {{ _group_select(group_by_columns) }}
        sum(case when {{ column_name }} is null then 0 else 1 end) / cast(count(*) as {{ dbt.type_float() }}) as not_null_proportion
    from {{ model }}
    {{ _group_clause(group_by_columns) }}
)
select *
from proportions
where not_null_proportion < {{ at_least }} or not_null_proportion > {{ at_most }}
{% endtest %}

{#- "with counts as (...)": the row counts of model and compare_model side by side (per group), for the two tests
    that compare them. -#}
{% macro _row_counts(model, compare_model, group_by_columns) -%}
with counts_apart as (
    select {{ _group_select(group_by_columns) }} count(*) as count_model, 0 as count_compare_model
    from {{ model }}
    {{ _group_clause(group_by_columns) }}
    union all
    select {{ _group_select(group_by_columns) }} 0 as count_model, count(*) as count_compare_model
    from {{ compare_model }}
    {{ _group_clause(group_by_columns) }}
),

counts as (
    select {{ _group_select(group_by_columns) }}
        sum(count_model) as count_model,
        sum(count_compare_model) as count_compare_model
    from counts_apart
    {{ _group_clause(group_by_columns) }}
)
{%- endmacro %}

{#- The difference of the row counts (per group). config(fail_calc) makes it the failure count: 3 rows missing
    fail as 3. -#}
{% test equal_rowcount(model, compare_model, group_by_columns=[]) %}
{{ config(fail_calc='sum(coalesce(diff_count, 0))') }}
{{ _row_counts(model, compare_model, group_by_columns) }}

select *, abs(count_model - count_compare_model) as diff_count
from counts
where count_model <> count_compare_model
{% endtest %}

{#- Fails (per group) when the model does not have fewer rows than compare_model; the failure count is how many
    rows it has too many: one more than the difference. -#}
{% test fewer_rows_than(model, compare_model, group_by_columns=[]) %}
{{ config(fail_calc='sum(coalesce(row_count_delta, 0))') }}
{{ _row_counts(model, compare_model, group_by_columns) }}

select *, count_model - count_compare_model + 1 as row_count_delta
from counts
where count_model >= count_compare_model
{% endtest %}

{#- One row (per group) when the column holds no value at all. -#}
{% test at_least_one(model, column_name, group_by_columns=[]) %}
select {{ _group_select(group_by_columns) }} count({{ column_name }}) as values_found
from {{ model }}
{{ _group_clause(group_by_columns) }}
having count({{ column_name }}) = 0
{% endtest %}

{#- One row (per group) when every non-null value of the column is the same. -#}
{% test not_constant(model, column_name, group_by_columns=[]) %}
select {{ _group_select(group_by_columns) }} count(distinct {{ column_name }}) as distinct_values
from {{ model }}
{{ _group_clause(group_by_columns) }}
having count(distinct {{ column_name }}) = 1
{% endtest %}

{#- One row (per group) when the latest value of field is older than interval dateparts ago (compared as dates
    with ignore_time_component), or when there is none. -#}
{% test recency(model, field, datepart, interval, ignore_time_component=false, group_by_columns=[]) %}
{%- set threshold = dbt.dateadd(datepart, "-1 * (" ~ interval ~ ")", "cast(current_timestamp as timestamp)") -%}
{%- if ignore_time_component -%}
    {%- set threshold = "cast(" ~ threshold ~ " as date)" -%}
{%- endif %}
with recency as (
    select {{ _group_select(group_by_columns) }}
        {{ "cast(max(" ~ field ~ ") as date)" if ignore_time_component else "max(" ~ field ~ ")" }} as most_recent
    from {{ model }}
    {{ _group_clause(group_by_columns) }}
)
select *, {{ threshold }} as threshold
from recency
where most_recent < {{ threshold }} or most_recent is null
{% endtest %}

{#- Rows (meeting from_condition) whose key has no row in `to` meeting to_condition; a null key is not checked. -#}
{% test relationships_where(model, column_name, to, field, from_condition='1=1', to_condition='1=1') %}
with children as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null and ({{ from_condition }})
),

parents as (
    select {{ field }} as to_field
    from {{ to }}
    where {{ to_condition }}
)

select children.from_field
from children
left join parents on children.from_field = parents.to_field
where parents.to_field is null
{% endtest %}

{#- Rows whose column is '' (or only spaces, with trim_whitespace); null is not an empty string. -#}
{% test not_empty_string(model, column_name, trim_whitespace=true) %}
select {{ column_name }}
from {{ model }}
where {{ "trim(" ~ column_name ~ ")" if trim_whitespace else column_name }} = ''
{% endtest %}

{#- Rows whose range [lower, upper] is empty (or of zero length, unless allowed), has a null bound, or does not
    end where the next one starts as gaps says: 'allowed' (at or before), 'not_allowed' (exactly at), 'required'
    (strictly before). Ranges are ordered by their bounds within each partition. -#}
{% test mutually_exclusive_ranges(model, lower_bound_column, upper_bound_column, partition_by=none, gaps='allowed', zero_length_range_allowed=false) %}
{%- if gaps == 'allowed' -%}
    {%- set next_operator = '<=' -%}
{%- elif gaps == 'not_allowed' -%}
    {%- set next_operator = '=' -%}
{%- elif gaps == 'required' -%}
    {%- set next_operator = '<' -%}
{%- else -%}
    {{ exceptions.raise_compiler_error("`gaps` of mutually_exclusive_ranges must be one of allowed, not_allowed or"
        ~ " required; got " ~ gaps ~ ".") }}
{%- endif -%}
{%- set partition_clause = "partition by " ~ partition_by if partition_by else "" %}
with ranges as (
    select
        {% if partition_by %}{{ partition_by }}, {% endif %}
        {{ lower_bound_column }} as lower_bound,
        {{ upper_bound_column }} as upper_bound,
        lead({{ lower_bound_column }}) over ({{ partition_clause }} order by {{ lower_bound_column }}, {{ upper_bound_column }}) as next_lower_bound,
        row_number() over ({{ partition_clause }} order by {{ lower_bound_column }} desc, {{ upper_bound_column }} desc) = 1 as is_last_record
    from {{ model }}
),

checked as (
    select
        *,
        coalesce(lower_bound {{ "<=" if zero_length_range_allowed else "<" }} upper_bound, false) as range_is_valid,
        coalesce(upper_bound {{ next_operator }} next_lower_bound, is_last_record, false) as ends_before_next
    from ranges
)

select *
from checked
where not (range_is_valid and ends_before_next)
{% endtest %}

{#- Rows whose value is not the previous one (in order, per group) plus interval, or interval dateparts. -#}
{% test sequential_values(model, column_name, interval=1, datepart=none, group_by_columns=[]) %}
{%- set partition_clause = "partition by " ~ group_by_columns | join(', ') if group_by_columns else "" %}
with windowed as (
    select
        {{ _group_select(group_by_columns) }}
        {{ column_name }} as value_field,
        lag({{ column_name }}) over ({{ partition_clause }} order by {{ column_name }}) as previous_value
    from {{ model }}
)

select *
from windowed
{%- if datepart %}
where not (value_field = {{ dbt.dateadd(datepart, interval, 'previous_value') }})
{%- else %}
where not (value_field = previous_value + {{ interval }})
{%- endif %}
{% endtest %}

{#- Values whose number of rows differs between the column and field of `to` (or that only one side has). -#}
{% test cardinality_equality(model, column_name, to, field) %}
with model_values as (
    select {{ column_name }} as value_field, count(*) as num_rows
    from {{ model }}
    group by {{ column_name }}
),

compared_values as (
    select {{ field }} as value_field, count(*) as num_rows
    from {{ to }}
    group by {{ field }}
),

only_in_model as (
    select * from model_values
    except
    select * from compared_values
),

only_in_compared as (
    select * from compared_values
    except
    select * from model_values
)

select * from only_in_model
union all
select * from only_in_compared
{% endtest %}

{#- The distinct rows found in one relation and not the other, on compare_columns (default: the model's columns
    without exclude_columns); numeric columns rounded to precision when given. -#}
{% test equality(model, compare_model, compare_columns=none, exclude_columns=none, precision=none) %}
{%- if compare_columns -%}
    {%- set names = compare_columns -%}
{%- else -%}
    {%- set names = get_filtered_columns_in_relation(model, exclude_columns or []) -%}
{%- endif -%}
{%- set numeric = [] -%}
{%- if precision is not none and model is not string -%}
    {%- for column in adapter.get_columns_in_relation(model) -%}
        {%- if column.is_number() -%}{%- do numeric.append(column.name | lower) -%}{%- endif -%}
    {%- endfor -%}
{%- endif -%}
{%- set selected = [] -%}
{%- for name in names -%}
    {%- if name | lower in numeric -%}
        {%- do selected.append("round(" ~ adapter.quote(name) ~ ", " ~ precision ~ ") as " ~ adapter.quote(name)) -%}
    {%- else -%}
        {%- do selected.append(adapter.quote(name)) -%}
    {%- endif -%}
{%- endfor %}
with model_rows as (
    select {{ selected | join(', ') }} from {{ model }}
),

compared_rows as (
    select {{ selected | join(', ') }} from {{ compare_model }}
),

only_in_model as (
    select * from model_rows
    except
    select * from compared_rows
),

only_in_compared as (
    select * from compared_rows
    except
    select * from model_rows
)

select * from only_in_model
union all
select * from only_in_compared
{% endtest %}

{#- Rows holding one of the values. -#}
{% test not_accepted_values(model, column_name, values, quote=true) %}
select {{ column_name }} as value_field
from {{ model }}
where {{ column_name }} in (
    {%- for value in values -%}
    {% if quote %}'{{ value | string | replace("'", "''") }}'{% else %}{{ value }}{% endif %}{{ ", " if not loop.last }}
    {%- endfor -%}
)
{% endtest %}

{#- Kept from older versions of the package: dbt's unique and not_null now take a where config, which the engine
    applies to model before the test sees it. -#}
{% test unique_where(model, column_name) %}
{{ test_unique(model, column_name) }}
{% endtest %}

{% test not_null_where(model, column_name) %}
{{ test_not_null(model, column_name) }}
{% endtest %}
