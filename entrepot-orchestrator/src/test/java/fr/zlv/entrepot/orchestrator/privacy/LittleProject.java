package fr.zlv.entrepot.orchestrator.privacy;

import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.graph.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small dbt project for the privacy check: a staging model with direct personal data (names, e-mails, phones), and
 * marts in schema marts that break each rule once ({@code marts_contacts}: e-mails under a harmless name,
 * {@code marts_owners_direct}: a direct column and one named like a direct staging column,
 * {@code marts_public_cities}: a public mart with an indirect column, {@code marts_unclassified}), beside a clean one
 * ({@code marts_clean}: pseudonyms and counts).
 */
public final class LittleProject {

    private LittleProject() {
    }

    private static void write(Path project, String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Writes the project into a directory and builds it (into little.duckdb there); returns its manifest. */
    public static Manifest build(Path project) throws IOException {
        write(project, "dbt_project.yml", """
                name: little
                profile: little
                models:
                  little:
                    staging: {+schema: stg, +materialized: view}
                    marts: {+schema: marts, +materialized: table}
                """);
        write(project, "profiles.yml", """
                little:
                  target: dev
                  outputs:
                    dev: {type: duckdb, path: little.duckdb, threads: 1}
                """);
        write(project, "macros/generate_schema_name.sql", """
                {% macro generate_schema_name(custom_schema_name, node) -%}
                  {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
                {%- endmacro %}
                """);
        write(project, "models/staging/stg_owners.sql", """
                select * from (values
                  (1, 'Jean Dupont', 'jean.dupont@example.fr', '06 12 34 56 78', 'Paris'),
                  (2, 'Marie Durand', 'marie.durand@example.fr', '+33 7 98 76 54 32', 'Lyon'),
                  (3, 'Hélène Martin', null, null, 'Lille')) as t(owner_id, full_name, email, phone, city)
                """);
        write(project, "models/staging/_staging.yml", """
                version: 2
                models:
                  - name: stg_owners
                    columns:
                      - {name: owner_id, meta: {pii: indirect}}
                      - {name: full_name, meta: {pii: direct}}
                      - {name: email, meta: {pii: direct}}
                      - {name: phone, meta: {pii: direct}}
                      - {name: city, meta: {pii: none}}
                """);
        // (a) e-mail addresses under a harmless name, classified none.
        write(project, "models/marts/marts_contacts.sql", "select owner_id, email as contact from {{ ref('stg_owners') }}");
        // (b) a column classified direct, and one that keeps the name of a direct staging column.
        write(project, "models/marts/marts_owners_direct.sql",
                "select owner_id, full_name, city as phone from {{ ref('stg_owners') }}");
        // (c) a public mart with an indirect column.
        write(project, "models/marts/marts_public_cities.sql",
                "select city, min(owner_id) as first_owner_id, count(*) as owners from {{ ref('stg_owners') }} group by city");
        // (d) a column nobody classified.
        write(project, "models/marts/marts_unclassified.sql",
                "select city, count(*) as owners, 'x' as mystery from {{ ref('stg_owners') }} group by city");
        // (e) clean: a pseudonym (hex HMAC), counts; an email pseudonymised under its own name.
        write(project, "models/marts/marts_clean.sql", """
                -- 64 hexadecimal digits, as the warehouse's keyed HMAC gives, from md5 (which both engines have).
                select md5('key' || owner_id::varchar) || md5('salt' || owner_id::varchar) as owner_key,
                  hmac_of_email as email, city, 1 as owners
                from (select *, md5('key' || coalesce(email, '')) || md5('salt' || coalesce(email, '')) as hmac_of_email
                      from {{ ref('stg_owners') }}) as owners
                """);
        write(project, "models/marts/_marts.yml", """
                version: 2
                models:
                  - name: marts_contacts
                    columns:
                      - {name: owner_id, meta: {pii: indirect}}
                      - {name: contact, meta: {pii: none}}
                  - name: marts_owners_direct
                    columns:
                      - {name: owner_id, meta: {pii: indirect}}
                      - {name: full_name, meta: {pii: direct}}
                      - {name: phone, meta: {pii: none}}
                  - name: marts_public_cities
                    meta: {public: true}
                    columns:
                      - {name: city, meta: {pii: none}}
                      - {name: first_owner_id, meta: {pii: indirect}}
                      - {name: owners, meta: {pii: none}}
                  - name: marts_unclassified
                    columns:
                      - {name: city, meta: {pii: none}}
                      - name: owners
                      - {name: mystery, meta: {pii: secret}}
                  - name: marts_clean
                    meta: {public: true}
                    columns:
                      - {name: owner_key, meta: {pii: none}}
                      - {name: email, meta: {pii: none, pseudonymised: true}}
                      - {name: city, config: {meta: {pii: none}}}
                      - {name: owners, meta: {pii: none}}
                """);
        try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project).withConsole(line -> { }))) {
            DbtEngine.CommandResult build = dbt.build(DbtEngine.Selection.ALL);
            if (!build.succeeded()) {
                throw new AssertionError("the little project does not build: " + build.results());
            }
            return dbt.project().manifest();
        }
    }

}
