package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Exports the marts marked {@code parquet: true} in the publication plan as Parquet files (zstd), one per table,
 * named by the published name. DuckDB writes them itself ({@code COPY ... TO}): no row passes through Java.
 * Each file is written beside its final name and renamed, so a file found under that name is always complete.
 */
public final class ParquetExport {

    /** A table written as {@code file}: its rows and size. */
    public record ExportedFile(String name, Path file, long rows, long bytes) {
    }

    /** What an export wrote, in the plan's order. */
    public record Result(Path directory, List<ExportedFile> files, double seconds) {

        public Result {
            files = List.copyOf(files);
        }

        /** The Parquet files, to hand to {@link ObjectStoragePublisher#upload}. */
        public List<Path> paths() {
            return files.stream().map(ExportedFile::file).toList();
        }

        public PublicationReport report() {
            return new PublicationReport("parquet", directory.toString(), "",
                    files.stream().map(file -> new PublicationReport.TableCount(file.name(), file.rows())).toList(),
                    files.stream().mapToLong(ExportedFile::bytes).sum(), seconds, null);
        }
    }

    private ParquetExport() {
    }

    /**
     * Writes {@code <directory>/<name>.parquet} for each table of the plan marked for Parquet. Every table is checked
     * first (it exists, the gate lets it through): a refused or missing table stops the export before any file is
     * written, and the message names all of them.
     */
    public static Result export(Warehouse warehouse, PublishPlan plan, PublicationGate gate, Path directory) {
        if (warehouse.isPostgres()) {
            throw EntrepotException.badInput("Parquet files are written by DuckDB: the PostgreSQL warehouse "
                    + warehouse.location() + " cannot write them itself.", "Export them from the BI file, which holds"
                    + " the published marts (ParquetExport.export with the BI file; the publish/s3 asset does).");
        }
        long start = System.nanoTime();
        List<PublishPlan.PublishedTable> tables = plan.tables().stream().filter(PublishPlan.PublishedTable::parquet)
                .toList();
        check(table -> warehouse.exists(new TableName(plan.sourceSchema(), table.mart())),
                "the warehouse " + warehouse.location(), plan, gate, tables);
        createDirectory(directory);
        List<ExportedFile> files = new ArrayList<>();
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement()) {
            for (PublishPlan.PublishedTable table : tables) {
                files.add(exportOne(statement, new TableName(plan.sourceSchema(), table.mart()).sql(), table.name(),
                        directory));
            }
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot export to Parquet in " + directory + ": " + e.getMessage(), null, e);
        }
        return new Result(directory, files, (System.nanoTime() - start) / 1e9);
    }

    /**
     * As {@link #export(Warehouse, PublishPlan, PublicationGate, Path)}, reading the published tables (by their
     * published names) from the BI file: for a PostgreSQL warehouse, whose marts the BI file holds. The gate is
     * asked about the marts as for the warehouse; the BI file is opened read-only.
     */
    public static Result export(Path biFile, PublishPlan plan, PublicationGate gate, Path directory) {
        long start = System.nanoTime();
        List<PublishPlan.PublishedTable> tables = plan.tables().stream().filter(PublishPlan.PublishedTable::parquet)
                .toList();
        Path bi = biFile.toAbsolutePath();
        if (!Files.isRegularFile(bi)) {
            throw EntrepotException.failed("The BI file " + bi + " is not there to export Parquet files from.",
                    "Publish the BI file first (entrepot publish --target bi).", null);
        }
        List<ExportedFile> files = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement()) {
            statement.execute("ATTACH " + literal(bi) + " AS entrepot_bi (READ_ONLY)");
            Set<String> present = new HashSet<>();
            try (ResultSet rows = statement.executeQuery("SELECT table_name FROM duckdb_tables()"
                    + " WHERE database_name = 'entrepot_bi' AND schema_name = 'main'")) {
                while (rows.next()) {
                    present.add(rows.getString(1));
                }
            }
            check(table -> present.contains(table.name()), "the BI file " + bi, plan, gate, tables);
            createDirectory(directory);
            for (PublishPlan.PublishedTable table : tables) {
                files.add(exportOne(statement, "entrepot_bi.main." + TableName.quote(table.name()), table.name(),
                        directory));
            }
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot export to Parquet from the BI file " + bi + " in " + directory
                    + ": " + e.getMessage(), null, e);
        }
        return new Result(directory, files, (System.nanoTime() - start) / 1e9);
    }

    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot create the Parquet directory " + directory + ": " + e.getMessage(),
                    "Check the path and its permissions.", e);
        }
    }

    private static void check(Predicate<PublishPlan.PublishedTable> exists, String where, PublishPlan plan,
                              PublicationGate gate, List<PublishPlan.PublishedTable> tables) {
        List<String> refused = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (PublishPlan.PublishedTable table : tables) {
            TableName source = new TableName(plan.sourceSchema(), table.mart());
            if (!exists.test(table)) {
                missing.add(source.toString());
                continue;
            }
            List<String> problems = gate.problems(source.schema(), source.name());
            if (!problems.isEmpty()) {
                refused.add(source + " (" + String.join("; ", problems) + ")");
            }
        }
        if (!refused.isEmpty()) {
            throw EntrepotException.failed("Parquet export refused: " + String.join(", ", refused) + ".",
                    "Drop or pseudonymise the personal-data columns in the dbt project, or remove the table from "
                            + plan.file() + ". Nothing was exported.", null);
        }
        if (!missing.isEmpty()) {
            throw EntrepotException.failed("Cannot export to Parquet: " + where
                            + " has no table " + String.join(", ", missing) + " (listed in " + plan.file() + ").",
                    "Build the marts first (entrepot dbt build), or fix the mart's name in " + plan.file()
                            + ". Nothing was exported.", null);
        }
    }

    private static ExportedFile exportOne(Statement statement, String source, String name, Path directory)
            throws SQLException {
        Path file = directory.resolve(name + ".parquet").toAbsolutePath();
        Path partial = file.resolveSibling(name + ".parquet.part");
        try {
            statement.execute("COPY (SELECT * FROM " + source + ") TO " + literal(partial)
                    + " (FORMAT parquet, COMPRESSION zstd)");
            long rows;
            try (ResultSet result = statement.executeQuery("SELECT count(*) FROM read_parquet(" + literal(partial)
                    + ")")) {
                result.next();
                rows = result.getLong(1);
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new ExportedFile(name, file, rows, Files.size(file));
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot write " + file + ": " + e.getMessage(), null, e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // Left behind; the next export overwrites it.
            }
        }
    }

    private static String literal(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }
}
