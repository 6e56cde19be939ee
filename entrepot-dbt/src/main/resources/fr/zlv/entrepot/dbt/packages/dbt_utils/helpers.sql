{#- dbt_utils' Jinja helpers and web macros, written for Entrepôt from the package's documentation. -#}

{#- A string made a column name: lower case, runs of spaces and dashes as one _, other characters dropped, and a
    leading _ when it would start with a digit ('Venmo App' -> venmo_app, 'ca$h-money' -> cah_money). -#}
{% macro slugify(string) -%}
    {%- set slug = modules.re.sub('[ -]+', '_', string | string | lower) -%}
    {%- set slug = modules.re.sub('[^a-z0-9_]+', '', slug) -%}
    {{- '_' ~ slug if modules.re.match('[0-9]', slug) else slug -}}
{%- endmacro %}

{#- The current time as text, '14:50:34' by default. -#}
{% macro pretty_time(format='%H:%M:%S') -%}
    {{- modules.datetime.datetime.now().strftime(format) -}}
{%- endmacro %}

{#- A log line: the time, ' + ', the message. -#}
{% macro pretty_log_format(message) -%}
    {{- pretty_time() ~ ' + ' ~ message -}}
{%- endmacro %}

{#- Prints the message with the time in front. -#}
{% macro log_info(message) -%}
    {{- log(pretty_log_format(message), info=true) -}}
{%- endmacro %}

{#- The value of a query-string parameter of a URL column, null when absent or empty. -#}
{% macro get_url_parameter(field, url_parameter) -%}
    nullif(split_part(split_part({{ field }}, '{{ url_parameter }}=', 2), '&', 1), '')
{%- endmacro %}

{#- The host of a URL column: without the scheme, the path, the query string and the port. -#}
{% macro get_url_host(field) -%}
    cast(nullif(split_part(split_part(split_part(regexp_replace({{ field }}, '^[A-Za-z][A-Za-z0-9+.-]*://', ''), '/', 1), '?', 1), ':', 1), '') as varchar)
{%- endmacro %}

{#- The path of a URL column after its host, without the leading / nor the query string or fragment. -#}
{% macro get_url_path(field) -%}
    cast(split_part(split_part(
        case
            when strpos(regexp_replace({{ field }}, '^[A-Za-z][A-Za-z0-9+.-]*://', ''), '/') = 0 then ''
            else substr(regexp_replace({{ field }}, '^[A-Za-z][A-Za-z0-9+.-]*://', ''),
                strpos(regexp_replace({{ field }}, '^[A-Za-z][A-Za-z0-9+.-]*://', ''), '/') + 1)
        end, '?', 1), '#', 1) as varchar)
{%- endmacro %}
