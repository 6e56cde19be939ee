{#- Helpers dbt's own macros offer to projects and packages. -#}

{% macro run_hooks(hooks, inside_transaction=True) -%}
    {%- for hook in hooks -%}
        {%- call statement('hook_' ~ loop.index) -%}{{ hook }}{%- endcall -%}
    {%- endfor -%}
{%- endmacro %}

{% macro make_temp_relation(base_relation, suffix='__dbt_tmp') -%}
    {{ return(api.Relation.create(base_relation.database, base_relation.schema, base_relation.identifier ~ suffix, 'table')) }}
{%- endmacro %}

{% macro load_relation(relation) -%}
    {{ return(adapter.get_relation(relation.database, relation.schema, relation.identifier)) }}
{%- endmacro %}

{% macro load_cached_relation(relation) -%}
    {{ return(adapter.get_relation(relation.database, relation.schema, relation.identifier)) }}
{%- endmacro %}

{% macro should_full_refresh() -%}
    {{ return(flags.FULL_REFRESH or config.get('full_refresh', false)) }}
{%- endmacro %}

{#- dispatched: PostgreSQL's (postgres.sql) has no "or replace". -#}
{% macro create_table_as(temporary, relation, sql) -%}
    {{ return(adapter.dispatch('create_table_as', 'dbt')(temporary, relation, sql)) }}
{%- endmacro %}

{% macro default__create_table_as(temporary, relation, sql) -%}
    create or replace table {{ relation }} as (
{{ sql }}
    )
{%- endmacro %}

{% macro create_view_as(relation, sql) -%}
    create or replace view {{ relation }} as (
{{ sql }}
    )
{%- endmacro %}
