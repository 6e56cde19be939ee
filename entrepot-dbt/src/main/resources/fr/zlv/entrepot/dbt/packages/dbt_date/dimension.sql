{#- dbt_date's date dimension: a spine of dates (get_base_dates) and one row per day with its calendar attributes (get_date_dimension). -#}

{#- A spine of dateparts in column date_<datepart> (timestamps): from start_date (included) to end_date (excluded),
    both plain dates ("2024-01-01"); or, given n_dateparts, the last n_dateparts up to today included. -#}
{% macro get_base_dates(start_date=none, end_date=none, n_dateparts=none, datepart="day") -%}
    {%- if start_date and end_date -%}
        {%- set start = "cast('" ~ start_date ~ "' as date)" -%}
        {%- set stop = "cast('" ~ end_date ~ "' as date)" -%}
    {%- elif n_dateparts and datepart -%}
        {%- set start = dbt.dateadd(datepart, '-1 * (' ~ n_dateparts ~ ')', dbt_date.today()) -%}
        {%- set stop = dbt_date.tomorrow() -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("get_base_dates needs start_date and end_date, or n_dateparts.") }}
    {%- endif -%}
    select date_{{ datepart }} from ({{ dbt.date_spine(datepart, start, stop) }}) as base_dates
{%- endmacro %}

{#- One row per day from start_date to end_date (excluded), with the columns dbt_date documents: the day around it,
    its weekday (day_of_week from Sunday = 1, day_of_week_iso from Monday = 1), its US week (Sunday to Saturday) and
    ISO week, month, quarter and year, and the same for a year before (prior_year_* weeks start from the same
    weekday 364 days before; prior_year_* months from the same date a year before). -#}
{% macro get_date_dimension(start_date, end_date) -%}
with base_dates as (
    {{ dbt_date.get_base_dates(start_date, end_date) }}
),

days as (
    select
        cast(date_day as date) as date_day,
        cast(cast(date_day as date) - interval '1 year' as date) as prior_year_date_day,
        cast(date_day as date) - 364 as prior_year_over_year_date_day
    from base_dates
)

select
    d.date_day,
    d.date_day - 1 as prior_date_day,
    d.date_day + 1 as next_date_day,
    d.prior_year_date_day,
    d.prior_year_over_year_date_day,
    {{ dbt_date.day_of_week('d.date_day', isoweek=false) }} as day_of_week,
    {{ dbt_date.day_of_week('d.date_day', isoweek=true) }} as day_of_week_iso,
    {{ dbt_date.day_name('d.date_day', short=false) }} as day_of_week_name,
    {{ dbt_date.day_name('d.date_day', short=true) }} as day_of_week_name_short,
    {{ dbt_date.day_of_month('d.date_day') }} as day_of_month,
    {{ dbt_date.day_of_year('d.date_day') }} as day_of_year,
    {{ dbt_date.week_start('d.date_day') }} as week_start_date,
    {{ dbt_date.week_end('d.date_day') }} as week_end_date,
    {{ dbt_date.week_start('d.prior_year_over_year_date_day') }} as prior_year_week_start_date,
    {{ dbt_date.week_end('d.prior_year_over_year_date_day') }} as prior_year_week_end_date,
    {{ dbt_date.week_of_year('d.date_day') }} as week_of_year,
    {{ dbt_date.iso_week_start('d.date_day') }} as iso_week_start_date,
    {{ dbt_date.iso_week_end('d.date_day') }} as iso_week_end_date,
    {{ dbt_date.iso_week_start('d.prior_year_over_year_date_day') }} as prior_year_iso_week_start_date,
    {{ dbt_date.iso_week_end('d.prior_year_over_year_date_day') }} as prior_year_iso_week_end_date,
    {{ dbt_date.iso_week_of_year('d.date_day') }} as iso_week_of_year,
    {{ dbt_date.week_of_year('d.prior_year_over_year_date_day') }} as prior_year_week_of_year,
    {{ dbt_date.iso_week_of_year('d.prior_year_over_year_date_day') }} as prior_year_iso_week_of_year,
    cast(extract(month from d.date_day) as integer) as month_of_year,
    {{ dbt_date.month_name('d.date_day', short=false) }} as month_name,
    {{ dbt_date.month_name('d.date_day', short=true) }} as month_name_short,
    cast(date_trunc('month', d.date_day) as date) as month_start_date,
    {{ dbt.last_day('d.date_day', 'month') }} as month_end_date,
    cast(date_trunc('month', d.prior_year_date_day) as date) as prior_year_month_start_date,
    {{ dbt.last_day('d.prior_year_date_day', 'month') }} as prior_year_month_end_date,
    cast(extract(quarter from d.date_day) as integer) as quarter_of_year,
    cast(date_trunc('quarter', d.date_day) as date) as quarter_start_date,
    {{ dbt.last_day('d.date_day', 'quarter') }} as quarter_end_date,
    cast(extract(year from d.date_day) as integer) as year_number,
    cast(date_trunc('year', d.date_day) as date) as year_start_date,
    {{ dbt.last_day('d.date_day', 'year') }} as year_end_date
from days as d
order by d.date_day
{%- endmacro %}
