-- LOVAC 2019 in the common column set of every millésime (see macros/yearly_files.sql).
{{ lovac_staging(2019) }}
