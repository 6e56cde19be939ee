package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.publish.PublicationReport.TableCount;
import fr.zlv.entrepot.publish.PublishPlan.PublishedTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the marts of a {@link PublishPlan} to the BI DuckDB file, the file a BI tool opens read-only.
 *
 * <p>The new version is built in a new file beside the live one ({@code <file>.<version>.tmp}), attached to the
 * warehouse so that every row is copied inside DuckDB, then renamed over the live file in one atomic step: a
 * reader that opened the old file keeps reading it, a new reader opens the new one, and a failed or killed
 * publication leaves the live file as it was (a killed one leaves a temporary file that the next one removes).
 * The file's {@code published_at} table keeps one row per table of every version published to it.
 *
 * <p>From a PostgreSQL warehouse, the marts are read in one read-only snapshot and each is copied through a
 * temporary CSV file beside the BI file ({@link PostgresMarts}) into a table of the mapped DuckDB types, with the
 * table's and columns' comments; the new file is swapped in the same way.
 */
public final class BiFilePublisher {

    /** The target's name in reports and on the command line. */
    public static final String TARGET = "bi";
    /** The metadata table of the BI file: version, published_at (UTC), table_name, source, row_count. */
    public static final String PUBLISHED_AT = "published_at";

    /** Told about each table as it is copied: for progress bars and logs. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void copying(PublishedTable table) {
        }

        default void copied(PublishedTable table, long rows) {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(BiFilePublisher.class);
    // Versions sort by time: UTC to the millisecond, then a short random id against two in the same millisecond.
    private static final DateTimeFormatter VERSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SQL_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final Listener listener;

    public BiFilePublisher() {
        this(Clock.systemUTC(), Listener.NONE);
    }

    public BiFilePublisher(Clock clock, Listener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    /** Copies one published table into the new file's table {@code into} (qualified), created by the copier. */
    @FunctionalInterface
    private interface TableCopier {
        void copy(PublishedTable table, String into) throws SQLException, IOException;
    }

