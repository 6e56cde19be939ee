{#- dbt_utils' SQL generators, written for Entrepôt from the package's documentation, in DuckDB's SQL: each renders
    a query or a piece of one; signatures and defaults are the package's, so projects' calls work unchanged. -#}

{#- md5 of the fields cast to text and joined with '-', a null field counting as a marker (or as '' with the var
    surrogate_key_treat_nulls_as_empty_strings), so (null, 'a') and ('a', null) get different keys. -#}
{% macro generate_surrogate_key(field_list) -%}
    {%- set fields = [field_list] if field_list is string else field_list -%}
    {%- set null_marker = '' if var('surrogate_key_treat_nulls_as_empty_strings', false) else '_dbt_utils_surrogate_key_null_' -%}
    {%- set parts = [] -%}
    {%- for field in fields -%}
        {%- do parts.append("coalesce(cast(" ~ field ~ " as varchar), '" ~ null_marker ~ "')") -%}
    {%- endfor -%}
    md5(cast(concat({{ parts | join(", '-', ") }}) as varchar))
{%- endmacro %}

{#- Removed from dbt_utils 1.0: says what replaces it rather than give keys that would differ. -#}
{% macro surrogate_key(field_list) -%}
    {{ exceptions.raise_compiler_error("dbt_utils.surrogate_key has been replaced by dbt_utils.generate_surrogate_key,"
        ~ " which treats nulls differently; set the var surrogate_key_treat_nulls_as_empty_strings to true to keep the"
        ~ " old keys.") }}
{%- endmacro %}

{#- The relation's columns, comma-separated, for a select list: each quoted (unless quote_identifiers is false),
    after relation_alias and a dot, and renamed prefix ~ name ~ suffix when either is given. While parsing: *. -#}
{% macro star(from, relation_alias=none, except=[], prefix='', suffix='', quote_identifiers=true) -%}
    {%- do _is_relation(from, 'star') -%}
    {%- do _is_ephemeral(from, 'star') -%}
    {%- if not execute -%}
        *
    {%- else -%}
        {%- set names = get_filtered_columns_in_relation(from, except) -%}
        {%- if names | length == 0 -%}
            {%- if flags.WHICH == 'compile' -%}
                * /* star(): no columns found in {{ from }}; * keeps the compiled SQL valid */
            {%- else -%}
                /* no columns returned from star() macro */
            {%- endif -%}
        {%- else -%}
            {%- for name in names -%}
                {%- if relation_alias %}{{ relation_alias }}.{% endif -%}
                {%- if quote_identifiers -%}
                    {{ adapter.quote(name) }}{% if prefix or suffix %} as {{ adapter.quote(prefix ~ name ~ suffix) }}{% endif %}
                {%- else -%}
                    {{ name }}{% if prefix or suffix %} as {{ prefix ~ name ~ suffix }}{% endif %}
                {%- endif -%}
                {%- if not loop.last %},
{% endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- Unions relations whose columns differ in order or presence: every column of any relation (its first name and
    type seen; column_override gives a type), null where a relation lacks it, include/exclude to keep some,
    a column naming each row's relation (none leaves it out), and where applied to each relation. -#}
{% macro union_relations(relations, column_override=none, include=[], exclude=[], source_column_name='_dbt_source_relation', where=none) -%}
    {%- if include and exclude -%}
        {{ exceptions.raise_compiler_error("Both include and exclude arguments are provided to union_relations;"
            ~ " only one of them can be used at a time.") }}
    {%- endif -%}
    {%- if execute -%}
        {%- set overrides = column_override or {} -%}
        {%- set kept = [] -%}
        {%- for name in include or [] %}{% do kept.append(name | lower) %}{% endfor -%}
        {%- set dropped = [] -%}
        {%- for name in exclude or [] %}{% do dropped.append(name | lower) %}{% endfor -%}
        {#- keys: lower-cased names in order of appearance; names/types: the first spelling and type of each;
            present: per relation, the name each key has there. -#}
        {%- set keys = [] -%}
        {%- set names = {} -%}
        {%- set types = {} -%}
        {%- set present = [] -%}
        {%- for relation in relations -%}
            {%- do _is_relation(relation, 'union_relations') -%}
            {%- do _is_ephemeral(relation, 'union_relations') -%}
            {%- set here = {} -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- set key = column.name | lower -%}
                {%- if (not kept or key in kept) and key not in dropped -%}
                    {%- do here.update({key: column.name}) -%}
                    {%- if key not in keys -%}
                        {%- do keys.append(key) -%}
                        {%- do names.update({key: column.name}) -%}
                        {%- do types.update({key: overrides.get(column.name) or overrides.get(key) or column.data_type}) -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do present.append(here) -%}
        {%- endfor -%}
        {%- for relation in relations %}
(
    select
        {%- if source_column_name is not none %}
        cast('{{ relation | string | replace("'", "''") }}' as varchar) as {{ adapter.quote(source_column_name) }}{{ "," if keys }}
        {%- endif %}
        {%- set here = present[loop.index0] %}
        {%- for key in keys %}
        cast({{ adapter.quote(here[key]) if key in here else 'null' }} as {{ types[key] }}) as {{ adapter.quote(names[key]) }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
)
{% if not loop.last %}
union all
{% endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- One aggregate per value: agg(case when column cmp 'value' then then_value else else_value end), named
    prefix ~ value ~ suffix (quoted, or made an identifier with slugify when quote_identifiers is false). -#}
{% macro pivot(column, values, alias=true, agg='sum', cmp='=', prefix='', suffix='', then_value=1, else_value=0, quote_identifiers=true, distinct=false) -%}
    {%- for value in values %}
    {{ agg }}({% if distinct %}distinct {% endif %}case when {{ column }} {{ cmp }} '{{ value | string | replace("'", "''") }}' then {{ then_value }} else {{ else_value }} end)
    {%- if alias and quote_identifiers %} as {{ adapter.quote(prefix ~ value ~ suffix) }}
    {%- elif alias %} as {{ slugify(prefix ~ value ~ suffix) }}{% endif %}
    {{- "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Wide to long: one select per column (those in exclude are kept as they are, those in remove dropped) giving
    the exclude columns, the column's name as field_name and its value cast to cast_to as value_name. Booleans
    become 'true'/'false' first, as the package documents, whatever cast_to is. -#}
{% macro unpivot(relation=none, cast_to='varchar', exclude=none, remove=none, field_name='field_name', value_name='value', quote_identifiers=false) -%}
    {%- if not relation -%}
        {{ exceptions.raise_compiler_error("Error: argument `relation` is required for `unpivot` macro.") }}
    {%- endif -%}
    {%- set exclude = exclude or [] -%}
    {%- set remove = remove or [] -%}
    {%- set left_out = [] -%}
    {%- for name in exclude + remove %}{% do left_out.append(name | lower) %}{% endfor -%}
    {%- set unpivoted = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- if column.name | lower not in left_out -%}
            {%- do unpivoted.append(column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for column in unpivoted %}
select
    {%- for kept in exclude %}
    {{ adapter.quote(kept) if quote_identifiers else kept }},
    {%- endfor %}
    {%- set value = adapter.quote(column.name) if quote_identifiers else column.name %}
    cast('{{ column.name | replace("'", "''") }}' as varchar) as {{ adapter.quote(field_name) if quote_identifiers else field_name }},
    cast({{ "cast(" ~ value ~ " as varchar)" if column.data_type | lower == 'boolean' else value }} as {{ cast_to }}) as {{ adapter.quote(value_name) if quote_identifiers else value_name }}
from {{ relation }}
{% if not loop.last %}union all{% endif %}
    {%- endfor -%}
{%- endmacro %}

{#- One row per datepart from start_date to end_date, end left out: start_date plus n dateparts for n from 0 to
    the number of datepart boundaries between the two (as datediff counts), as a timestamp column date_<datepart>. -#}
{% macro date_spine(datepart, start_date, end_date) -%}
    {{ return(adapter.dispatch('date_spine', 'dbt_utils')(datepart, start_date, end_date)) }}
{%- endmacro %}

{% macro default__date_spine(datepart, start_date, end_date) -%}
select date_{{ datepart }}
from (
    select cast({{ start_date }} as timestamp) + period_number * interval '1 {{ datepart }}' as date_{{ datepart }}
    from (
        select unnest(range(0, date_diff('{{ datepart }}', cast({{ start_date }} as timestamp),
            cast({{ end_date }} as timestamp)))) as period_number
    ) periods
) spine
where date_{{ datepart }} <= cast({{ end_date }} as timestamp)
{%- endmacro %}

{#- One row per partition_by, the first by order_by (ties: any one of them). relation may be a CTE's name. -#}
{% macro deduplicate(relation, partition_by, order_by) -%}
    {{ return(adapter.dispatch('deduplicate', 'dbt_utils')(relation, partition_by, order_by)) }}
{%- endmacro %}

{% macro default__deduplicate(relation, partition_by, order_by) -%}
select *
from {{ relation }}
qualify row_number() over (partition by {{ partition_by }} order by {{ order_by }}) = 1
{%- endmacro %}

{#- The fields added (or subtracted), a null counting as 0. The package takes one list since 1.0. -#}
{% macro safe_add(field_list) -%}
    {%- if field_list is string or field_list is not iterable -%}
        {{ exceptions.raise_compiler_error("dbt_utils.safe_add takes one list of fields: safe_add(['a', 'b']), not "
            ~ field_list) }}
    {%- endif -%}
    {%- for field in field_list -%}
        coalesce({{ field }}, 0){{ " +\n    " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{% macro safe_subtract(field_list) -%}
    {%- if field_list is string or field_list is not iterable -%}
        {{ exceptions.raise_compiler_error("dbt_utils.safe_subtract takes one list of fields: safe_subtract(['a', 'b']),"
            ~ " not " ~ field_list) }}
    {%- endif -%}
    {%- for field in field_list -%}
        coalesce({{ field }}, 0){{ " -\n    " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- numerator / denominator, null rather than an error when the denominator is 0. -#}
{% macro safe_divide(numerator, denominator) -%}
    ( {{ numerator }} ) / nullif( ( {{ denominator }} ), 0)
{%- endmacro %}

{#- group by 1,2,...,n -#}
{% macro group_by(n) -%}
    group by {% for i in range(1, n + 1) %}{{ i }}{{ "," if not loop.last }}{% endfor %}
{%- endmacro %}

{#- The numbers 1 to upper_bound, one per row, as generated_number. -#}
{% macro generate_series(upper_bound) -%}
select generate_series as generated_number
from generate_series(1, {{ upper_bound }})
{%- endmacro %}

{#- The great-circle distance between two points given in degrees, on a sphere of radius 3961 miles; unit mi or km. -#}
{% macro haversine_distance(lat1, lon1, lat2, lon2, unit='mi') -%}
    {%- if unit == 'mi' -%}
        {%- set factor = '' -%}
    {%- elif unit == 'km' -%}
        {%- set factor = ' * 1.60934' -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("unit input must be one of 'mi' or 'km'. Got " ~ unit) }}
    {%- endif -%}
    2 * 3961 * asin(sqrt(power(sin(radians(({{ lat2 }} - {{ lat1 }}) / 2)), 2)
        + cos(radians({{ lat1 }})) * cos(radians({{ lat2 }})) * power(sin(radians(({{ lon2 }} - {{ lon1 }}) / 2)), 2))){{ factor }}
{%- endmacro %}

{#- The bucket of expr among num_buckets equal-width buckets from min_value to max_value: 0 below the range,
    num_buckets + 1 from max_value up, null when expr is null (Snowflake's width_bucket). -#}
{% macro width_bucket(expr, min_value, max_value, num_buckets) -%}
    case
        when {{ expr }} is null then null
        when {{ expr }} < {{ min_value }} then 0
        when {{ expr }} >= {{ max_value }} then {{ num_buckets }} + 1
        else cast(floor(({{ expr }} - {{ min_value }}) / ((({{ max_value }}) - ({{ min_value }})) / cast({{ num_buckets }} as {{ dbt.type_float() }}))) as bigint) + 1
    end
{%- endmacro %}

{#- The columns with empty strings read as null, for a select list. cols: columns of adapter.get_columns_in_relation. -#}
{% macro nullcheck(cols) -%}
    {%- for column in cols %}
    {%- if column.is_string() %}
    nullif({{ column.name }}, '') as {{ column.name }}
    {%- else %}
    {{ column.name }}
    {%- endif %}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The relation's rows with empty strings read as null. -#}
{% macro nullcheck_table(relation) -%}
    {%- do _is_relation(relation, 'nullcheck_table') -%}
    select {{ nullcheck(adapter.get_columns_in_relation(relation)) }}
    from {{ relation }}
{%- endmacro %}
