{#-
    pseudonymise(expr): the keyed pseudonym of a personal value, as 64 lower-case hex characters:
    HMAC-SHA256 (RFC 2104) with the key in the environment variable ENTREPOT_PII_KEY and the value cast to
    varchar (UTF-8) as the message. The same value and key always give the same pseudonym, so pseudonymised
    columns still join; without the key nobody can recompute it from a guessed value (a bare hash of a name or
    an id could be). A null value stays null.

    Computed in DuckDB's own SQL (no extension): the key, hashed first when longer than the 64-byte block, is
    padded with zero bytes to 64 bytes, xor-ed with the inner (0x36) and outer (0x5c) pads as BIT strings, and
    sha256 runs over the concatenated blobs:
        sha256((K xor opad) || sha256((K xor ipad) || message))

    There is no fallback: without ENTREPOT_PII_KEY (or with an empty one) the model fails to compile (parsing
    alone, e.g. dbt parse or ls, does not need the key).
    The key ends up in the compiled SQL of the models that call this macro (target/compiled, target/run):
    materialise those models as tables, so that no view definition stored in the warehouse holds it.
-#}
{% macro pseudonymise(expr) -%}
    {{ return(adapter.dispatch('pseudonymise')(expr)) }}
{%- endmacro %}

{% macro default__pseudonymise(expr) -%}
    {%- set key = env_var('ENTREPOT_PII_KEY', '') -%}
    {%- if key | length == 0 and not execute -%}
        {#- Parsing (dbt parse, ls) needs no key: only what runs or compiles SQL does. -#}
        {{ return("cast(null as varchar)") }}
    {%- elif key | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "ENTREPOT_PII_KEY is not set: pseudonymise() needs the secret key of the personal-data pseudonyms "
            ~ "(a long random string, the same for every build so that pseudonyms stay stable). Set the "
            ~ "environment variable ENTREPOT_PII_KEY and run again; the build never falls back to a bare hash.") }}
    {%- endif -%}
    {%- set key_sql = "encode('" ~ (key | replace("'", "''")) ~ "')" -%}
    {%- set block_sql = "unhex(rpad(case when octet_length(" ~ key_sql ~ ") > 64 then sha256(" ~ key_sql
        ~ ") else hex(" ~ key_sql ~ ") end, 128, '0'))::bit" -%}
    (case when ({{ expr }}) is null then null else lower(sha256(
        xor({{ block_sql }}, unhex(repeat('5c', 64))::bit)::blob
        || unhex(sha256(
            xor({{ block_sql }}, unhex(repeat('36', 64))::bit)::blob
            || encode(cast(({{ expr }}) as varchar))
        ))
    )) end)
{%- endmacro %}
