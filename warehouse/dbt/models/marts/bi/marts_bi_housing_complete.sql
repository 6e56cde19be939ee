-- The housing fact table for the BI tool: every column of marts_production_housing, and the programme's flags
-- of what the application did for each housing. A housing is in a campaign when a campaign (even a draft)
-- holds it, contacted when one of them was sent, followed when its status is no longer 0 (Non suivi).
with housing as (
    select * from {{ ref('marts_production_housing') }}
)

select
    housing.*,
    housing.campaign_count > 0 as is_in_campaign,
    housing.sent_campaign_count > 0 as is_contacted,
    housing.status = 1 as is_waiting_for_return,
    housing.status in (2, 3) as is_follow_up_in_progress,
    housing.status = 4 as is_follow_up_completed,
    housing.status = 5 as is_follow_up_blocked,
    -- How far along the follow-up path (0 Non suivi, 1 En attente de retour, 2 Premier contact, 3 Suivi en cours,
    -- 4 Suivi terminé) the housing ever went, from its status changes and its current status; a blocked
    -- housing (5) keeps the step it had reached.
    greatest(
        case when housing.status between 0 and 4 then housing.status else 0 end,
        case
            when housing.has_reached_completed then 4
            when housing.has_reached_in_progress then 3
            when housing.has_reached_first_contact then 2
            when housing.has_reached_waiting then 1
            else 0
        end
    ) as furthest_status_reached,
    housing.user_status_change_count > 0 as is_followed_by_establishment,
    housing.zlv_status_change_count > 0 as is_followed_by_zlv_team,
    coalesce(housing.has_exited_vacancy and housing.exited_vacancy_at >= housing.first_campaign_sent_at, false)
        as is_exit_after_contact,
    case when housing.exited_vacancy_at >= housing.first_campaign_sent_at
        then {{ days_between('housing.first_campaign_sent_at', 'housing.exited_vacancy_at') }} end
        as days_from_first_contact_to_exit,
    coalesce(housing.first_status_changed_at >= housing.first_campaign_sent_at, false) as is_followed_after_contact,
    -- In an earlier LOVAC file but not in the last one: no longer counted as vacant by the files.
    coalesce(housing.lovac_years_count > 0 and not housing.is_in_last_lovac, false) as is_out_of_last_lovac
from housing
