package fr.zlv.entrepot.core.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How warehouse columns and values are written for PostgreSQL, without a server. */
class PostgresMappingTest {

    @Test
    void scalarTypesMapToTheirPostgresTypes() {
        assertThat(PostgresColumn.of("c", "VARCHAR").postgresType()).isEqualTo("text");
        assertThat(PostgresColumn.of("c", "BIGINT").postgresType()).isEqualTo("bigint");
        assertThat(PostgresColumn.of("c", "DOUBLE").postgresType()).isEqualTo("double precision");
        assertThat(PostgresColumn.of("c", "DECIMAL(18,3)").postgresType()).isEqualTo("numeric(18,3)");
        assertThat(PostgresColumn.of("c", "TIMESTAMP WITH TIME ZONE").postgresType()).isEqualTo("timestamptz");
        assertThat(PostgresColumn.of("c", "UBIGINT").postgresType()).isEqualTo("numeric(20,0)");
        assertThat(PostgresColumn.of("c", "BLOB").postgresType()).isEqualTo("bytea");
    }

    @Test
    void listsOfScalarsAreArraysAndEverythingNestedIsJsonb() {
        PostgresColumn list = PostgresColumn.of("tags", "VARCHAR[]");
        assertThat(list.postgresType()).isEqualTo("text[]");
        assertThat(list.array()).isTrue();
        assertThat(list.expression()).isEqualTo("CAST(\"tags\" AS VARCHAR[])");
        assertThat(PostgresColumn.of("c", "DECIMAL(10,2)[3]").postgresType()).isEqualTo("numeric(10,2)[]");
        assertThat(PostgresColumn.of("c", "VARCHAR[][]").postgresType()).isEqualTo("jsonb");
        assertThat(PostgresColumn.of("c", "STRUCT(a INTEGER, b VARCHAR)[]").postgresType()).isEqualTo("jsonb");
        assertThat(PostgresColumn.of("c", "MAP(VARCHAR, INTEGER)").postgresType()).isEqualTo("jsonb");
        assertThat(PostgresColumn.of("c", "BLOB[]").postgresType()).isEqualTo("jsonb");
        assertThat(PostgresColumn.of("c", "ENUM('a', 'b')").postgresType()).isEqualTo("text");
    }

    @Test
    void copyTextEscapesOnlyWhatCopyReads() {
        assertThat(CopyTextWriter.escape("plain é")).isEqualTo("plain é");
        assertThat(CopyTextWriter.escape("a\tb\nc\rd\\e")).isEqualTo("a\\tb\\nc\\rd\\\\e");
    }

    @Test
    void aRenamedColumnStillReadsItsDuckdbColumn() {
        PostgresColumn column = PostgresColumn.of("LIBELLE", "BIGINT").withName("libelle");

        assertThat(column.definition()).isEqualTo("\"libelle\" bigint");
        assertThat(column.expression()).isEqualTo("\"LIBELLE\"");
    }
}
