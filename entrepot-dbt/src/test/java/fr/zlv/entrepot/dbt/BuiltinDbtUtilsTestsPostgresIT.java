package fr.zlv.entrepot.dbt;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The built-in dbt_utils generic tests on PostgreSQL: the same project, data and expected outcomes as
 * {@link BuiltinDbtUtilsTestsTest}, built in a fresh database (dropped after).
 */
class BuiltinDbtUtilsTestsPostgresIT extends BuiltinDbtUtilsTestsTest {

    private TestPostgres.Database database;

    private TestPostgres.Database database() {
        if (database == null) {
            database = TestPostgres.createDatabase("utils_tests_it");
        }
        return database;
    }

    @Override
    String profile() {
        return "checks:\n  target: pg\n  outputs:\n" + database().target("pg", "main", 2);
    }

    @Override
    Map<String, String> environment() {
        return database().environment();
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }
}
