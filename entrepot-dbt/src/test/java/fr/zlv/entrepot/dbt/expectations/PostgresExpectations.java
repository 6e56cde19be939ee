package fr.zlv.entrepot.dbt.expectations;

import fr.zlv.entrepot.dbt.TestPostgres;
import java.nio.file.Path;

/**
 * What the Expectations*PostgresIT classes share: an {@link ExpectationsProject} whose target is a fresh PostgreSQL
 * database, dropped on {@link #close()}.
 */
final class PostgresExpectations implements AutoCloseable {

    private TestPostgres.Database database;

    ExpectationsProject newProject(Path projectDirectory) {
        database = TestPostgres.createDatabase("expectations_it");
        return new ExpectationsProject(projectDirectory, "expected:\n  target: pg\n  outputs:\n"
                + database.target("pg", "main", 2), database.environment());
    }

    @Override
    public void close() {
        if (database != null) {
            database.close();
        }
    }
}
