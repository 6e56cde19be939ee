{#- The production application's codes and labels (facts of the application's enums), used by the production models. -#}

{#- The follow-up status code 0-5 of a status label as events store it (current and former labels; a digit passes through). -#}
{% macro housing_status_code(label) -%}
    (case trim({{ label }})
        when 'Non suivi' then 0 when 'Non-suivi' then 0 when 'Jamais contacté' then 0 when '0' then 0
        when 'En attente de retour' then 1 when '1' then 1
        when 'Premier contact' then 2 when '2' then 2
        when 'Suivi en cours' then 3 when '3' then 3
        when 'Suivi terminé' then 4 when 'Non-vacant' then 4 when '4' then 4
        when 'Suivi bloqué' then 5 when 'Bloqué' then 5 when '5' then 5
    end)
{%- endmacro %}

{#- The current label of a follow-up status code 0-5. -#}
{% macro housing_status_label(code) -%}
    (case {{ code }}
        when 0 then 'Non suivi'
        when 1 then 'En attente de retour'
        when 2 then 'Premier contact'
        when 3 then 'Suivi en cours'
        when 4 then 'Suivi terminé'
        when 5 then 'Suivi bloqué'
    end)
{%- endmacro %}

{#- The sub-status of status 4 (Suivi terminé) that says the housing left vacancy. -#}
{% macro exit_from_vacancy_sub_status() -%}
    'Sortie de la vacance'
{%- endmacro %}

{#- The label of an occupancy code (V vacant, L rented, ...). -#}
{% macro occupancy_label(code) -%}
    (case {{ code }}
        when 'V' then 'Vacant'
        when 'L' then 'En location'
        when 'B' then 'Meublé de tourisme'
        when 'RS' then 'Résidence secondaire'
        when 'P' then 'Occupé par le propriétaire'
        when 'N' then 'Dépendance'
        when 'T' then 'Local commercial ou bureau'
        when 'D' then 'Démoli ou divisé'
        when 'G' then 'Occupé à titre gratuit'
        when 'F' then 'Fonctionnaire logé'
        when 'R' then 'Artisan exonéré'
        when 'U' then 'Utilisation commune'
        when 'X' then 'Bail rural'
        when 'A' then 'Autres'
        when 'inconnu' then 'Inconnu'
    end)
{%- endmacro %}

{#- The owner kind id (particulier, sci-copro, ...) of the owner kind label stored in owners.kind_class. -#}
{% macro owner_kind_code(label) -%}
    (case
        when {{ label }} is null then null
        when {{ label }} = 'Particulier' then 'particulier'
        when {{ label }} = 'SCI, Copropriété, Autres personnes morales' then 'sci-copro'
        when {{ label }} = 'Promoteur, Investisseur privé' then 'promoteur'
        when {{ label }} = 'Etat et collectivité territoriale' then 'etat-collectivite'
        when {{ label }} = 'Bailleur social, Aménageur, Investisseur public' then 'bailleur-social'
        else 'autres'
    end)
{%- endmacro %}

{#- The calendar month (first day, a date) of a timestamp with time zone, in France's time zone. -#}
{% macro paris_month(timestamp) -%}
    cast(date_trunc('month', timezone('Europe/Paris', {{ timestamp }})) as date)
{%- endmacro %}

{#- The calendar date of a timestamp with time zone, in France's time zone. -#}
{% macro paris_date(timestamp) -%}
    cast(timezone('Europe/Paris', {{ timestamp }}) as date)
{%- endmacro %}

{#- The reference date of age and duration figures: the var as_of_date (YYYY-MM-DD) when given, else today. -#}
{% macro as_of_date() -%}
    {%- if var('as_of_date', none) -%} date '{{ var("as_of_date") }}' {%- else -%} current_date {%- endif -%}
{%- endmacro %}
