package fr.zlv.entrepot.orchestrator.asset;

import java.util.regex.Pattern;

/**
 * An asset's name: slash-separated parts, the first one its place ({@code production/housing},
 * {@code marts/marts_production_housing}, {@code publish/bi/housing}).
 */
public record AssetKey(String path) implements Comparable<AssetKey> {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    public AssetKey {
        if (path == null || !VALID.matcher(path).matches()) {
            throw new IllegalArgumentException("not an asset key: '" + path
                    + "' (expected parts of letters, digits, '_', '.', '-' separated by '/')");
        }
    }

    public static AssetKey of(String first, String... rest) {
        return new AssetKey(rest.length == 0 ? first : first + "/" + String.join("/", rest));
    }

    /** The first part: where the asset lives (a warehouse schema, or {@code publish}). */
    public String prefix() {
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash);
    }

    /** The last part: the table's name. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    public int compareTo(AssetKey other) {
        return path.compareTo(other.path);
    }

    @Override
    public String toString() {
        return path;
    }
}
