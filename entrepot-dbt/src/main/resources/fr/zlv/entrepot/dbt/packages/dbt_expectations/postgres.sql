{#- PostgreSQL's versions of the dbt_expectations helpers whose DuckDB SQL is not PostgreSQL's, picked by
    adapter.dispatch(name, 'dbt_expectations') on a postgres target. -#}

{% macro postgres___median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{#- PostgreSQL's regular expressions (~), matched anywhere in the value; flags become embedded options ((?i) to
    ignore case). A PostgreSQL string literal keeps backslashes as they are, as DuckDB's does. -#}
{% macro postgres___regex_matches(column_name, regex, flags) -%}
    ({{ column_name }} ~ {% if flags %}('(?{{ flags }})' || {{ _sql_value(regex) }}){% else %}{{ _sql_value(regex) }}{% endif %})
{%- endmacro %}

{#- PostgreSQL runs a full join only on equalities it can hash or merge, not on "is not distinct from": the counts
    of both sides are put together and summed per group instead, which matches null groups as the join did. -#}
{% macro postgres___row_count_against_other_table(model, compare_model, group_by, compare_group_by, factor, row_condition, compare_row_condition) -%}
{%- set groups = _as_list(group_by) -%}
{%- set compare_groups = groups if compare_group_by is none else _as_list(compare_group_by) -%}
{%- if groups | length != compare_groups | length -%}
    {{ exceptions.raise_compiler_error("dbt_expectations: group_by and compare_group_by must list as many columns.") }}
{%- endif -%}
with both_counts as (
    select
        {%- for column in groups %}
        {{ column }} as group_{{ loop.index }},
        {%- endfor %}
        count(*) as row_count,
        0 as expected_row_count
    from {{ model }}
    where true{{ _and_row_condition(row_condition) }}
    {%- if groups %}
    group by {{ groups | join(", ") }}
    {%- endif %}
    union all
    select
        {%- for column in compare_groups %}
        {{ column }},
        {%- endfor %}
        0,
        count(*) * {{ factor }}
    from {{ compare_model }}
    where true{{ _and_row_condition(compare_row_condition) }}
    {%- if compare_groups %}
    group by {{ compare_groups | join(", ") }}
    {%- endif %}
),

compared as (
    select
        {%- for column in groups %}
        group_{{ loop.index }} as {{ column }},
        {%- endfor %}
        sum(row_count) as row_count,
        sum(expected_row_count) as expected_row_count
    from both_counts
    {%- if groups %}
    group by {% for column in groups %}group_{{ loop.index }}{{ ", " if not loop.last }}{% endfor %}
    {%- endif %}
)

select *
from compared
where row_count <> expected_row_count
{%- endmacro %}
