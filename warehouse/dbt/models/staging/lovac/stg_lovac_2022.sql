-- LOVAC 2022 in the common column set of every millésime (see macros/yearly_files.sql).
{{ lovac_staging(2022) }}
