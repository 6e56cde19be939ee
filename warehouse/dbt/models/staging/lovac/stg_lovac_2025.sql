-- LOVAC 2025 in the common column set of every millésime (see macros/yearly_files.sql).
{{ lovac_staging(2025) }}
