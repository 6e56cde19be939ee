{#- dbt_date's calendar macros (date parts, names, weeks, epochs, time zones), written in SQL DuckDB and PostgreSQL
    both read (extract, date_trunc, timezone); the few that differ dispatch to postgres__ versions (postgres.sql). A date argument is a SQL expression ('order_date', "'2024-01-31'"); when a macro takes date=none, it means today in the time zone. -#}

{#- The time zone of "today" and "now": the tz argument, else the project's var dbt_date:time_zone, else the
    package's documented default, America/Los_Angeles. -#}
{% macro _entrepot_time_zone(tz=none) -%}
    {#- The parentheses matter: Jinjava reads "a if b else f(x)" as "(a if b else f)(x)". -#}
    {{ return(tz if tz else (var('dbt_date:time_zone', 'America/Los_Angeles'))) }}
{%- endmacro %}

{#- The date expression, or today's date in the time zone when none is given. -#}
{% macro _entrepot_date_or_today(date=none, tz=none) -%}
    {%- if date -%}cast({{ date }} as date){%- else -%}{{ dbt_date.today(tz) }}{%- endif -%}
{%- endmacro %}

{% macro date_part(datepart, date) -%}
    date_part('{{ datepart }}', {{ _entrepot_temporal(date) }})
{%- endmacro %}

{#- 'Mon' (short) or 'Monday', in English. -#}
{% macro day_name(date, short=true) -%}
    {{ return(adapter.dispatch('day_name', 'dbt_date')(date, short)) }}
{%- endmacro %}

{% macro default__day_name(date, short=true) -%}
    {%- if short -%}strftime(cast({{ date }} as date), '%a'){%- else -%}dayname(cast({{ date }} as date)){%- endif -%}
{%- endmacro %}

{% macro month_name(date, short=true, tz=none) -%}
    {{ return(adapter.dispatch('month_name', 'dbt_date')(date, short)) }}
{%- endmacro %}

{% macro default__month_name(date, short=true) -%}
    {%- if short -%}strftime(cast({{ date }} as date), '%b'){%- else -%}monthname(cast({{ date }} as date)){%- endif -%}
{%- endmacro %}

{% macro day_of_month(date) -%}
    cast(extract(day from cast({{ date }} as date)) as integer)
{%- endmacro %}

{% macro day_of_year(date) -%}
    cast(extract(doy from cast({{ date }} as date)) as integer)
{%- endmacro %}

{#- 1 to 7: Monday to Sunday when isoweek, else Sunday to Saturday. -#}
{% macro day_of_week(date, isoweek=true) -%}
    {%- if isoweek -%}
        cast(extract(isodow from cast({{ date }} as date)) as integer)
    {%- else -%}
        cast(extract(dow from cast({{ date }} as date)) + 1 as integer)
    {%- endif -%}
{%- endmacro %}

{#- US weeks: from Sunday to Saturday. -#}
{% macro week_start(date=none, tz=none) -%}
    {%- set day = dbt_date._entrepot_date_or_today(date, tz) -%}
    ({{ day }} - cast(extract(dow from {{ day }}) as integer))
{%- endmacro %}

{% macro week_end(date=none, tz=none) -%}
    ({{ dbt_date.week_start(date, tz) }} + 6)
{%- endmacro %}

{#- Week 1 is the year's first seven days (January 1st to 7th), and so on. -#}
{% macro week_of_year(date=none, tz=none) -%}
    cast(floor((extract(doy from {{ dbt_date._entrepot_date_or_today(date, tz) }}) + 6) / 7) as integer)
{%- endmacro %}

{#- ISO weeks: from Monday to Sunday, week 1 holding the year's first Thursday. -#}
{% macro iso_week_start(date=none, tz=none) -%}
    cast(date_trunc('week', {{ dbt_date._entrepot_date_or_today(date, tz) }}) as date)
{%- endmacro %}

{% macro iso_week_end(date=none, tz=none) -%}
    ({{ dbt_date.iso_week_start(date, tz) }} + 6)
{%- endmacro %}

{% macro iso_week_of_year(date=none, tz=none) -%}
    cast(extract(week from {{ dbt_date._entrepot_date_or_today(date, tz) }}) as integer)
{%- endmacro %}

{#- A timestamp (without time zone, in UTC) from a number of seconds, milliseconds, microseconds or nanoseconds
    since 1970-01-01. Seconds and milliseconds may have decimals, so they are scaled as doubles (an integer column
    times a million would overflow); the others are whole numbers. -#}
{% macro from_unixtimestamp(epochs, format="seconds") -%}
    {{ return(adapter.dispatch('from_unixtimestamp', 'dbt_date')(epochs, format)) }}
{%- endmacro %}

{% macro default__from_unixtimestamp(epochs, format="seconds") -%}
    {%- set microseconds = {
        'seconds': 'cast(cast(' ~ epochs ~ ' as double) * 1000000 as bigint)',
        'milliseconds': 'cast(cast(' ~ epochs ~ ' as double) * 1000 as bigint)',
        'microseconds': 'cast(' ~ epochs ~ ' as bigint)',
        'nanoseconds': 'cast(' ~ epochs ~ ' as bigint) // 1000'} -%}
    {%- if format not in microseconds -%}
        {{ exceptions.raise_compiler_error("from_unixtimestamp: format '" ~ format ~ "' is not one of seconds, milliseconds, microseconds, nanoseconds.") }}
    {%- endif -%}
    make_timestamp({{ microseconds[format] }})
{%- endmacro %}

{#- Whole seconds since 1970-01-01 (UTC), as a bigint. -#}
{% macro to_unixtimestamp(timestamp) -%}
    cast(floor(extract(epoch from {{ _entrepot_temporal(timestamp) }})) as bigint)
{%- endmacro %}

{#- A timestamp without time zone, read in source_tz (UTC when none), given in target_tz (the project's time zone
    when none). -#}
{% macro convert_timezone(column, target_tz=none, source_tz=none) -%}
    {%- set target = dbt_date._entrepot_time_zone(target_tz) -%}
    {%- set source = source_tz if source_tz else 'UTC' -%}
    timezone('{{ target }}', timezone('{{ source }}', cast({{ column }} as timestamp)))
{%- endmacro %}

{#- The nearest midnight: noon and after go to the next day. -#}
{% macro round_timestamp(timestamp) -%}
    date_trunc('day', {{ _entrepot_temporal(timestamp) }} + interval '12 hours')
{%- endmacro %}
