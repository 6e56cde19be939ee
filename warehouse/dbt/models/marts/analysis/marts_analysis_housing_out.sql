-- Exits from vacancy per housing and pair of consecutive LOVAC years (N, N+1), with the campaigns that
-- reached the housing before the exit. One row per housing listed as vacant in LOVAC N.
select
    housing_out.local_id,
    housing_out.housing_id,
    housing_out.lovac_year,
    housing_out.next_lovac_year,
    housing_out.commune_code,
    housing_out.department_code,
    communes.epci_code,
    housing_out.housing_kind,
    housing_out.vacancy_start_year,
    housing_out.vacancy_duration_years,
    housing_out.is_in_next_lovac,
    housing_out.next_occupancy,
    housing_out.is_out_of_vacancy,
    housing_out.exit_kind,
    housing_out.is_in_production,
    housing_out.campaign_count_before,
    housing_out.campaign_count_in_year,
    housing_out.is_contacted_before,
    housing_out.first_campaign_sent_at,
    housing_out.last_campaign_sent_at,
    housing_out.is_exit_after_contact
from {{ ref('int_analysis_housing_out') }} as housing_out
left join {{ ref('stg_admin_communes') }} as communes
    on communes.commune_code = housing_out.commune_code
