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
    {%- set key = env_var('ENTREPOT_PII_KEY', '') -%}
    {%- if key | length == 0 and execute -%}
        {{ exceptions.raise_compiler_error(
            "ENTREPOT_PII_KEY is not set: pseudonymise() needs the secret key of the personal-data pseudonyms "
            ~ "(a long random string, the same for every build so that pseudonyms stay stable). Set the "
            ~ "environment variable ENTREPOT_PII_KEY and run again; the build never falls back to a bare hash.") }}
    {%- endif -%}
    set variable entrepot_pii_key = '{{ key | replace("'", "''") }}'
{%- endmacro %}

{#- The post-hook that takes the key away from the connection. -#}
{% macro pii_key_reset() -%}
    reset variable entrepot_pii_key
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
