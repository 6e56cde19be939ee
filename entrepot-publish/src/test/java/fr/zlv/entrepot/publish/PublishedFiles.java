package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.storage.ObjectInfo;
import fr.zlv.entrepot.core.storage.ObjectStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongConsumer;

/** Real files for the publication tests, and a store that records (and can fail) what it is asked to write. */
final class PublishedFiles {

    private PublishedFiles() {
    }

    /** A BI DuckDB file whose table {@code marker} holds {@code marker}, with {@code rows} random rows beside. */
    static Path biFile(Path file, String marker, int rows) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE marker AS SELECT '" + marker + "' AS version");
            statement.execute("CREATE TABLE housing AS SELECT i AS id, random() AS score, md5(i::VARCHAR) AS code"
                    + " FROM range(" + rows + ") t(i)");
        }
        return file;
    }

    /** The marker of a BI file, read by DuckDB in read-only mode as a BI tool opens it. */
    static String markerOf(Path file) throws SQLException {
        java.util.Properties readOnly = new java.util.Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file, readOnly);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version FROM marker")) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** The real store, recording each upload's target; an upload whose key contains {@code failOn} fails. */
    static final class RecordingStore implements ObjectStore {
        final ObjectStore delegate;
        final List<String> uploads = Collections.synchronizedList(new ArrayList<>());
        volatile String failOn;

        RecordingStore(ObjectStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public ObjectInfo stat(Location location) {
            return delegate.stat(location);
        }

        @Override
        public void download(ObjectInfo object, Path target, LongConsumer bytes) {
            delegate.download(object, target, bytes);
        }

        @Override
        public List<ObjectInfo> list(Location prefix) {
            return delegate.list(prefix);
        }

        @Override
        public ObjectInfo upload(Path file, Location target) {
            if (failOn != null && target.toString().contains(failOn)) {
                // What the S3 store reports when the connection drops for good.
                throw fr.zlv.entrepot.core.EntrepotException.failed("Uploading " + file + " to " + target
                        + " failed: Connection reset", null, null);
            }
            uploads.add(target.toString());
            return delegate.upload(file, target);
        }

        @Override
        public void delete(Location location) {
            delegate.delete(location);
        }
    }
}
