-- The land files' owners of each dwelling (2024). Names, birth dates and postal addresses are direct personal
-- data and stay in the raw table: only the owner's age on 1 January 2024 and whether they live in the
-- dwelling's département are derived from them.
select
    2024 as ff_year,
    {{ file_text('idprocpte') }} as property_account_id,
    {{ file_text('idlocal') }} as local_id,
    {{ file_integer('dnulp') }} as owner_rank,
    {{ file_text('idpersonne') }} as land_file_person_id,
    {{ file_text('ccogrm') }} as legal_category,
    {{ file_text('catpro2txt') }} as owner_category,
    {{ file_text('ccogrm') }} is null as is_natural_person,
    {{ age_on_first_january('jdatnss', 2024) }} as owner_age,
    {{ lives_in_department('dlign6', file_text('idlocal')) }} as is_local_owner
from {{ source('ff', 'ff_2024_owners') }}
