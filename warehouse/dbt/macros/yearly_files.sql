{#-
  Helpers for the yearly files (LOVAC, land files): their columns arrive as text or numbers depending on the
  millésime and on how the file was read (decimal commas, French dates), so staging reads every value through
  these, whatever its type in the raw table.
-#}

{#- A number written with a decimal comma or a point, or already a number: a double (null when unreadable). -#}
{% macro file_decimal(column) -%}
    {{ text_to_double("replace(trim(cast(" ~ column ~ " as varchar)), ',', '.')") }}
{%- endmacro %}

{#- A whole number (a year, a count, a code), possibly written "12.0" or "12,0": an integer. -#}
{% macro file_integer(column) -%}
    cast(round({{ file_decimal(column) }}) as integer)
{%- endmacro %}

{#- A date written dd/mm/yyyy (French) or yyyy-mm-dd, or already a date: a date. -#}
{% macro file_date(column) -%}
    {{ text_to_date("trim(cast(" ~ column ~ " as varchar))") }}
{%- endmacro %}

{#- A code as text without its blanks, null when empty. -#}
{% macro file_text(column) -%}
    nullif(trim(cast({{ column }} as varchar)), '')
{%- endmacro %}

{#- Full years between a birth date (dd/mm/yyyy) and 1 January of a year: the owner's age that year. -#}
{% macro age_on_first_january(birth_date_column, year_expression) -%}
    {{ full_years_between(file_date(birth_date_column), "make_date(" ~ year_expression ~ ", 1, 1)") }}
{%- endmacro %}

{#-
  Whether an owner's postal address line ("01000 BOURG") lies in a département (its code: 01, 2A...): the
  first two digits of the postcode, Corsica's 20xxx matching 2A and 2B.
-#}
{% macro lives_in_department(address_line, department_code) -%}
    (nullif({{ regexp_first_group("trim(cast(" ~ address_line ~ " as varchar))", "'^([0-9]{2})[0-9]{3}'") }}, '')
        = case when left({{ department_code }}, 2) in ('2A', '2B') then '20' else left({{ department_code }}, 2) end)
{%- endmacro %}

{#-
  One LOVAC millésime in the common column set of every year. The format changed in 2023: the vacancy fields
  were renamed (ff_ccthp -> ffh_ccthp, debutvacance -> ffh_debutvacance), the year of the last transfer became
  a DVF date (anmutation -> dvf_datemut, dd/mm/yyyy), coordinates (ff_x, ff_y) and the TLV/THLV flag
  appeared, and numbers came with decimal commas. Owners' names, birth dates and postal addresses
  (ff_ddenom_*, ff_jdatnss_*, ff_dlign*_*) are direct personal data: only what the analyses need is derived
  from them here (the main owner's age band input and whether they live in the housing's département), and
  they go no further.
-#}
{% macro lovac_staging(year) -%}
{%- set new_format = year | int >= 2023 -%}
with raw as (
    select * from {{ source('lovac', 'lovac_' ~ year) }}
)

select
    {{ year }} as lovac_year,
    {{ file_text('ff_idlocal') }} as local_id,
    {{ file_text('invariant') }} as invariant,
    {{ file_text('ff_idbat') }} as building_id,
    {{ file_text('ff_idpar') }} as plot_id,
    {{ file_text('ff_idcom') }} as commune_code,
    {{ file_text('ff_ccodep') }} as department_code,
    {{ file_integer('ff_dnvoiri') }} as street_number,
    {{ file_text('ff_dvoilib') }} as street_name,
    case {{ file_integer('ff_dteloc') }} when 1 then 'MAISON' when 2 then 'APPART' end as housing_kind,
    {{ file_decimal('ff_stoth') }} as living_area,
    {{ file_integer('ff_npiece_p2') }} as rooms_count,
    nullif({{ file_integer('ff_jannath') }}, 0) as building_year,
    {{ file_integer('ff_dcapec2') }} as cadastral_classification,
    {{ file_decimal('ff_vlcad') }} as rental_value,
{%- if new_format %}
    upper({{ file_text('ffh_ccthp') }}) as occupancy,
    {{ file_integer('ffh_debutvacance') }} as vacancy_start_year,
    {{ file_date('dvf_datemut') }} as last_mutation_date,
    {{ year_of(file_date('dvf_datemut')) }} as last_mutation_year,
{%- else %}
    upper({{ file_text('ff_ccthp') }}) as occupancy,
    {{ file_integer('debutvacance') }} as vacancy_start_year,
    cast(null as date) as last_mutation_date,
    {{ file_integer('anmutation') }} as last_mutation_year,
{%- endif %}
    {{ file_integer('ff_ndroit') }} as owner_count,
    lower({{ file_text('groupe') }}) as owner_group,
    {{ file_text('ff_ccogrm_1') }} as main_owner_legal_category,
    {{ age_on_first_january('ff_jdatnss_1', year) }} as main_owner_age,
    {{ lives_in_department('ff_dlign6_1', file_text('ff_ccodep')) }} as is_main_owner_local,
{%- if new_format %}
    {{ file_decimal('ff_x') }} as longitude,
    {{ file_decimal('ff_y') }} as latitude,
    {{ file_integer('potentiel_tlv_thlv') }} = 1 as is_tlv_thlv_area,
{%- else %}
    cast(null as double precision) as longitude,
    cast(null as double precision) as latitude,
    cast(null as boolean) as is_tlv_thlv_area,
{%- endif %}
    coalesce(upper({{ file_text('ff_ccthp' if not new_format else 'ffh_ccthp') }}), 'V') = 'V' as is_vacant
from raw
{%- endmacro %}
