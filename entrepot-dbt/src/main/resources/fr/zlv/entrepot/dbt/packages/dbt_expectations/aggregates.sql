{#- dbt_expectations' tests of an aggregate of a column (distinct count, min, max, mean...): one row for the model,
    or one per group_by group, and each group whose aggregate breaks the rule is one failure. quote_values is
    accepted where the package has it; a count is a number, so it changes nothing. -#}

{% test expect_column_distinct_count_to_equal(model, column_name, value, quote_values=false, group_by=none, row_condition=none) %}
{{ _groups_failing(model, "count(distinct " ~ column_name ~ ")", "observed_value = " ~ value, group_by, row_condition) }}
{% endtest %}

{% test expect_column_distinct_count_to_be_greater_than(model, column_name, value, quote_values=false, group_by=none, row_condition=none) %}
{{ _groups_failing(model, "count(distinct " ~ column_name ~ ")", "observed_value > " ~ value, group_by, row_condition) }}
{% endtest %}

{% test expect_column_distinct_count_to_be_less_than(model, column_name, value, quote_values=false, group_by=none, row_condition=none) %}
{{ _groups_failing(model, "count(distinct " ~ column_name ~ ")", "observed_value < " ~ value, group_by, row_condition) }}
{% endtest %}

{% test expect_column_unique_value_count_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ _groups_failing(model, "count(distinct " ~ column_name ~ ")", _between_condition("observed_value", min_value, max_value, strictly), group_by, row_condition) }}
{% endtest %}

{#- Distinct values over non-null values, as a fraction from 0 to 1. -#}
{% test expect_column_proportion_of_unique_values_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ _groups_failing(model, "count(distinct " ~ column_name ~ ") / nullif(count(" ~ column_name ~ "), 0)", _between_condition("observed_value", min_value, max_value, strictly), group_by, row_condition) }}
{% endtest %}

{% test expect_column_min_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ _groups_failing(model, "min(" ~ column_name ~ ")", _between_condition("observed_value", min_value, max_value, strictly), group_by, row_condition) }}
{% endtest %}

{% test expect_column_max_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ _groups_failing(model, "max(" ~ column_name ~ ")", _between_condition("observed_value", min_value, max_value, strictly), group_by, row_condition) }}
{% endtest %}

{% test expect_column_mean_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ _groups_failing(model, "avg(" ~ column_name ~ ")", _between_condition("observed_value", min_value, max_value, strictly), group_by, row_condition) }}
{% endtest %}

{% test expect_column_median_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ _groups_failing(model, _median(column_name), _between_condition("observed_value", min_value, max_value, strictly), group_by, row_condition) }}
{% endtest %}

{% test expect_column_sum_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ _groups_failing(model, "sum(" ~ column_name ~ ")", _between_condition("observed_value", min_value, max_value, strictly), group_by, row_condition) }}
{% endtest %}

{#- The sample standard deviation. -#}
{% test expect_column_stdev_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ _groups_failing(model, "stddev_samp(" ~ column_name ~ ")", _between_condition("observed_value", min_value, max_value, strictly), group_by, row_condition) }}
{% endtest %}

{#- The distinct values of a column against a set: each distinct value outside the set is a failure (to_be_in_set),
    each value of the set the column lacks is one (to_contain_set), and both for to_equal_set. Nulls are left out. -#}
{% macro _distinct_values_against_set(model, column_name, value_set, quote_values, row_condition, outside, missing) -%}
with observed as (
    select distinct {{ column_name }} as value_field
    from {{ model }}
    where {{ column_name }} is not null{{ _and_row_condition(row_condition) }}
),

{%- do _value_list(value_set, quote_values) %}
expected as (
    select value_field from (values
    {%- for value in _as_list(value_set) %}
        ({{ _sql_value(value, quote_values) }}){{ "," if not loop.last }}
    {%- endfor %}
    ) as expected_values(value_field)
)

select
    coalesce(cast(observed.value_field as varchar), cast(expected.value_field as varchar)) as value_field,
    case when expected.value_field is null then 'not in the set' else 'missing from the column' end as problem
from observed
full outer join expected on observed.value_field = expected.value_field
where {% if outside %}expected.value_field is null{% endif %}
    {%- if outside and missing %} or {% endif -%}
    {%- if missing %}observed.value_field is null{% endif %}
{%- endmacro %}

{% test expect_column_distinct_values_to_be_in_set(model, column_name, value_set, quote_values=true, row_condition=none) %}
{{ _distinct_values_against_set(model, column_name, value_set, quote_values, row_condition, true, false) }}
{% endtest %}

{% test expect_column_distinct_values_to_contain_set(model, column_name, value_set, quote_values=true, row_condition=none) %}
{{ _distinct_values_against_set(model, column_name, value_set, quote_values, row_condition, false, true) }}
{% endtest %}

{% test expect_column_distinct_values_to_equal_set(model, column_name, value_set, quote_values=true, row_condition=none) %}
{{ _distinct_values_against_set(model, column_name, value_set, quote_values, row_condition, true, true) }}
{% endtest %}
