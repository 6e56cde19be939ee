-- Vacancy per commune and LOVAC year: the vacant stock on 1 January N, the housings that entered it since
-- N-1, those that left it by N+1 (null for the latest millésime, whose next one is not loaded yet), and how
-- the housings contacted by a campaign fared.
with lovac as (
    select * from {{ ref('stg_lovac_all') }}
),

loaded_years as (
    select distinct lovac_year from lovac
),

stock as (
    select
        commune_code,
        lovac_year,
        count(*) as vacant_housing_count,
        count(*) filter (where lovac_year - vacancy_start_year >= 2) as long_term_vacant_housing_count
    from lovac
    where is_vacant
    group by commune_code, lovac_year
),

entries as (
    select
        current_year.commune_code,
        current_year.lovac_year,
        count(*) filter (where previous_year.local_id is null) as entry_count
    from lovac as current_year
    join loaded_years
        on loaded_years.lovac_year = current_year.lovac_year - 1
    left join lovac as previous_year
        on previous_year.local_id = current_year.local_id
        and previous_year.lovac_year = current_year.lovac_year - 1
        and previous_year.is_vacant
    where current_year.is_vacant
    group by current_year.commune_code, current_year.lovac_year
),

exits as (
    select
        commune_code,
        lovac_year,
        count(*) as followed_housing_count,
        count(*) filter (where is_out_of_vacancy) as exit_count,
        count(*) filter (where is_contacted_before) as contacted_housing_count,
        count(*) filter (where is_exit_after_contact) as contacted_exit_count,
        count(*) filter (where is_out_of_vacancy and not is_contacted_before) as not_contacted_exit_count
    from {{ ref('int_analysis_housing_out') }}
    group by commune_code, lovac_year
)

select
    stock.commune_code,
    communes.commune_name,
    communes.epci_code,
    coalesce(communes.department_code, left(stock.commune_code, 2)) as department_code,
    communes.region_code,
    stock.lovac_year,
    stock.vacant_housing_count,
    stock.long_term_vacant_housing_count,
    entries.entry_count,
    exits.exit_count,
    {{ rounded_ratio('exits.exit_count', 'stock.vacant_housing_count', 4) }} as exit_rate,
    exits.contacted_housing_count,
    exits.contacted_exit_count,
    {{ rounded_ratio('exits.contacted_exit_count', 'nullif(exits.contacted_housing_count, 0)', 4) }} as contacted_exit_rate,
    {{ rounded_ratio('exits.not_contacted_exit_count',
        'nullif(exits.followed_housing_count - exits.contacted_housing_count, 0)', 4) }} as not_contacted_exit_rate
from stock
left join entries
    on entries.commune_code = stock.commune_code
    and entries.lovac_year = stock.lovac_year
left join exits
    on exits.commune_code = stock.commune_code
    and exits.lovac_year = stock.lovac_year
left join {{ ref('stg_admin_communes') }} as communes
    on communes.commune_code = stock.commune_code
