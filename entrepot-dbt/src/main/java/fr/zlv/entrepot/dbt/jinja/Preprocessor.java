package fr.zlv.entrepot.dbt.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns dbt's Jinja into Jinja that Jinjava runs, before parsing:
 * <ul>
 *   <li>{@code {% materialization name, adapter='x' %}} and {@code {% test name(args) %}} blocks become macros
 *       ({@code materialization_name_x}, {@code test_name}), as dbt itself registers them;</li>
 *   <li>{@code {% docs name %}} blocks are taken out and handed back;</li>
 *   <li>{@code adapter.dispatch(name, namespace)(args)} becomes {@code __dispatch([name, namespace], args)}:
 *       Jinjava's grammar cannot call the result of a call;</li>
 *   <li>a macro parameter whose default is more than a plain literal ({@code delimiter="', '"},
 *       {@code order_by='count(*) desc'}, {@code columns=['a', 'b']}) gets a placeholder default, and the macro
 *       body starts by setting the real default when the placeholder is still there: Jinjava splits a macro's
 *       signature on every comma and stops at the first closing parenthesis, even inside quotes;</li>
 *   <li>in an expression, {@code a if b else f(x)} becomes {@code a if b else (f(x))}: Jinjava reads it as
 *       {@code (a if b else f)(x)}.</li>
 * </ul>
 */
public final class Preprocessor {

    /** A {@code {% docs %}} block found in a file. */
    public record DocsBlock(String name, String contents) {
    }

    private static final Pattern MATERIALIZATION = Pattern.compile(
            "\\{%(-?)\\s*materialization\\s+(\\w+)\\s*(?:,\\s*(?:adapter\\s*=\\s*)?['\"]?(\\w+)['\"]?)?"
                    + "(?:\\s*,\\s*supported_languages\\s*=\\s*\\[[^]]*])?\\s*(-?)%}");
    private static final Pattern END_MATERIALIZATION = Pattern.compile("\\{%(-?)\\s*endmaterialization\\s*(-?)%}");
    private static final Pattern TEST = Pattern.compile("\\{%(-?)\\s*test\\s+(\\w+)\\s*\\(");
    private static final Pattern END_TEST = Pattern.compile("\\{%(-?)\\s*endtest\\s*(-?)%}");
    private static final Pattern DOCS = Pattern.compile("\\{%-?\\s*docs\\s+(\\w+)\\s*-?%}(.*?)\\{%-?\\s*enddocs\\s*-?%}",
            Pattern.DOTALL);
    private static final Pattern SNAPSHOT = Pattern.compile(
            "\\{%-?\\s*snapshot\\s+(\\w+)\\s*-?%}(.*?)\\{%-?\\s*endsnapshot\\s*-?%}", Pattern.DOTALL);
    private static final String DISPATCH = "adapter.dispatch(";
    private static final Pattern MACRO = Pattern.compile("\\{%-?\\s*macro\\s+\\w+\\s*\\(");
    private static final Pattern SIGNATURE_END = Pattern.compile("\\s*-?%}");
    /** A default Jinjava parses right: a quoted text without comma, quote or parenthesis, a number, a name, [] or {}. */
    private static final Pattern PLAIN_DEFAULT = Pattern.compile(
            "'[^',()\"]*'|\"[^\",()']*\"|-?\\d+(?:\\.\\d+)?|\\w+|\\[\\s*]|\\{\\s*}");
    /** Stands for "argument not given" until the macro body sets the real default. */
    static final String DEFAULT_PLACEHOLDER = "'__entrepot_default__'";

    /**
     * A {@code {% snapshot name %}...{% endsnapshot %}} block: its name and body. The body starts with as many
     * newlines as the block's first line is down the file, so Jinja's line numbers are the file's.
     */
    public record SnapshotBlock(String name, String body) {
    }

    private Preprocessor() {
    }

    /** The file's docs blocks; {@link #withoutDocs} gives the rest. */
    public static List<DocsBlock> docs(String text) {
        List<DocsBlock> blocks = new ArrayList<>();
        Matcher matcher = DOCS.matcher(text);
        while (matcher.find()) {
            blocks.add(new DocsBlock(matcher.group(1), matcher.group(2).strip()));
        }
        return blocks;
    }

