{#-
    Pseudonyms of personal values: keyed HMAC-SHA256 (RFC 2104), the key in the environment variable
    ENTREPOT_PII_KEY. The same value and key always give the same pseudonym (64 lower-case hex characters), so
    pseudonymised columns still join; without the key nobody can recompute one from a guessed value, as anyone
    could from a bare hash of a name or an id. A null value stays null.

    The key never appears in a model's compiled SQL (target/compiled, the manifest, the documentation site):
    the model sets it as a DuckDB variable in a pre-hook and forgets it in a post-hook, and pseudonymise() reads
    the variable. pseudonymise() gives the model that calls it these hooks (config() while parsing); they can
    also be written in the model:

        {{ config(materialized='table', pre_hook="{{ pii_key_hook() }}", post_hook="{{ pii_key_reset() }}") }}

    A model that pseudonymises must be a table (or incremental): a view would need the variable whenever it is
    read, and fails without it.

    Without ENTREPOT_PII_KEY (or with an empty one) the pre-hook fails the model with a clear message; there is
    no fallback to a bare hash. Parsing alone (dbt parse, ls) needs no key.
-#}

{#- The pre-hook that gives the running model's connection the key. -#}
{% macro pii_key_hook() -%}
    {{ return(adapter.dispatch('pii_key_hook')()) }}
{%- endmacro %}

{#- The key, or a compilation error naming the variable when it is not set (parsing alone needs none). -#}
{% macro _pii_key() -%}
    {%- set key = env_var('ENTREPOT_PII_KEY', '') -%}
    {%- if key | length == 0 and execute -%}
        {{ exceptions.raise_compiler_error(
            "ENTREPOT_PII_KEY is not set: pseudonymise() needs the secret key of the personal-data pseudonyms "
            ~ "(a long random string, the same for every build so that pseudonyms stay stable). Set the "
            ~ "environment variable ENTREPOT_PII_KEY and run again; the build never falls back to a bare hash.") }}
    {%- endif -%}
    {{ return(key) }}
{%- endmacro %}

{% macro default__pii_key_hook() -%}
    set variable entrepot_pii_key = '{{ _pii_key() | replace("'", "''") }}'
{%- endmacro %}

{#- The post-hook that takes the key away from the connection. -#}
{% macro pii_key_reset() -%}
    {{ return(adapter.dispatch('pii_key_reset')()) }}
{%- endmacro %}

{% macro default__pii_key_reset() -%}
    reset variable entrepot_pii_key
{%- endmacro %}

{#- PostgreSQL keeps the key in a setting of the session (entrepot.pii_key), emptied afterwards. -#}
{% macro postgres__pii_key_hook() -%}
    set entrepot.pii_key = '{{ _pii_key() | replace("'", "''") }}'
{%- endmacro %}

{% macro postgres__pii_key_reset() -%}
    reset entrepot.pii_key
{%- endmacro %}

{#-
    pseudonymise(expr): HMAC-SHA256(key, cast(expr as varchar)) in DuckDB's own SQL (no extension): the key
    (UTF-8), hashed first when longer than the 64-byte block, is padded with zero bytes to 64 bytes, xor-ed with
    the inner (0x36) and outer (0x5c) pads as BIT strings, and sha256 runs over the concatenated blobs:
        sha256((K xor opad) || sha256((K xor ipad) || message))
-#}
{% macro pseudonymise(expr) -%}
    {#- The model that calls it gets the hooks that give its connection the key (config() while parsing). -#}
    {%- do config(pre_hook="{{ pii_key_hook() }}", post_hook="{{ pii_key_reset() }}") -%}
    {{ return(adapter.dispatch('pseudonymise')(expr)) }}
{%- endmacro %}

{% macro default__pseudonymise(expr) -%}
    {%- set key -%}
        encode(case when getvariable('entrepot_pii_key') is null
            then error('pseudonymise() has no key: the model must set it with the pre-hook pii_key_hook() (see macros/privacy.sql)')
            else getvariable('entrepot_pii_key') end)
    {%- endset -%}
    {%- set block -%}
        unhex(rpad(case when octet_length({{ key }}) > 64 then sha256({{ key }}) else hex({{ key }}) end, 128, '0'))::bit
    {%- endset -%}
    (case when ({{ expr }}) is null then null else lower(sha256(
        xor({{ block }}, unhex(repeat('5c', 64))::bit)::blob
        || unhex(sha256(
            xor({{ block }}, unhex(repeat('36', 64))::bit)::blob
            || encode(cast(({{ expr }}) as varchar))
        ))
    )) end)
{%- endmacro %}

{#-
    The same HMAC-SHA256 in PostgreSQL's SQL (sha256() of PostgreSQL 11, no extension), giving the same pseudonyms
    as DuckDB's for the same key and value: the key block is xor-ed with the pads as bit(512) strings, turned back
    into bytes through 16 32-bit integers in hexadecimal. A key missing from the session stops the query.
-#}
{% macro _pg_key_block_xor(pad) -%}
    (select decode(string_agg(lpad(to_hex(substring(block.padded from part * 32 + 1 for 32)::integer), 8, '0'), ''
            order by part), 'hex')
     from (select ('x' || rpad(encode(case when octet_length(key.bytes) > 64 then sha256(key.bytes) else key.bytes end,
                'hex'), 128, '0'))::bit(512) # ('x' || repeat('{{ pad }}', 64))::bit(512) as padded
           from (select convert_to(case when coalesce(current_setting('entrepot.pii_key', true), '') = ''
                    -- An error at run time (a constant would be folded, and fail, when the query is planned).
                    then cast(coalesce(current_setting('entrepot.pii_key', true), '')
                        || 'pseudonymise() has no key: the model must set it with the pre-hook pii_key_hook() (see macros/privacy.sql)'
                        as integer)::text
                    else current_setting('entrepot.pii_key', true) end, 'UTF8') as bytes) as key) as block,
          generate_series(0, 15) as part)
{%- endmacro %}

{% macro postgres__pseudonymise(expr) -%}
    (case when ({{ expr }}) is null then null else encode(sha256(
        {{ _pg_key_block_xor('5c') }}
        || sha256({{ _pg_key_block_xor('36') }} || convert_to(cast(({{ expr }}) as text), 'UTF8'))
    ), 'hex') end)
{%- endmacro %}
