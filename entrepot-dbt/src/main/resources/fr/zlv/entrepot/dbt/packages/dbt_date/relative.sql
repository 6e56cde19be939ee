{#- dbt_date's macros relative to now: the current time and date in the project's time zone (var dbt_date:time_zone), and days, weeks and months before and after. -#}

{#- The wall-clock time in the time zone, as a timestamp without time zone. -#}
{% macro now(tz=none) -%}
    timezone('{{ dbt_date._entrepot_time_zone(tz) }}', now())
{%- endmacro %}

{% macro today(tz=none) -%}
    cast({{ dbt_date.now(tz) }} as date)
{%- endmacro %}

{% macro n_days_ago(n, date=none, tz=none) -%}
    cast({{ dbt.dateadd('day', '-1 * (' ~ n ~ ')', dbt_date._entrepot_date_or_today(date, tz)) }} as date)
{%- endmacro %}

{% macro n_days_away(n, date=none, tz=none) -%}
    cast({{ dbt.dateadd('day', n, dbt_date._entrepot_date_or_today(date, tz)) }} as date)
{%- endmacro %}

{% macro yesterday(date=none, tz=none) -%}
    {{ dbt_date.n_days_ago(1, date, tz) }}
{%- endmacro %}

{% macro tomorrow(date=none, tz=none) -%}
    {{ dbt_date.n_days_away(1, date, tz) }}
{%- endmacro %}

{#- The first day (a Monday, as date_trunc gives) of the week n weeks before or after today's. -#}
{% macro n_weeks_ago(n, tz=none) -%}
    cast(date_trunc('week', {{ dbt.dateadd('week', '-1 * (' ~ n ~ ')', dbt_date.today(tz)) }}) as date)
{%- endmacro %}

{% macro n_weeks_away(n, tz=none) -%}
    cast(date_trunc('week', {{ dbt.dateadd('week', n, dbt_date.today(tz)) }}) as date)
{%- endmacro %}

{% macro last_week(tz=none) -%}
    {{ dbt_date.n_weeks_ago(1, tz) }}
{%- endmacro %}

{% macro next_week(tz=none) -%}
    {{ dbt_date.n_weeks_away(1, tz) }}
{%- endmacro %}

{#- The first day of the month n months before or after today's. -#}
{% macro n_months_ago(n, tz=none) -%}
    cast(date_trunc('month', {{ dbt.dateadd('month', '-1 * (' ~ n ~ ')', dbt_date.today(tz)) }}) as date)
{%- endmacro %}

{% macro n_months_away(n, tz=none) -%}
    cast(date_trunc('month', {{ dbt.dateadd('month', n, dbt_date.today(tz)) }}) as date)
{%- endmacro %}

{% macro last_month(tz=none) -%}
    {{ dbt_date.n_months_ago(1, tz) }}
{%- endmacro %}

{% macro next_month(tz=none) -%}
    {{ dbt_date.n_months_away(1, tz) }}
{%- endmacro %}

{% macro last_month_number(tz=none) -%}
    cast(extract(month from {{ dbt_date.last_month(tz) }}) as integer)
{%- endmacro %}

{% macro next_month_number(tz=none) -%}
    cast(extract(month from {{ dbt_date.next_month(tz) }}) as integer)
{%- endmacro %}

{% macro last_month_name(short=true, tz=none) -%}
    {{ dbt_date.month_name(dbt_date.last_month(tz), short) }}
{%- endmacro %}

{% macro next_month_name(short=true, tz=none) -%}
    {{ dbt_date.month_name(dbt_date.next_month(tz), short) }}
{%- endmacro %}

{#- Periods (datediff's boundaries) from date_col to now in the time zone. -#}
{% macro periods_since(date_col, period_name='day', tz=none) -%}
    {{ dbt.datediff(date_col, dbt_date.now(tz), period_name) }}
{%- endmacro %}
