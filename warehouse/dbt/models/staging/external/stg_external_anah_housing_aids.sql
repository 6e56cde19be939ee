-- ANAH's renovation grants per commune and year.
select
    2024 as aid_year,
    {{ file_text('code_commune') }} as commune_code,
    {{ file_integer('logements_aides') }} as aided_housing_count,
    {{ file_decimal('montant_aides') }} as aid_amount,
    {{ file_integer('dont_sortie_vacance') }} as aided_vacancy_exit_count
from {{ source('external', 'anah_aides_logements_2024') }}
