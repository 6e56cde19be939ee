package fr.zlv.entrepot.dbt.jinja;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Python's {@code re} module as {@code modules.re}: match, search, fullmatch, sub, findall, split, compile. */
public final class PyRe {

    /** A match: {@code group(n)}, {@code groups()}, {@code start()}, {@code end()}. */
    public static final class PyMatch {
        private final Matcher matcher;

        PyMatch(Matcher matcher) {
            this.matcher = matcher;
        }

        public String group() {
            return matcher.group();
        }

        public String group(int index) {
            return matcher.group(index);
        }

        public String group(String name) {
            return matcher.group(name);
        }

        public List<String> groups() {
            List<String> groups = new ArrayList<>();
            for (int i = 1; i <= matcher.groupCount(); i++) {
                groups.add(matcher.group(i));
            }
            return groups;
        }

        public int start() {
            return matcher.start();
        }

        public int end() {
            return matcher.end();
        }

        @Override
        public String toString() {
            return "<re.Match '" + matcher.group() + "'>";
        }
    }

    /** A compiled pattern, with the same methods. */
    public static final class PyPattern {
        private final Pattern pattern;

        PyPattern(Pattern pattern) {
            this.pattern = pattern;
        }

        public PyMatch match(String text) {
            Matcher matcher = pattern.matcher(text);
            return matcher.lookingAt() ? new PyMatch(matcher) : null;
        }

        public PyMatch search(String text) {
            Matcher matcher = pattern.matcher(text);
            return matcher.find() ? new PyMatch(matcher) : null;
        }

        public PyMatch fullmatch(String text) {
            Matcher matcher = pattern.matcher(text);
            return matcher.matches() ? new PyMatch(matcher) : null;
        }

        public String sub(String replacement, String text) {
            return pattern.matcher(text).replaceAll(replacement.replaceAll("\\\\(\\d)", "\\$$1"));
        }

        public List<Object> findall(String text) {
            Matcher matcher = pattern.matcher(text);
            List<Object> found = new ArrayList<>();
            while (matcher.find()) {
                if (matcher.groupCount() == 0) {
                    found.add(matcher.group());
                } else if (matcher.groupCount() == 1) {
                    found.add(matcher.group(1));
                } else {
                    found.add(new PyMatch(matcher).groups());
                }
            }
            return found;
        }

        public List<String> split(String text) {
            return new ArrayList<>(Arrays.asList(pattern.split(text, -1)));
        }
    }

    public static final int IGNORECASE = Pattern.CASE_INSENSITIVE;
    public static final int I = Pattern.CASE_INSENSITIVE;
    public static final int MULTILINE = Pattern.MULTILINE;
    public static final int DOTALL = Pattern.DOTALL;

    public int getIGNORECASE() {
        return IGNORECASE;
    }

    public int getI() {
        return I;
    }

    public int getMULTILINE() {
        return MULTILINE;
    }

    public int getDOTALL() {
        return DOTALL;
    }

    /** Python's named groups (?P<name>...) are Java's (?<name>...). */
    static Pattern pattern(String regex, int flags) {
        return Pattern.compile(regex.replace("(?P<", "(?<"), flags);
    }

    public PyPattern compile(String regex) {
        return new PyPattern(pattern(regex, 0));
    }

    public PyPattern compile(String regex, int flags) {
        return new PyPattern(pattern(regex, flags));
    }

    public PyMatch match(String regex, String text) {
        return compile(regex).match(text);
    }

    public PyMatch match(String regex, String text, int flags) {
        return compile(regex, flags).match(text);
    }

    public PyMatch search(String regex, String text) {
        return compile(regex).search(text);
    }

    public PyMatch search(String regex, String text, int flags) {
        return compile(regex, flags).search(text);
    }

    public PyMatch fullmatch(String regex, String text) {
        return compile(regex).fullmatch(text);
    }

    public String sub(String regex, String replacement, String text) {
        return compile(regex).sub(replacement, text);
    }

    public List<Object> findall(String regex, String text) {
        return compile(regex).findall(text);
    }

    public List<String> split(String regex, String text) {
        return compile(regex).split(text);
    }

    public String escape(String text) {
        return Pattern.quote(text);
    }
}
