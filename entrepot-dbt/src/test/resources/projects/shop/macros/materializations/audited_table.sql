{# A table whose every build is recorded in build_audit, with the rows it holds. #}
{% materialization audited_table, adapter='duckdb' %}
    {%- set target_relation = this -%}
    {% call statement('main') -%}
        create or replace table {{ target_relation }} as (
            {{ sql }}
        )
    {%- endcall %}
    {% call statement('audit') -%}
        insert into {{ target.schema }}.build_audit
        select '{{ this.identifier }}' || ':audited', count(*), now() from {{ target_relation }}
    {%- endcall %}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{# The same on other engines, which have no create or replace table. #}
{% materialization audited_table, default %}
    {%- set target_relation = this -%}
    {% do adapter.drop_relation(target_relation) %}
    {% call statement('main') -%}
        {{ create_table_as(false, target_relation, sql) }}
    {%- endcall %}
    {% call statement('audit') -%}
        insert into {{ target.schema }}.build_audit
        select '{{ this.identifier }}' || ':audited', count(*), now() from {{ target_relation }}
    {%- endcall %}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
