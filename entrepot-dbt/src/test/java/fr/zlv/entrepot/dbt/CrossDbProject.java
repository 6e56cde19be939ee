package fr.zlv.entrepot.dbt;

import fr.zlv.entrepot.dbt.jinja.RenderState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small dbt project on a real DuckDB file, for checking built-in macros: write files into it, load it once, then
 * render Jinja and run the SQL it gives ({@code dbt show --inline}), or build models with {@link #engine()}.
 */
final class CrossDbProject implements AutoCloseable {

    final Path directory;
    final List<String> console = new CopyOnWriteArrayList<>();
    private DbtEngine engine;
    /** Set when the project runs on PostgreSQL. */
    private TestPostgres.Database postgres;

    /** A project named {@code macros}; {@code vars} go under {@code vars:} in dbt_project.yml (YAML lines). */
    CrossDbProject(Path directory, String... vars) {
        this.directory = directory;
        StringBuilder project = new StringBuilder("name: macros\nprofile: macros\n");
        if (vars.length > 0) {
            project.append("vars:\n");
            for (String var : vars) {
                project.append("  ").append(var).append('\n');
            }
        }
        write("dbt_project.yml", project.toString());
        write("profiles.yml", """
                macros:
                  target: dev
                  outputs:
                    dev:
                      type: duckdb
                      path: macros.duckdb
                      schema: main
                """);
    }

    /** The same project on a PostgreSQL database (schema public), instead of DuckDB. */
    static CrossDbProject onPostgres(Path directory, TestPostgres.Database database, String... vars) {
        CrossDbProject project = new CrossDbProject(directory, vars);
        project.postgres = database;
        project.write("profiles.yml", "macros:\n  target: pg\n  outputs:\n" + database.target("pg", "public", 1));
        return project;
    }

    CrossDbProject write(String relativePath, String text) {
        try {
            Path file = directory.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The engine, loaded on first use (write the project's files before). */
    DbtEngine engine() {
        if (engine == null) {
            engine = DbtEngine.load(DbtEngine.Options.of(directory).withConsole(console::add)
                    .withEnvironment(postgres == null ? Map.of() : postgres.environment()));
        }
        return engine;
    }

    /** The Jinja rendered as a model's SQL is when compiled. */
    String render(String jinja) {
        DbtEngine dbt = engine();
        RenderState state = new RenderState(RenderState.Phase.COMPILE, null, dbt.project().resolver(), dbt.adapter());
        return dbt.project().jinja().render(jinja, state, Map.of(), "test").strip();
    }

    /** The rows of a query written in Jinja. */
    List<List<Object>> rows(String jinjaSql) {
        return engine().show(null, jinjaSql, -1).getRows();
    }

    /** One row, by column name. */
    Map<String, Object> row(String jinjaSql) {
        var table = engine().show(null, jinjaSql, -1);
        if (table.size() != 1) {
            throw new AssertionError("expected one row, got " + table.size() + ": " + table.getRows());
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < table.getColumn_names().size(); i++) {
            row.put(table.getColumn_names().get(i), table.getRows().get(0).get(i));
        }
        return row;
    }

    /** The value of one SQL expression written in Jinja, as DuckDB prints it (null stays null). */
    String text(String jinjaExpression) {
        Object value = rows("select cast((" + jinjaExpression + ") as varchar) as v").get(0).get(0);
        return value == null ? null : value.toString();
    }

    /** The type of one SQL expression written in Jinja: DATE, TIMESTAMP, INTEGER... (DuckDB), date, integer (PostgreSQL). */
    String type(String jinjaExpression) {
        String function = postgres == null ? "typeof" : "pg_typeof";
        return String.valueOf(rows("select cast(" + function + "(" + jinjaExpression + ") as varchar) as t").get(0).get(0));
    }

    /** The first column of every row, as text. */
    List<String> column(String jinjaSql) {
        List<String> values = new ArrayList<>();
        String first = postgres == null ? "columns(*)"
                : "\"" + engine().show(null, "select * from (" + jinjaSql + ") as q", 0).getColumn_names().get(0) + "\"";
        for (List<Object> row : rows("select cast(" + first + " as varchar) from (" + jinjaSql + ") as q")) {
            values.add(row.get(0) == null ? null : row.get(0).toString());
        }
        return values;
    }

    void execute(String sql) {
        engine().adapter().execute(sql);
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
    }
}