    /** The file's snapshot blocks. */
    public static List<SnapshotBlock> snapshots(String text) {
        List<SnapshotBlock> blocks = new ArrayList<>();
        Matcher matcher = SNAPSHOT.matcher(text);
        while (matcher.find()) {
            int lines = (int) text.substring(0, matcher.start(2)).chars().filter(c -> c == '\n').count();
            blocks.add(new SnapshotBlock(matcher.group(1), "\n".repeat(lines) + matcher.group(2)));
        }
        return blocks;
    }

    /** The text without its docs blocks (newlines kept, so line numbers stay right). */
    public static String withoutDocs(String text) {
        Matcher matcher = DOCS.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String newlines = matcher.group().replaceAll("[^\\n]", "");
            matcher.appendReplacement(out, Matcher.quoteReplacement(newlines));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Everything Jinjava needs changed in a macro file, a model or a hook. */
    public static String prepare(String text) {
        String prepared = text;
        if (prepared.contains("materialization")) {
            prepared = MATERIALIZATION.matcher(prepared).replaceAll(match -> Matcher.quoteReplacement("{%" + match.group(1)
                    + " macro materialization_" + match.group(2) + "_" + (match.group(3) == null ? "default" : match.group(3))
                    + "() " + match.group(4) + "%}"));
            prepared = END_MATERIALIZATION.matcher(prepared).replaceAll(match -> Matcher.quoteReplacement(
                    "{%" + match.group(1) + " endmacro " + match.group(2) + "%}"));
        }
        if (prepared.contains("test")) {
            prepared = TEST.matcher(prepared).replaceAll(match -> Matcher.quoteReplacement(
                    "{%" + match.group(1) + " macro test_" + match.group(2) + "("));
            prepared = END_TEST.matcher(prepared).replaceAll(match -> Matcher.quoteReplacement(
                    "{%" + match.group(1) + " endmacro " + match.group(2) + "%}"));
        }
        if (prepared.contains(DISPATCH)) {
            prepared = rewriteDispatch(prepared);
        }
        if (prepared.contains("macro")) {
            prepared = rewriteComplexDefaults(prepared);
        }
        if (prepared.contains("else")) {
            prepared = parenthesizeElseCalls(prepared);
        }
        return prepared;
    }

    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{.*?}}|\\{%.*?%}", Pattern.DOTALL);
    private static final Pattern ELSE_CALL = Pattern.compile("\\belse\\s+([A-Za-z_][\\w.]*)\\s*\\(");

    /** Inside each {@code {{ }}} and {@code {% %}}: {@code else f(x)} → {@code else (f(x))}; text outside is SQL. */
    static String parenthesizeElseCalls(String text) {
        Matcher expression = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (expression.find()) {
            String code = expression.group();
            StringBuilder rewritten = new StringBuilder();
            int from = 0;
            Matcher call = ELSE_CALL.matcher(code);
            while (call.find(from)) {
                int open = call.end() - 1;
                int close = matching(code, open);
                if (close < 0) {
                    break;
                }
                rewritten.append(code, from, call.start(1)).append('(').append(code, call.start(1), close + 1).append(')');
                from = close + 1;
            }
            rewritten.append(code.substring(from));
            expression.appendReplacement(out, Matcher.quoteReplacement(rewritten.toString()));
        }
        expression.appendTail(out);
        return out.toString();
    }