    /**
     * Publishes every table of {@code plan} from {@code warehouse} to {@code biFile} as one new version. Refuses
     * before writing anything when the gate finds a problem in a table or a mart does not exist.
     */
    public PublicationReport publish(Warehouse warehouse, PublishPlan plan, PublicationGate gate, Path biFile) {
        long started = System.nanoTime();
        refuseProblems(plan, gate, "the BI file " + biFile);
        for (PublishedTable table : plan.tables()) {
            if (table.name().equals(PUBLISHED_AT)) {
                throw EntrepotException.badInput("In " + plan.file() + ", the mart " + table.mart()
                                + " is published as '" + PUBLISHED_AT + "', the name of the BI file's own metadata table.",
                        "Give it another name.");
            }
        }
        Path live = biFile.toAbsolutePath();
        try {
            Files.createDirectories(live.getParent());
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot create the directory of the BI file " + live + ": " + e.getMessage(),
                    "Check publish.bi_path in the settings and the directory's permissions.", e);
        }
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String version = VERSION_TIME.format(now) + "-" + id;
        Path temp = live.resolveSibling(live.getFileName() + "." + version + ".tmp");
        try (AtomicFiles.Lock lock = AtomicFiles.lock(live.resolveSibling(live.getFileName() + ".lock"),
                "publication of the BI file " + live)) {
            removeLeftovers(live);
            boolean swapped = false;
            // A PostgreSQL warehouse's marts are copied through a DuckDB of this process's own (in memory), which
            // attaches the new file as a DuckDB warehouse does; one read-only snapshot of PostgreSQL is read.
            try (Connection connection = warehouse.isPostgres() ? DriverManager.getConnection("jdbc:duckdb:")
                    : warehouse.connect();
                 Connection pg = warehouse.isPostgres() ? warehouse.connect() : null) {
                TableCopier copier;
                if (pg != null) {
                    PostgresMarts.prepareSession(pg);
                    Map<String, PostgresMarts.Mart> marts = PostgresMarts.describe(pg, plan.sourceSchema());
                    requireMarts(marts.keySet(), plan, warehouse);
                    Path scratch = live.getParent();
                    copier = (table, into) -> copyFromPostgres(pg, marts.get(table.mart()), connection, into, scratch);
                } else {
                    String source = DuckStatements.string(connection, "SELECT current_database()");
                    requireMarts(duckdbTables(connection, source, plan.sourceSchema()), plan, warehouse);
                    copier = (table, into) -> DuckStatements.execute(connection, "CREATE TABLE " + into
                            + " AS SELECT * FROM " + TableName.quote(source) + "." + TableName.quote(plan.sourceSchema())
                            + "." + TableName.quote(table.mart()));
                }
                List<TableCount> counts = writeVersion(connection, copier, plan, temp, live, version, now, id);
                // A WAL left beside the live file by a writing client would be replayed into the new file.
                Path liveWal = AtomicFiles.wal(live);
                if (Files.exists(liveWal)) {
                    Files.move(liveWal, liveWal.resolveSibling(liveWal.getFileName() + ".before-" + version),
                            StandardCopyOption.REPLACE_EXISTING);
                }
                AtomicFiles.replace(temp, live);
                swapped = true;
                PublicationReport report = new PublicationReport(TARGET, live.toString(), version, counts,
                        Files.size(live), (System.nanoTime() - started) / 1e9, null);
                LOG.info("Published {} tables ({} rows) to the BI file {} as version {}", counts.size(), report.rows(),
                        live, version);
                return report;
            } catch (SQLException e) {
                throw EntrepotException.failed("Publishing to the BI file " + live + " failed: " + firstLine(e.getMessage()),
                        "The live BI file is unchanged. Fix the cause and publish again.", e);
            } catch (IOException e) {
                throw EntrepotException.failed("Writing the BI file " + live + " failed: " + e.getMessage(),
                        "The live BI file is unchanged. Check the disk space and the directory's permissions.", e);
            } finally {
                if (!swapped) {
                    AtomicFiles.deleteQuietly(temp);
                    AtomicFiles.deleteQuietly(AtomicFiles.wal(temp));
                }
            }
        }
    }

    /**
     * Refuses the whole publication when the gate finds problems in any table, naming every table and problem.
     * Shared by the targets of this package.
     */
    static void refuseProblems(PublishPlan plan, PublicationGate gate, String target) {
        List<String> refused = new ArrayList<>();
        for (PublishedTable table : plan.tables()) {
            List<String> problems = gate.problems(plan.sourceSchema(), table.mart());
            if (!problems.isEmpty()) {
                refused.add(plan.sourceSchema() + "." + table.mart() + " (published as " + table.name() + "): "
                        + String.join("; ", problems));
            }
        }
        if (!refused.isEmpty()) {
            throw EntrepotException.badInput("Publication to " + target + " refused, nothing was written: "
                            + String.join(" | ", refused),
                    "Personal data must not leave the warehouse: drop or pseudonymise these columns in the dbt"
                            + " project (meta: {pii: ...}), or remove the tables from " + plan.file() + ".");
        }
    }

    private List<TableCount> writeVersion(Connection connection, TableCopier copier, PublishPlan plan,
                                          Path temp, Path live, String version, Instant now, String id)
            throws SQLException, IOException {
        String target = "entrepot_bi_" + id;
        DuckStatements.execute(connection, "ATTACH " + AtomicFiles.literal(temp) + " AS " + target);
        List<TableCount> counts = new ArrayList<>();
        try {
            for (PublishedTable table : plan.tables()) {
                listener.copying(table);
                String into = target + ".main." + TableName.quote(table.name());
                copier.copy(table, into);
                long rows = DuckStatements.longValue(connection, "SELECT count(*) FROM " + into);
                counts.add(new TableCount(table.name(), rows));
                listener.copied(table, rows);
            }
            String history = target + ".main." + PUBLISHED_AT;
            DuckStatements.execute(connection, "CREATE TABLE " + history + " (version VARCHAR NOT NULL, published_at TIMESTAMP NOT NULL,"
                    + " table_name VARCHAR NOT NULL, source VARCHAR NOT NULL, row_count BIGINT NOT NULL)");
            copyHistory(connection, live, history, "entrepot_bi_live_" + id);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + history
                    + " VALUES (?, CAST(? AS TIMESTAMP), ?, ?, ?)")) {
                for (int i = 0; i < counts.size(); i++) {
                    insert.setString(1, version);
                    insert.setString(2, SQL_TIMESTAMP.format(now));
                    insert.setString(3, counts.get(i).name());
                    insert.setString(4, plan.sourceSchema() + "." + plan.tables().get(i).mart());
                    insert.setLong(5, counts.get(i).rows());
                    insert.executeUpdate();
                }
            }
            DuckStatements.execute(connection, "CHECKPOINT " + target);
        } finally {
            detach(connection, target);
        }
        return counts;
    }

    /** Copies the versions already published to the live file, so its history survives the swap. */
    private static void copyHistory(Connection connection, Path live, String history, String alias) throws SQLException {
        if (!Files.exists(live)) {
            return;
        }
        try {
            DuckStatements.execute(connection, "ATTACH " + AtomicFiles.literal(live) + " AS " + alias + " (READ_ONLY)");
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot read the live BI file " + live + " to keep its publication history: "
                            + firstLine(e.getMessage()),
                    "Readers must open the BI file read-only. If the file is damaged, move it aside (the next"
                            + " publication starts a new history); it was left as it is.", e);
        }
        try {
            if (DuckStatements.longValue(connection, "SELECT count(*) FROM duckdb_tables() WHERE database_name = '" + alias
                    + "' AND schema_name = 'main' AND table_name = '" + PUBLISHED_AT + "'") > 0) {
                DuckStatements.execute(connection, "INSERT INTO " + history + " SELECT version, published_at, table_name, source,"
                        + " row_count FROM " + alias + ".main." + PUBLISHED_AT);
            }
        } finally {
            detach(connection, alias);
        }
    }

    /** Detaches a database quietly: it runs in finally blocks, where a new error would hide the first. */
    static void detach(Connection connection, String alias) {
        try {
            DuckStatements.execute(connection, "DETACH DATABASE IF EXISTS " + alias);
        } catch (SQLException e) {
            LOG.warn("Detaching {} failed: {}", alias, e.getMessage());
        }
    }

    /**
     * Creates the mart's table with its DuckDB types and comments in the new file, and copies its rows from
     * PostgreSQL.
     */
    private static void copyFromPostgres(Connection pg, PostgresMarts.Mart mart, Connection duck, String into, Path scratch)
            throws SQLException, IOException {
        DuckStatements.execute(duck, "CREATE TABLE " + into + " (" + PostgresMarts.duckdbDefinitions(mart) + ")");
        if (mart.comment() != null && !mart.comment().isBlank()) {
            DuckStatements.execute(duck, "COMMENT ON TABLE " + into + " IS " + duckLiteral(mart.comment().strip()));
        }
        for (PostgresMarts.Column column : mart.columns()) {
            if (column.comment() != null && !column.comment().isBlank()) {
                DuckStatements.execute(duck, "COMMENT ON COLUMN " + into + "." + TableName.quote(column.name())
                        + " IS " + duckLiteral(column.comment().strip()));
            }
        }
        PostgresMarts.copy(pg, mart, duck, into, scratch);
    }

    private static String duckLiteral(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** The tables and views of a schema of a DuckDB database. */
    private static Set<String> duckdbTables(Connection connection, String source, String schema) throws SQLException {
        Set<String> present = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                + " WHERE table_catalog = '" + source.replace("'", "''") + "' AND table_schema = '"
                + schema.replace("'", "''") + "'")) {
            while (rows.next()) {
                present.add(rows.getString(1));
            }
        }
        return present;
    }

    /** Fails before anything is written when a mart (a table or a view) is not in the warehouse. */
    private static void requireMarts(Set<String> present, PublishPlan plan, Warehouse warehouse) {
        List<String> missing = plan.tables().stream().map(PublishedTable::mart).filter(mart -> !present.contains(mart))
                .map(mart -> plan.sourceSchema() + "." + mart).toList();
        if (!missing.isEmpty()) {
            throw EntrepotException.failed("Cannot publish: " + String.join(", ", missing)
                            + (missing.size() == 1 ? " does" : " do") + " not exist in the warehouse "
                            + warehouse.location() + ".",
                    "Build the marts first (the dbt build), or remove them from " + plan.file()
                            + ". Nothing was published.", null);
        }
    }

    /** Removes the temporary files of publications that were killed; the lock says none is running. */
    private static void removeLeftovers(Path live) {
        Pattern leftover = Pattern.compile(Pattern.quote(live.getFileName().toString())
                + "\\.\\d{8}T\\d{9}Z-[0-9a-f]{8}\\.tmp(\\.wal)?|\\.entrepot-pg-[a-z0-9_]+-\\d+\\.csv");
        try (Stream<Path> files = Files.list(live.getParent())) {
            for (Path file : files.filter(f -> leftover.matcher(f.getFileName().toString()).matches()).toList()) {
                LOG.info("Removing {}, left by a publication that did not finish", file);
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot remove the files left by an unfinished publication in "
                    + live.getParent() + ": " + e.getMessage(), "Remove the *.tmp files beside " + live + ".", e);
        }
    }



    static String firstLine(String message) {
        String text = String.valueOf(message);
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
