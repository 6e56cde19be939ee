package fr.zlv.entrepot.orchestrator.asset;

import fr.zlv.entrepot.core.EditDistance;
import fr.zlv.entrepot.core.EntrepotException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Picks assets with dbt's selector language, on asset keys:
 * <ul>
 *   <li>{@code marts/marts_production_housing} (a key), {@code marts_production_housing} (an asset's name),
 *       {@code marts/} or {@code marts} (every asset under that prefix), {@code marts/*_housing} (a glob);</li>
 *   <li>{@code group:G}, {@code tag:T}, {@code kind:K}, {@code key:K} (exactly that key), {@code *} (all);</li>
 *   <li>{@code +X} adds what X is built from, {@code X+} what is built from X, {@code 2+X} / {@code X+1} only that
 *       many levels, {@code @X} X's descendants and everything they need;</li>
 *   <li>terms separated by spaces are united, terms joined by commas intersected ({@code tag:daily,group:lovac}),
 *       and everything after a lone {@code -} is taken away ({@code marts/+ - tag:slow}).</li>
 * </ul>
 */
public final class AssetSelection {

    private static final Pattern TERM = Pattern.compile("^(@)?(?:(\\d*)\\+)?(.+?)(?:\\+(\\d*))?$");

    private AssetSelection() {
    }

    /** The assets the expression picks; an expression that picks nothing known is an error naming the term. */
    public static Set<AssetKey> select(AssetGraph graph, String expression) {
        if (expression == null || expression.isBlank()) {
            throw EntrepotException.badInput("The asset selection is empty.", "Select assets, e.g. -s 'marts/+' or -s '*'.");
        }
        List<String> included = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        boolean excluding = false;
        for (String word : expression.trim().split("\\s+")) {
            if (word.equals("-")) {
                excluding = true;
            } else {
                (excluding ? excluded : included).add(word);
            }
        }
        Set<AssetKey> selected = new LinkedHashSet<>();
        for (String term : included) {
            selected.addAll(intersection(graph, term, true));
        }
        for (String term : excluded) {
            // Taking away what does not exist takes nothing away: a job can exclude assets not configured here.
            selected.removeAll(intersection(graph, term, false));
        }
        // In the graph's order, so that printing the selection reads as the run will go.
        Set<AssetKey> ordered = new LinkedHashSet<>();
        graph.topologicalOrder().stream().filter(selected::contains).forEach(ordered::add);
        return ordered;
    }

    private static Set<AssetKey> intersection(AssetGraph graph, String term, boolean required) {
        Set<AssetKey> result = null;
        for (String part : term.split(",")) {
            Set<AssetKey> picked = withGraphOperators(graph, part, required);
            if (result == null) {
                result = picked;
            } else {
                result.retainAll(picked);
            }
        }
        return result;
    }

    private static Set<AssetKey> withGraphOperators(AssetGraph graph, String term, boolean required) {
        Matcher matcher = TERM.matcher(term);
        if (!matcher.matches()) {
            throw EntrepotException.badInput("Cannot read the selection term '" + term + "'.",
                    "Use KEY, +KEY, KEY+, group:NAME, tag:NAME; see entrepot materialize --help.");
        }
        boolean at = matcher.group(1) != null;
        String upDepth = matcher.group(2);
        String body = matcher.group(3);
        String downDepth = matcher.group(4);
        Set<AssetKey> base = matching(graph, body, required);
        Set<AssetKey> picked = new LinkedHashSet<>(base);
        if (upDepth != null) {
            picked.addAll(graph.reachable(base, true, depth(upDepth)));
        }
        if (downDepth != null || at) {
            Set<AssetKey> descendants = graph.reachable(base, false, at ? Integer.MAX_VALUE : depth(downDepth));
            picked.addAll(descendants);
            if (at) {
                picked.addAll(graph.reachable(descendants, true, Integer.MAX_VALUE));
            }
        }
        return picked;
    }

    private static int depth(String digits) {
        return digits.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    private static Set<AssetKey> matching(AssetGraph graph, String body, boolean required) {
        int colon = body.indexOf(':');
        String method = colon < 0 ? "" : body.substring(0, colon);
        String value = colon < 0 ? body : body.substring(colon + 1);
        Set<AssetKey> found = new TreeSet<>();
        for (AssetSpec spec : graph.specs()) {
            boolean matches = switch (method) {
                case "group" -> glob(value, spec.group());
                case "tag" -> spec.tags().stream().anyMatch(tag -> glob(value, tag));
                case "kind" -> glob(value, spec.kind());
                case "key" -> spec.key().path().equals(value);
                case "" -> byName(value, spec.key());
                default -> throw EntrepotException.badInput("Unknown selection method '" + method + ":' in '" + body
                        + "'.", "Use group:, tag:, kind: or key:.");
            };
            if (matches) {
                found.add(spec.key());
            }
        }
        if (found.isEmpty() && required) {
            throw EntrepotException.badInput("No asset matches '" + body + "'.", hint(graph, method, value));
        }
        return found;
    }

    /** A key, an asset's name, a prefix (with or without its slash), or a glob on the key. */
    private static boolean byName(String value, AssetKey key) {
        if (value.equals("*")) {
            return true;
        }
        if (value.contains("*") || value.contains("?")) {
            return glob(value, key.path());
        }
        String prefix = value.endsWith("/") ? value : value + "/";
        return key.path().equals(value) || key.name().equals(value) || key.path().startsWith(prefix);
    }

    private static boolean glob(String pattern, String text) {
        if (!pattern.contains("*") && !pattern.contains("?")) {
            return pattern.equals(text);
        }
        String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return text.matches(regex);
    }

    private static String hint(AssetGraph graph, String method, String value) {
        Set<String> candidates = switch (method) {
            case "group" -> graph.specs().stream().map(AssetSpec::group).collect(Collectors.toSet());
            case "tag" -> graph.specs().stream().flatMap(spec -> spec.tags().stream()).collect(Collectors.toSet());
            case "kind" -> graph.specs().stream().map(AssetSpec::kind).collect(Collectors.toSet());
            default -> graph.specs().stream().map(spec -> spec.key().path()).collect(Collectors.toSet());
        };
        return EditDistance.closest(value, candidates).map(name -> "Did you mean " + (method.isEmpty() ? "" : method + ":")
                + name + "? ").orElse("") + "See the assets with: entrepot assets list";
    }
}