    /**
     * {@code {% macro m(a, sep=", ") %}body} → {@code {% macro m(a, sep='__entrepot_default__') %}{% if sep is
     * string and sep == '__entrepot_default__' %}{% set sep = ", " %}{% endif %}body}. The default is evaluated at each call, as in
     * Jinja; the added tags print nothing and the file keeps its line numbers.
     */
    static String rewriteComplexDefaults(String text) {
        StringBuilder out = new StringBuilder();
        Matcher macro = MACRO.matcher(text);
        int from = 0;
        while (macro.find(from)) {
            int open = macro.end() - 1;
            int close = matching(text, open);
            Matcher end = close < 0 ? null : SIGNATURE_END.matcher(text).region(close + 1, text.length());
            if (end == null || !end.lookingAt()) {
                break; // a broken signature: Jinjava reports it
            }
            StringBuilder signature = new StringBuilder();
            StringBuilder setDefaults = new StringBuilder();
            int paramStart = open + 1;
            for (int comma : topLevelCommas(text, open + 1, close)) {
                rewriteParameter(text.substring(paramStart, comma), signature, setDefaults);
                if (comma < close) {
                    signature.append(',');
                }
                paramStart = comma + 1;
            }
            if (!setDefaults.isEmpty() && end.group().contains("-")) {
                // The signature's "-%}" trims the body's leading blanks: the last added tag must do it now.
                setDefaults.insert(setDefaults.length() - 2, '-');
            }
            out.append(text, from, open + 1).append(signature).append(text, close, end.end()).append(setDefaults);
            from = end.end();
        }
        out.append(text.substring(from));
        return out.toString();
    }

    /** Appends the parameter, with a placeholder for a complex default, and the tag that sets the real default. */
    private static void rewriteParameter(String parameter, StringBuilder signature, StringBuilder setDefaults) {
        int equals = parameter.indexOf('=');
        String defaultValue = equals < 0 ? "" : parameter.substring(equals + 1).strip();
        if (equals < 0 || PLAIN_DEFAULT.matcher(defaultValue).matches()) {
            signature.append(parameter);
            return;
        }
        String name = parameter.substring(0, equals).strip();
        String newlines = parameter.replaceAll("[^\\n]", "");
        signature.append(parameter, 0, equals + 1).append(DEFAULT_PLACEHOLDER).append(newlines);
        setDefaults.append("{% if ").append(name).append(" is string and ").append(name).append(" == ").append(DEFAULT_PLACEHOLDER).append(" %}{% set ")
                .append(name).append(" = ").append(defaultValue.replace('\n', ' ')).append(" %}{% endif %}");
    }

    /** The positions of the commas between {@code from} and {@code to} outside quotes and brackets, then {@code to}. */
    private static List<Integer> topLevelCommas(String text, int from, int to) {
        List<Integer> commas = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                commas.add(i);
            }
        }
        commas.add(to);
        return commas;
    }

    /** {@code adapter.dispatch(A)(B)} → {@code __dispatch([A], B)}; {@code adapter.dispatch(A)} → {@code __dispatch_macro([A])}. */
    static String rewriteDispatch(String text) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        int at;
        while ((at = text.indexOf(DISPATCH, from)) >= 0) {
            out.append(text, from, at);
            int openArgs = at + DISPATCH.length() - 1;
            int closeArgs = matching(text, openArgs);
            if (closeArgs < 0) {
                out.append(text.substring(at));
                return out.toString();
            }
            String dispatchArgs = positional(text.substring(openArgs + 1, closeArgs));
            int next = closeArgs + 1;
            while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
                next++;
            }
            if (next < text.length() && text.charAt(next) == '(') {
                int closeCall = matching(text, next);
                String callArgs = text.substring(next + 1, closeCall).strip();
                out.append("__dispatch([").append(dispatchArgs).append(']')
                        .append(callArgs.isEmpty() ? "" : ", " + callArgs).append(')');
                from = closeCall + 1;
            } else {
                out.append("__dispatch_macro([").append(dispatchArgs).append("])");
                from = closeArgs + 1;
            }
        }
        out.append(text.substring(from));
        return out.toString();
    }

    /** {@code macro_name='x', macro_namespace='y'} → {@code 'x', 'y'}: the list keeps the order dbt defines. */
    private static String positional(String arguments) {
        return arguments.replaceAll("\\bmacro_name\\s*=\\s*", "").replaceAll("\\bmacro_namespace\\s*=\\s*", "")
                .replaceAll("\\bpackages\\s*=\\s*", "").strip();
    }

    /** The index of the parenthesis closing the one at {@code open}, skipping quoted text; -1 if none. */
    static int matching(String text, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
