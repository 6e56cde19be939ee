{#- dbt_utils' introspective macros, written for Entrepôt from the package's documentation: they ask the warehouse
    (columns of a relation, values of a column, relations matching a pattern) and return Jinja values. While parsing
    (execute false) nothing reaches the warehouse: each returns its empty answer or its default. -#}

{#- Raises a compiler error naming the macro when obj is not a relation (a ref, a source, api.Relation.create). -#}
{% macro _is_relation(obj, macro) -%}
    {%- if obj is string or obj is none or obj.identifier is not defined or obj.identifier is none -%}
        {{ exceptions.raise_compiler_error("Macro dbt_utils." ~ macro ~ " expected a Relation but received the value: " ~ obj) }}
    {%- endif -%}
{%- endmacro %}

{#- Raises a compiler error when obj is an ephemeral model: it has no columns to ask the warehouse about. -#}
{% macro _is_ephemeral(obj, macro) -%}
    {%- if obj is not string and obj.type is defined and obj.type == 'cte' -%}
        {{ exceptions.raise_compiler_error("Macro dbt_utils." ~ macro ~ " does not support ephemeral models such as "
            ~ obj ~ ": materialize it as a view or a table first.") }}
    {%- endif -%}
{%- endmacro %}

{#- The names of the relation's columns, in order, without those in except (compared case-insensitively). -#}
{% macro get_filtered_columns_in_relation(from, except=[]) -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- else -%}
        {%- do _is_relation(from, 'get_filtered_columns_in_relation') -%}
        {%- do _is_ephemeral(from, 'get_filtered_columns_in_relation') -%}
        {%- set left_out = [] -%}
        {%- for name in (except or []) -%}
            {%- do left_out.append(name | lower) -%}
        {%- endfor -%}
        {%- set names = [] -%}
        {%- for column in adapter.get_columns_in_relation(from) -%}
            {%- if column.name | lower not in left_out -%}
                {%- do names.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {{ return(names) }}
    {%- endif -%}
{%- endmacro %}

{#- The distinct values of a column, most frequent first unless order_by says otherwise. order_by defaults to
    'count(*) desc' inside the body: a default holding a parenthesis is not parsed by the engine yet. A relation that
    does not exist gives default, or an error when there is none; an empty result gives default, or []. -#}
{% macro get_column_values(table, column, order_by=none, max_records=none, default=none, where=none) -%}
    {%- if not execute -%}
        {{ return(default if default is not none else []) }}
    {%- else -%}
        {%- set found = true -%}
        {%- if table is not string -%}
            {%- do _is_ephemeral(table, 'get_column_values') -%}
            {%- set found = adapter.get_relation(table.database, table.schema, table.identifier) is not none -%}
        {%- endif -%}
        {%- if not found and default is none -%}
            {{ exceptions.raise_compiler_error("In get_column_values(): relation " ~ table
                ~ " does not exist and no default value was provided.") }}
        {%- elif not found -%}
            {{ log("Relation " ~ table ~ " does not exist. Returning the default value: " ~ default) }}
            {{ return(default) }}
        {%- else -%}
            {%- set query -%}
                select {{ column }} as value
                from {{ table }}
                {%- if where is not none %}
                where {{ where }}
                {%- endif %}
                group by {{ column }}
                order by {{ order_by or 'count(*) desc' }}
                {%- if max_records is not none %}
                limit {{ max_records }}
                {%- endif %}
            {%- endset -%}
            {%- set values = run_query(query).columns[0].values() -%}
            {{ return(values if values | length > 0 or default is none else default) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- The tables and views whose schema and name match the patterns (SQL like, case-insensitive, backslash escapes),
    without those whose name matches exclude, as relations. database defaults to the target's, and to the
    connection's current database when the target names none (a DuckDB profile without database:). -#}
{% macro get_relations_by_pattern(schema_pattern, table_pattern, exclude='', database=none) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- else -%}
        {%- set catalog = database or target.database -%}
        {%- set query -%}
            select distinct table_catalog, table_schema, table_name,
                case when table_type = 'VIEW' then 'view' else 'table' end as table_type
            from information_schema.tables
            where table_catalog = {{ "'" ~ (catalog | replace("'", "''")) ~ "'" if catalog else "current_database()" }}
              and table_schema ilike '{{ schema_pattern | replace("'", "''") }}' escape '\'
              and table_name ilike '{{ table_pattern | replace("'", "''") }}' escape '\'
              and table_name not ilike '{{ (exclude or '') | replace("'", "''") }}' escape '\'
            order by table_schema, table_name
        {%- endset -%}
        {%- set relations = [] -%}
        {%- for row in run_query(query).rows -%}
            {%- do relations.append(api.Relation.create(row[0], row[1], row[2], row[3])) -%}
        {%- endfor -%}
        {{ return(relations) }}
    {%- endif -%}
{%- endmacro %}

{#- The older form of get_relations_by_pattern: every relation of one schema whose name starts with prefix. -#}
{% macro get_relations_by_prefix(schema, prefix, exclude='', database=none) -%}
    {{ return(get_relations_by_pattern(schema, prefix ~ '%', exclude, database)) }}
{%- endmacro %}

{#- The one value a query returns (first row, first column). No row gives default, or an error when there is none;
    more than one row or column is an error, so a wrong query does not pass unnoticed. -#}
{% macro get_single_value(query, default=none) -%}
    {%- if not execute -%}
        {{ return(default) }}
    {%- else -%}
        {%- set result = run_query(query) -%}
        {%- if result.rows | length == 0 -%}
            {%- if default is none -%}
                {{ exceptions.raise_compiler_error("dbt_utils.get_single_value(): the query returned no row and no default"
                    ~ " value was provided: " ~ query) }}
            {%- endif -%}
            {{ return(default) }}
        {%- elif result.rows | length > 1 or result.column_names | length > 1 -%}
            {{ exceptions.raise_compiler_error("dbt_utils.get_single_value() expects one row of one column; the query"
                ~ " returned " ~ (result.rows | length) ~ " rows of " ~ (result.column_names | length) ~ " columns: " ~ query) }}
        {%- else -%}
            {{ return(result.rows[0][0]) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- A query's result as a dict: each column's name to the list of its values. -#}
{% macro get_query_results_as_dict(query) -%}
    {%- set results = {} -%}
    {%- if execute -%}
        {%- for column in run_query(query).columns -%}
            {%- set name = column.name -%}
            {%- do results.update({name: column.values()}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(results) }}
{%- endmacro %}
