{#- dbt's cross-database macros, written for DuckDB. Each public macro dispatches (adapter.dispatch(name, 'dbt')), as dbt's do, so a project overrides one by defining duckdb__name or default__name; the default__ versions here emit DuckDB SQL. Arguments are SQL expressions, as in dbt: dateadd('day', 1, "'2024-01-31'") or dateadd('day', 1, 'order_date'). -#}

{#- A quoted literal ('2024-01-31') has no type in DuckDB, and date functions refuse it (dbt's docs pass dates that
    way, which works on PostgreSQL): a literal is cast to timestamp, any other expression is left as it is. -#}
{% macro _entrepot_temporal(expression) -%}
    {%- set text = expression | string | trim -%}
    {%- if text.startswith("'") -%}cast({{ text }} as timestamp){%- else -%}{{ text }}{%- endif -%}
{%- endmacro %}

{# ------------------------------------------------------------------ dates #}

{% macro dateadd(datepart, interval, from_date_or_timestamp) -%}
    {{ return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) }}
{%- endmacro %}

{#- date + interval: a date gives a timestamp, as on PostgreSQL; the end of a shorter month clamps (Jan 31 + 1 month = Feb 29). -#}
{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}
    ({{ _entrepot_temporal(from_date_or_timestamp) }} + interval ({{ interval }}) {{ datepart }})
{%- endmacro %}

{% macro datediff(first_date, second_date, datepart) -%}
    {{ return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) }}
{%- endmacro %}

{#- second_date - first_date in datepart boundaries crossed (23:59 to 00:01 is one day). DuckDB counts weeks as
    whole 7-day spans, so weeks are counted between the Mondays starting each date's week instead. -#}
{% macro default__datediff(first_date, second_date, datepart) -%}
    {%- set first = _entrepot_temporal(first_date) -%}
    {%- set second = _entrepot_temporal(second_date) -%}
    {%- if datepart | lower == 'week' -%}
        (date_diff('day', date_trunc('week', {{ first }}), date_trunc('week', {{ second }})) // 7)
    {%- else -%}
        date_diff('{{ datepart }}', {{ first }}, {{ second }})
    {%- endif -%}
{%- endmacro %}

{% macro date_trunc(datepart, date) -%}
    {{ return(adapter.dispatch('date_trunc', 'dbt')(datepart, date)) }}
{%- endmacro %}

{#- Weeks start on Monday (ISO), as PostgreSQL's and DuckDB's date_trunc do. -#}
{% macro default__date_trunc(datepart, date) -%}
    date_trunc('{{ datepart }}', {{ _entrepot_temporal(date) }})
{%- endmacro %}

{% macro last_day(date, datepart) -%}
    {{ return(adapter.dispatch('last_day', 'dbt')(date, datepart)) }}
{%- endmacro %}

{#- The last day of the date's month (quarter, year, week...), as a date. -#}
{% macro default__last_day(date, datepart) -%}
    cast(date_trunc('{{ datepart }}', {{ _entrepot_temporal(date) }}) + interval 1 {{ datepart }} - interval 1 day as date)
{%- endmacro %}

{% macro date(year, month, day) -%}
    {{ return(adapter.dispatch('date', 'dbt')(year, month, day)) }}
{%- endmacro %}

{#- make_date also takes column expressions, not only the numbers dbt's documentation shows. -#}
{% macro default__date(year, month, day) -%}
    make_date({{ year }}, {{ month }}, {{ day }})
{%- endmacro %}

{#- The spine of dateparts from start_date (included) to end_date (excluded), one row each in column date_<datepart>. -#}
{% macro date_spine(datepart, start_date, end_date) -%}
    {{ return(adapter.dispatch('date_spine', 'dbt')(datepart, start_date, end_date)) }}
{%- endmacro %}

{#- Each row is start_date + n dateparts (Jan 31 + 1 month = Feb 29, + 2 months = Mar 31), as dbt computes it; the
    bounds may be any expression, subqueries included. -#}
{% macro default__date_spine(datepart, start_date, end_date) -%}
    {%- set start = 'cast(' ~ start_date ~ ' as timestamp)' -%}
    {%- set stop = 'cast(' ~ end_date ~ ' as timestamp)' -%}
    select date_{{ datepart }}
    from (
        select {{ start }} + interval (spine.n) {{ datepart }} as date_{{ datepart }}
        from (select unnest(range(0, date_diff('{{ datepart }}', {{ start }}, {{ stop }}) + 1)) as n) as spine
    ) as spine_dates
    where date_{{ datepart }} < {{ stop }}
{%- endmacro %}

{% macro current_timestamp() -%}
    {{ return(adapter.dispatch('current_timestamp', 'dbt')()) }}
{%- endmacro %}

{#- The transaction's start, with its time zone (timestamptz). -#}
{% macro default__current_timestamp() -%}
    now()
{%- endmacro %}

{#- The two that dbt keeps for packages written before current_timestamp had a time zone: the session's wall-clock
    time, and UTC's, both as timestamps without time zone. -#}
{% macro current_timestamp_backcompat() -%}
    {{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }}
{%- endmacro %}

{% macro default__current_timestamp_backcompat() -%}
    cast(now() as timestamp)
{%- endmacro %}

{% macro current_timestamp_in_utc_backcompat() -%}
    {{ return(adapter.dispatch('current_timestamp_in_utc_backcompat', 'dbt')()) }}
{%- endmacro %}

{% macro default__current_timestamp_in_utc_backcompat() -%}
    timezone('UTC', now())
{%- endmacro %}

{#- The numbers 1 to upper_bound, one row each, in column generated_number. -#}
{% macro generate_series(upper_bound) -%}
    {{ return(adapter.dispatch('generate_series', 'dbt')(upper_bound)) }}
{%- endmacro %}

{% macro default__generate_series(upper_bound) -%}
    select cast(series.range as bigint) as generated_number from range(1, ({{ upper_bound }}) + 1) as series
{%- endmacro %}

{# ------------------------------------------------------------------ types #}

{% macro type_string() -%}{{ return(adapter.dispatch('type_string', 'dbt')()) }}{%- endmacro %}
{% macro default__type_string() -%}varchar{%- endmacro %}

{% macro type_timestamp() -%}{{ return(adapter.dispatch('type_timestamp', 'dbt')()) }}{%- endmacro %}
{% macro default__type_timestamp() -%}timestamp{%- endmacro %}

{#- DuckDB's float is 4 bytes; PostgreSQL's, which dbt's docs show, is 8: double is the same type. -#}
{% macro type_float() -%}{{ return(adapter.dispatch('type_float', 'dbt')()) }}{%- endmacro %}
{% macro default__type_float() -%}double{%- endmacro %}

{% macro type_numeric() -%}{{ return(adapter.dispatch('type_numeric', 'dbt')()) }}{%- endmacro %}
{% macro default__type_numeric() -%}numeric(28,6){%- endmacro %}

{% macro type_bigint() -%}{{ return(adapter.dispatch('type_bigint', 'dbt')()) }}{%- endmacro %}
{% macro default__type_bigint() -%}bigint{%- endmacro %}

{% macro type_int() -%}{{ return(adapter.dispatch('type_int', 'dbt')()) }}{%- endmacro %}
{% macro default__type_int() -%}integer{%- endmacro %}

{% macro type_boolean() -%}{{ return(adapter.dispatch('type_boolean', 'dbt')()) }}{%- endmacro %}
{% macro default__type_boolean() -%}boolean{%- endmacro %}

{% macro cast(field, type) -%}
    {{ return(adapter.dispatch('cast', 'dbt')(field, type)) }}
{%- endmacro %}

{% macro default__cast(field, type) -%}
    cast({{ field }} as {{ type }})
{%- endmacro %}

{#- Null instead of an error when the value does not convert. -#}
{% macro safe_cast(field, type) -%}
    {{ return(adapter.dispatch('safe_cast', 'dbt')(field, type)) }}
{%- endmacro %}

{% macro default__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro cast_bool_to_text(field) -%}
    {{ return(adapter.dispatch('cast_bool_to_text', 'dbt')(field)) }}
{%- endmacro %}

{#- 'true' / 'false', null stays null. -#}
{% macro default__cast_bool_to_text(field) -%}
    cast({{ field }} as varchar)
{%- endmacro %}

{# ------------------------------------------------------------------ strings #}

{#- fields: a list of SQL expressions. DuckDB's concat, like PostgreSQL's, reads a null as ''. -#}
{% macro concat(fields) -%}
    {{ return(adapter.dispatch('concat', 'dbt')(fields)) }}
{%- endmacro %}

{% macro default__concat(fields) -%}
    concat({{ fields | join(', ') }})
{%- endmacro %}

{#- part_number counts from 1; a negative one counts from the end. -#}
{% macro split_part(string_text, delimiter_text, part_number) -%}
    {{ return(adapter.dispatch('split_part', 'dbt')(string_text, delimiter_text, part_number)) }}
{%- endmacro %}

{% macro default__split_part(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}

{% macro replace(field, old_chars, new_chars) -%}
    {{ return(adapter.dispatch('replace', 'dbt')(field, old_chars, new_chars)) }}
{%- endmacro %}

{% macro default__replace(field, old_chars, new_chars) -%}
    replace({{ field }}, {{ old_chars }}, {{ new_chars }})
{%- endmacro %}

{% macro right(string_text, length_expression) -%}
    {{ return(adapter.dispatch('right', 'dbt')(string_text, length_expression)) }}
{%- endmacro %}

{% macro default__right(string_text, length_expression) -%}
    right({{ string_text }}, {{ length_expression }})
{%- endmacro %}

{% macro length(expression) -%}
    {{ return(adapter.dispatch('length', 'dbt')(expression)) }}
{%- endmacro %}

{% macro default__length(expression) -%}
    length({{ expression }})
{%- endmacro %}

{#- 1-based position of substring_text in string_text, 0 when absent. -#}
{% macro position(substring_text, string_text) -%}
    {{ return(adapter.dispatch('position', 'dbt')(substring_text, string_text)) }}
{%- endmacro %}

{% macro default__position(substring_text, string_text) -%}
    position({{ substring_text }} in {{ string_text }})
{%- endmacro %}

{#- md5 of the value as text, in hexadecimal. -#}
{% macro hash(field) -%}
    {{ return(adapter.dispatch('hash', 'dbt')(field)) }}
{%- endmacro %}

{% macro default__hash(field) -%}
    md5(cast({{ field }} as varchar))
{%- endmacro %}

{#- Text for inside a quoted SQL literal: Jinja side, no SQL. -#}
{% macro escape_single_quotes(expression) -%}
    {{ return(adapter.dispatch('escape_single_quotes', 'dbt')(expression)) }}
{%- endmacro %}

{% macro default__escape_single_quotes(expression) -%}
    {{ expression | string | replace("'", "''") }}
{%- endmacro %}

{#- A quoted SQL literal; quotes inside the value are doubled. -#}
{% macro string_literal(value) -%}
    {{ return(adapter.dispatch('string_literal', 'dbt')(value)) }}
{%- endmacro %}

{% macro default__string_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{# ------------------------------------------------------------------ aggregates #}

{#- measure's values joined by delimiter_text (a SQL literal, ',' when none), sorted by order_by_clause
    ("order by x desc") when given, the first limit_num only when given. The default is set in the body:
    Jinjava cannot parse a default holding a comma. -#}
{% macro listagg(measure, delimiter_text=none, order_by_clause=none, limit_num=none) -%}
    {{ return(adapter.dispatch('listagg', 'dbt')(measure, delimiter_text, order_by_clause, limit_num)) }}
{%- endmacro %}

{% macro default__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set delimiter = "','" if delimiter_text is none else delimiter_text -%}
    {%- if limit_num -%}
        array_to_string(list_slice(array_agg({{ measure }}{% if order_by_clause %} {{ order_by_clause }}{% endif %}), 1, {{ limit_num }}), {{ delimiter }})
    {%- else -%}
        string_agg({{ measure }}, {{ delimiter }}{% if order_by_clause %} {{ order_by_clause }}{% endif %})
    {%- endif -%}
{%- endmacro %}

{#- One of the group's non-null values. -#}
{% macro any_value(expression) -%}
    {{ return(adapter.dispatch('any_value', 'dbt')(expression)) }}
{%- endmacro %}

{% macro default__any_value(expression) -%}
    any_value({{ expression }})
{%- endmacro %}

{% macro bool_or(expression) -%}
    {{ return(adapter.dispatch('bool_or', 'dbt')(expression)) }}
{%- endmacro %}

{% macro default__bool_or(expression) -%}
    bool_or({{ expression }})
{%- endmacro %}

{# ------------------------------------------------------------------ arrays (DuckDB lists) #}

{#- inputs: a list of SQL expressions; data_type types the empty array (integer when none). -#}
{% macro array_construct(inputs=none, data_type=none) -%}
    {{ return(adapter.dispatch('array_construct', 'dbt')(inputs, data_type)) }}
{%- endmacro %}

{% macro default__array_construct(inputs, data_type) -%}
    {%- if inputs -%}
        [{{ inputs | join(', ') }}]
    {%- else -%}
        cast([] as {{ data_type or 'integer' }}[])
    {%- endif -%}
{%- endmacro %}

{% macro array_append(array, new_element) -%}
    {{ return(adapter.dispatch('array_append', 'dbt')(array, new_element)) }}
{%- endmacro %}

{% macro default__array_append(array, new_element) -%}
    list_append({{ array }}, {{ new_element }})
{%- endmacro %}

{% macro array_concat(array_1, array_2) -%}
    {{ return(adapter.dispatch('array_concat', 'dbt')(array_1, array_2)) }}
{%- endmacro %}

{% macro default__array_concat(array_1, array_2) -%}
    list_concat({{ array_1 }}, {{ array_2 }})
{%- endmacro %}

{# ------------------------------------------------------------------ set operations #}

{% macro except() -%}{{ return(adapter.dispatch('except', 'dbt')()) }}{%- endmacro %}
{% macro default__except() -%}except{%- endmacro %}

{% macro intersect() -%}{{ return(adapter.dispatch('intersect', 'dbt')()) }}{%- endmacro %}
{% macro default__intersect() -%}intersect{%- endmacro %}
