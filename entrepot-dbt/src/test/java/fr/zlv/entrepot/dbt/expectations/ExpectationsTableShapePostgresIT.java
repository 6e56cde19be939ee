package fr.zlv.entrepot.dbt.expectations;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/** {@link ExpectationsTableShapeTest}'s models, tests and expected outcomes on PostgreSQL (a fresh database, dropped after). */
class ExpectationsTableShapePostgresIT extends ExpectationsTableShapeTest {

    private final PostgresExpectations postgres = new PostgresExpectations();

    @Override
    ExpectationsProject newProject(Path projectDirectory) {
        return postgres.newProject(projectDirectory);
    }

    /** PostgreSQL's full join refuses "is not distinct from": the counts are summed per group instead. */
    @Override
    String rowCountsJoinedBy() {
        return "union all";
    }

    @AfterAll
    void dropDatabase() {
        postgres.close();
    }
}
