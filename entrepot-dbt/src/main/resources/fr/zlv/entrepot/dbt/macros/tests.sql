{#- dbt's four generic tests. Each selects the rows that break the rule: no row, the test passes. -#}

{% test unique(model, column_name) %}
select {{ column_name }} as unique_field, count(*) as n_records
from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
{% endtest %}

{% test not_null(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is null
{% endtest %}

{#- One row per value outside the list (with how many rows hold it), as dbt counts. -#}
{% test accepted_values(model, column_name, values, quote=True) %}
with observed as (
    select {{ column_name }} as value_field, count(*) as n_records
    from {{ model }}
    group by {{ column_name }}
)
select value_field, n_records
from observed
where value_field not in (
    {%- for value in values %}
    {% if quote %}'{{ value | string | replace("'", "''") }}'{% else %}{{ value }}{% endif %}{{ "," if not loop.last }}
    {%- endfor %}
)
{% endtest %}

{#- Child rows whose key has no parent row; a null key is not checked. -#}
{% test relationships(model, column_name, to, field) %}
with children as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),

parents as (
    select {{ field }} as to_field
    from {{ to }}
)

select children.from_field
from children
left join parents on children.from_field = parents.to_field
where parents.to_field is null
{% endtest %}
