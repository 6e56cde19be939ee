package fr.zlv.entrepot.orchestrator.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step of the run store's schema: its version, what it does, and its SQL statements, applied once in the
 * transaction that records it in {@code schema_version}.
 */
record Migration(int version, String description, List<String> statements) {

    private static final Pattern FILE_NAME = Pattern.compile("V([0-9]+)__([A-Za-z0-9_]+)\\.sql");

    Migration {
        if (version < 1) {
            throw new IllegalArgumentException("migration versions start at 1, not " + version);
        }
        statements = List.copyOf(statements);
    }

    /** A migration written in Java (tests): {@code sql} holds statements separated by semicolons. */
    static Migration of(int version, String description, String sql) {
        return new Migration(version, description, split(sql));
    }

    /**
     * The migrations in a resource folder, read from its {@code index.txt} (a folder inside a jar cannot be listed),
     * checked to be numbered 1, 2, 3… in the order listed.
     */
    static List<Migration> load(String folder) {
        List<Migration> migrations = new ArrayList<>();
        for (String line : resource(folder + "index.txt").lines().toList()) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            Matcher matcher = FILE_NAME.matcher(name);
            if (!matcher.matches()) {
                throw new IllegalStateException(folder + "index.txt lists '" + name
                        + "', not a migration named V<version>__<description>.sql");
            }
            int version = Integer.parseInt(matcher.group(1));
            if (version != migrations.size() + 1) {
                throw new IllegalStateException(folder + "index.txt lists " + name + " where version "
                        + (migrations.size() + 1) + " was expected (versions follow each other from 1)");
            }
            migrations.add(Migration.of(version, matcher.group(2).replace('_', ' '), resource(folder + name)));
        }
        return List.copyOf(migrations);
    }

    /**
     * Cuts a migration file into statements: {@code --} comments dropped, statements ended by {@code ;}. Simple on
     * purpose: the shipped migrations hold no {@code --} or {@code ;} inside string literals.
     */
    static List<String> split(String sql) {
        StringBuilder code = new StringBuilder();
        for (String line : sql.lines().toList()) {
            int comment = line.indexOf("--");
            code.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
        }
        List<String> statements = new ArrayList<>();
        for (String statement : code.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }

    private static String resource(String path) {
        try (InputStream in = Migration.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path + " (the run store's migrations)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path, e);
        }
    }
}
