package fr.zlv.entrepot.dbt.expectations;

import fr.zlv.entrepot.dbt.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/** {@link ExpectationsAggregatesTest}'s models, tests and expected outcomes on PostgreSQL (a fresh database, dropped after). */
class ExpectationsAggregatesPostgresIT extends ExpectationsAggregatesTest {

    private TestPostgres.Database database;

    @Override
    ExpectationsProject newProject(Path projectDirectory) {
        database = TestPostgres.createDatabase("expectations_it");
        return new ExpectationsProject(projectDirectory, "expected:\n  target: pg\n  outputs:\n"
                + database.target("pg", "main", 2), database.environment());
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }
}
