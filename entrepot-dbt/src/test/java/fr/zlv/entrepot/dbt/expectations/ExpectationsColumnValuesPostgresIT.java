package fr.zlv.entrepot.dbt.expectations;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/** {@link ExpectationsColumnValuesTest}'s models, tests and expected outcomes on PostgreSQL (a fresh database, dropped after). */
class ExpectationsColumnValuesPostgresIT extends ExpectationsColumnValuesTest {

    private final PostgresExpectations postgres = new PostgresExpectations();

    @Override
    ExpectationsProject newProject(Path projectDirectory) {
        return postgres.newProject(projectDirectory);
    }

    @AfterAll
    void dropDatabase() {
        postgres.close();
    }
}
