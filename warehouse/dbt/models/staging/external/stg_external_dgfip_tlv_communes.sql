-- Communes where the tax on vacant housing (TLV) applies, with their zoning.
select
    {{ file_text('code_commune') }} as commune_code,
    {{ file_text('libelle_commune') }} as commune_name,
    upper({{ file_text('zonage_tlv') }}) as tlv_zoning
from {{ source('external', 'dgfip_liste_communes_tlv1_tlv2') }}
