package fr.zlv.entrepot.dbt.expectations;

import fr.zlv.entrepot.dbt.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/** {@link ExpectationsTableShapeTest}'s models, tests and expected outcomes on PostgreSQL (a fresh database, dropped after). */
class ExpectationsTableShapePostgresIT extends ExpectationsTableShapeTest {

    private TestPostgres.Database database;

    @Override
    ExpectationsProject newProject(Path projectDirectory) {
        database = TestPostgres.createDatabase("expectations_it");
        return new ExpectationsProject(projectDirectory, "expected:\n  target: pg\n  outputs:\n"
                + database.target("pg", "main", 2), database.environment());
    }

    /** PostgreSQL's full join refuses "is not distinct from": the counts are summed per group instead. */
    @Override
    String rowCountsJoinedBy() {
        return "union all";
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }
}
