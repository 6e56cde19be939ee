package fr.zlv.entrepot.dbt.jinja;

import com.hubspot.jinjava.el.ext.NamedParameter;
import java.beans.FeatureDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's string and dict methods, which dbt projects call ({@code name.upper()}, {@code ', '.join(cols)},
 * {@code d.get('k', 0)}) and Jinjava, a Java engine, does not know. Asked first; anything it does not
 * handle goes on to Jinjava's own resolvers.
 */
final class PythonMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
        if (base == null || method == null) {
            return null;
        }
        String name = method.toString();
        Object[] args = params == null ? new Object[0] : params;
        Object result = NOT_HANDLED;
        if (base instanceof String text) {
            result = string(text, name, args);
        } else if (base instanceof Map<?, ?> map) {
            result = dict(map, name, args);
        } else if (Arrays.stream(args).anyMatch(NamedParameter.class::isInstance)
                && base.getClass().getName().startsWith("fr.zlv.entrepot.dbt.")) {
            result = keywordCall(base, name, args);
        }
        if (result == NOT_HANDLED) {
            return null;
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static final Object NOT_HANDLED = new Object();

    /**
     * A call with keyword arguments ({@code adapter.get_relation(database=d, schema=s, identifier=i)}) on one of
     * Entrepôt's Python-like objects: the keywords are matched to the Java method's parameter names (the classes
     * are compiled with {@code -parameters}); parameters left out are null. Of the overloads that fit, the one
     * with the fewest parameters is called.
     */
    private static Object keywordCall(Object base, String name, Object[] args) {
        List<Object> positional = new ArrayList<>();
        Map<String, Object> keywords = new java.util.LinkedHashMap<>();
        for (Object arg : args) {
            if (arg instanceof NamedParameter named) {
                keywords.put(named.getName(), named.getValue());
            } else {
                positional.add(arg);
            }
        }
        Method best = null;
        Object[] bestArguments = null;
        for (Method method : base.getClass().getMethods()) {
            Parameter[] parameters = method.getParameters();
            if (!method.getName().equals(name) || parameters.length < positional.size()
                    || (best != null && parameters.length >= best.getParameterCount())) {
                continue;
            }
            Object[] arguments = new Object[parameters.length];
            int used = 0;
            boolean fits = true;
            for (int i = 0; i < parameters.length && fits; i++) {
                Object value;
                if (i < positional.size()) {
                    value = positional.get(i);
                } else if (keywords.containsKey(parameters[i].getName())) {
                    value = keywords.get(parameters[i].getName());
                    used++;
                } else {
                    value = null;
                }
                arguments[i] = convert(value, parameters[i].getType());
                fits = arguments[i] != null || (value == null && !parameters[i].getType().isPrimitive());
            }
            if (fits && used == keywords.size()) {
                best = method;
                bestArguments = arguments;
            }
        }
        if (best == null) {
            return NOT_HANDLED;
        }
        try {
            return best.invoke(base, bestArguments);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    /** A Jinja value as the Java parameter type wants it; null when it cannot be. */
    private static Object convert(Object value, Class<?> type) {
        if (value == null) {
            return null;
        }
        if (type == String.class) {
            return value.toString();
        }
        if ((type == long.class || type == Long.class) && value instanceof Number number) {
            return number.longValue();
        }
        if ((type == int.class || type == Integer.class) && value instanceof Number number) {
            return number.intValue();
        }
        if ((type == boolean.class || type == Boolean.class) && value instanceof Boolean flag) {
            return flag;
        }
        return type.isInstance(value) ? value : null;
    }

    private static Object string(String text, String method, Object[] args) {
        String first = args.length > 0 && args[0] != null ? args[0].toString() : null;
        switch (method) {
            case "upper":
                return text.toUpperCase(Locale.ROOT);
            case "lower":
                return text.toLowerCase(Locale.ROOT);
            case "strip":
                return first == null ? text.strip() : trim(text, first, true, true);
            case "lstrip":
                return first == null ? text.stripLeading() : trim(text, first, true, false);
            case "rstrip":
                return first == null ? text.stripTrailing() : trim(text, first, false, true);
            case "startswith":
                return first != null && text.startsWith(first);
            case "endswith":
                return first != null && text.endsWith(first);
            case "replace":
                return args.length >= 2 ? text.replace(first, String.valueOf(args[1])) : NOT_HANDLED;
            case "split":
                return split(text, first, args.length > 1 ? ((Number) args[1]).intValue() : -1);
            case "join":
                return join(text, args.length > 0 ? args[0] : null);
            case "title":
                return title(text);
            case "capitalize":
                return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1)
                        .toLowerCase(Locale.ROOT);
            case "format":
                return format(text, args);
            case "isdigit":
                return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
            case "isupper":
                return !text.isEmpty() && text.equals(text.toUpperCase(Locale.ROOT));
            case "islower":
                return !text.isEmpty() && text.equals(text.toLowerCase(Locale.ROOT));
            case "count":
                return first == null || first.isEmpty() ? 0 : (text.length() - text.replace(first, "").length()) / first.length();
            case "find":
                return first == null ? -1 : text.indexOf(first);
            case "zfill":
                int width = ((Number) args[0]).intValue();
                return text.length() >= width ? text : "0".repeat(width - text.length()) + text;
            default:
                return NOT_HANDLED;
        }
    }

    private static Object dict(Map<?, ?> map, String method, Object[] args) {
        switch (method) {
            case "get":
                if (args.length == 0) {
                    return NOT_HANDLED;
                }
                Object value = map.get(args[0]);
                return value != null || args.length < 2 ? value : args[1];
            case "keys":
                return new ArrayList<>(map.keySet());
            case "values":
                return new ArrayList<>(map.values());
            default:
                return NOT_HANDLED;
        }
    }

    private static String trim(String text, String characters, boolean leading, boolean trailing) {
        int start = 0;
        int end = text.length();
        while (leading && start < end && characters.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (trailing && end > start && characters.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(start, end);
    }

    private static List<String> split(String text, String separator, int limit) {
        if (separator == null) {
            String trimmed = text.strip();
            return trimmed.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(trimmed.split("\\s+")));
        }
        return new ArrayList<>(Arrays.asList(text.split(Pattern.quote(separator), limit < 0 ? -1 : limit + 1)));
    }

    private static String join(String separator, Object items) {
        List<String> parts = new ArrayList<>();
        if (items instanceof Collection<?> collection) {
            collection.forEach(item -> parts.add(String.valueOf(item)));
        } else if (items instanceof Object[] array) {
            for (Object item : array) {
                parts.add(String.valueOf(item));
            }
        } else if (items instanceof String text) {
            text.chars().forEach(c -> parts.add(String.valueOf((char) c)));
        }
        return String.join(separator, parts);
    }

    private static String title(String text) {
        StringBuilder out = new StringBuilder();
        boolean start = true;
        for (char c : text.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = !Character.isLetterOrDigit(c);
        }
        return out.toString();
    }

    /** str.format with positional {} and {0} placeholders. */
    private static String format(String template, Object[] args) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                out.append('{');
                i++;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                out.append('}');
                i++;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                String index = template.substring(i + 1, close);
                int position = index.isEmpty() ? next++ : Integer.parseInt(index);
                out.append(position < args.length ? args[position] : "");
                i = close;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Getters found for snake_case attributes, by class and name (an empty Optional: none). */
    private final Map<String, java.util.Optional<Method>> snakeCaseGetters = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A snake_case attribute of one of Entrepôt's Python-like objects ({@code column.data_type},
     * {@code table.column_names}, {@code relation.is_table}). Jinjava turns such a name into camelCase before
     * looking for a getter ({@code getDataType}), which these classes, shaped after dbt's Python names, do not have:
     * the getter of the name as written ({@code getData_type}), then the camelCase getter, then a no-argument method
     * of either name is called here instead.
     */
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base == null || property == null || !base.getClass().getName().startsWith("fr.zlv.entrepot.dbt.")) {
            return null;
        }
        String name = property.toString();
        if (name.indexOf('_') <= 0) {
            return null;
        }
        Method getter = snakeCaseGetters.computeIfAbsent(base.getClass().getName() + "#" + name,
                key -> java.util.Optional.ofNullable(snakeCaseGetter(base.getClass(), name))).orElse(null);
        if (getter == null) {
            return null;
        }
        try {
            Object value = getter.invoke(base);
            context.setPropertyResolved(true);
            return value;
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    private static Method snakeCaseGetter(Class<?> type, String name) {
        StringBuilder camel = new StringBuilder();
        boolean upper = true;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        String written = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (String candidate : List.of("get" + written, "is" + written, "get" + camel, "is" + camel, name,
                Character.toLowerCase(camel.charAt(0)) + camel.substring(1))) {
            try {
                Method method = type.getMethod(candidate);
                if (method.getReturnType() != void.class) {
                    return method;
                }
            } catch (NoSuchMethodException e) {
                // Try the next spelling.
            }
        }
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
