package heph.sim.systemd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated manager's own reading of a service unit file, written apart from heph's (heph.systemd) so that a
 * misreading in heph cannot hide in both. It follows systemd 252's load rules (systemd.syntax(7), conf-parser.c,
 * config_parse_exec): # and ; comment lines (also inside a continuation); a trailing unescaped backslash joins the
 * next line; [Unit], [Service] and [Install] are read and other sections skipped; lines outside a section or without
 * '=' skipped; a malformed section header fails the load. Words are split on blanks with "..." and '...' quotes and C
 * escapes; in Exec lines a lone ";" separates commands, the prefixes - @ : + ! !! are read off the program, and %%
 * and the specifiers %n %N %p %i %h resolve (others stay as written). Nothing is imported from heph.systemd.
 */
final class SystemdUnitText {
    /** Why the manager would not load the unit (LoadState=bad-setting in the fake). */
    static final class Bad extends Exception {
        Bad(String message) {
            super(message);
        }
    }

    /** One word; {@code separator} is an unquoted lone ";" in an Exec line. */
    private record Token(String text, boolean separator) {
    }

    private static final String BLANKS = " \t\n\r";

    private SystemdUnitText() {
    }

    /** Section to key to the values in file order. */
    static Map<String, Map<String, List<String>>> read(String text) throws Bad {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        StringBuilder joined = null;
        String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\n", -1); // BOM skipped
        for (int n = 0; n <= lines.length; n++) {
            String line;
            if (n < lines.length) {
                String raw = lines[n].endsWith("\r") ? lines[n].substring(0, lines[n].length() - 1) : lines[n];
                String bare = trim(raw);
                if (bare.startsWith("#") || bare.startsWith(";")) {
                    continue;
                }
                int backslashes = 0;
                for (int i = raw.length() - 1; i >= 0 && raw.charAt(i) == '\\'; i--) {
                    backslashes++;
                }
                joined = joined == null ? new StringBuilder(raw) : joined.append(raw);
                if (backslashes % 2 == 1) {
                    joined.setCharAt(joined.length() - 1, ' ');
                    continue;
                }
            } else if (joined == null) {
                break;
            }
            line = trim(joined.toString());
            joined = null;
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == '[') {
                if (line.length() < 2 || line.charAt(line.length() - 1) != ']') {
                    throw new Bad("Invalid section header '" + line + "'");
                }
                String name = line.substring(1, line.length() - 1);
                current = List.of("Unit", "Service", "Install").contains(name)
                        ? sections.computeIfAbsent(name, k -> new LinkedHashMap<>()) : null;
                continue;
            }
            int eq = line.indexOf('=');
            if (current != null && eq > 0 && !trim(line.substring(0, eq)).isEmpty()) {
                current.computeIfAbsent(trim(line.substring(0, eq)), k -> new ArrayList<>())
                        .add(trim(line.substring(eq + 1)));
            }
        }
        return sections;
    }

    /**
     * The commands of one Exec value, each its argv (program first, prefixes removed; with '@' the list is path,
     * argv[0], arguments, as written). An error the '-' prefix covers drops the rest of the value.
     */
    static List<List<String>> commands(String value, String unit, String home) throws Bad {
        List<Token> tokens;
        try {
            tokens = tokens(value, true);
        } catch (Bad e) {
            if (value.startsWith("\"") || value.startsWith("'")) {
                return List.of(); // systemd 252 only warns about an unbalanced first word and drops the value
            }
            throw e;
        }
        List<List<String>> out = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            if (tokens.get(i).separator() || tokens.get(i).text().equals(";")) {
                i++;
                continue;
            }
            String first = tokens.get(i++).text();
            int p = 0;
            while (p < first.length() && "-@:+!".indexOf(first.charAt(p)) >= 0) {
                p++;
            }
            boolean ignore = first.substring(0, p).contains("-");
            boolean argv0 = first.substring(0, p).contains("@");
            List<String> argv = new ArrayList<>();
            argv.add(specifiers(first.substring(p), unit, home));
            while (i < tokens.size() && !tokens.get(i).separator()) {
                argv.add(specifiers(tokens.get(i++).text(), unit, home));
            }
            String path = argv.get(0);
            String problem = path.isEmpty() ? "Empty path in command line"
                    : !path.startsWith("/") && path.contains("/") || path.endsWith("/")
                    ? "Neither a valid executable name nor an absolute path: " + path
                    : argv0 && argv.size() < 2 ? "Empty executable name or zeroeth argument" : null;
            if (problem != null) {
                if (ignore) {
                    return out;
                }
                throw new Bad(problem);
            }
            out.add(List.copyOf(argv));
        }
        return out;
    }

    /** systemd's boolean (parse_boolean): 1/yes/y/true/t/on are true; anything else false. */
    static boolean bool(String value) {
        return value != null && java.util.Set.of("1", "yes", "y", "true", "t", "on")
                .contains(value.strip().toLowerCase(java.util.Locale.ROOT));
    }

    /** The words of a value such as Environment= or WantedBy= (%% resolved). */
    static List<String> words(String value) throws Bad {
        List<String> out = new ArrayList<>();
        for (Token t : tokens(value, false)) {
            out.add(t.text().replace("%%", "%"));
        }
        return out;
    }

    private static String specifiers(String word, String unit, String home) {
        if (word.indexOf('%') < 0) {
            return word.replace("$$", "$");
        }
        String id = unit.endsWith(".service") ? unit.substring(0, unit.length() - 8) : unit;
        int at = id.indexOf('@');
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            char k = i + 1 < word.length() ? word.charAt(i + 1) : 0;
            String v = c != '%' ? null : switch (k) {
                case '%' -> "%";
                case 'n' -> unit;
                case 'N' -> id;
                case 'p' -> at < 0 ? id : id.substring(0, at);
                case 'i' -> at < 0 ? "" : id.substring(at + 1);
                case 'h' -> home;
                default -> null;
            };
            if (v == null) {
                sb.append(c);
            } else {
                sb.append(v);
                i++;
            }
        }
        return sb.toString().replace("$$", "$");
    }

    private static List<Token> tokens(String s, boolean exec) throws Bad {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (true) {
            while (i < s.length() && BLANKS.indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (i >= s.length()) {
                return out;
            }
            if (exec && (s.startsWith(";", i) || s.startsWith("\\;", i))) {
                int end = i + (s.charAt(i) == ';' ? 1 : 2);
                if (end == s.length() || BLANKS.indexOf(s.charAt(end)) >= 0) {
                    out.add(new Token(";", s.charAt(i) == ';'));
                    i = end;
                    continue;
                }
            }
            StringBuilder w = new StringBuilder();
            char quote = 0;
            for (; i < s.length() && (quote != 0 || BLANKS.indexOf(s.charAt(i)) < 0); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    i = escape(s, i, w);
                } else if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            }
            if (quote != 0) {
                throw new Bad("Unbalanced quoting: " + s);
            }
            out.add(new Token(w.toString(), false));
        }
    }

    /** Appends the C escape at {@code i} (a backslash) to {@code w}; returns the index of its last character. */
    private static int escape(String s, int i, StringBuilder w) {
        char e = s.charAt(i + 1);
        int simple = "abfnrtvs\\\"'".indexOf(e);
        if (simple >= 0) {
            w.append("\u0007\b\f\n\r\t\u000b \\\"'".charAt(simple));
            return i + 1;
        }
        int digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : e >= '0' && e <= '7' ? 3 : 0;
        int from = e >= '0' && e <= '7' ? i + 1 : i + 2;
        int radix = e >= '0' && e <= '7' ? 8 : 16;
        if (digits > 0 && from + digits <= s.length()
                && s.substring(from, from + digits).chars().allMatch(ch -> Character.digit(ch, radix) >= 0)) {
            int cp = Integer.parseInt(s.substring(from, from + digits), radix);
            if (cp > 0 && Character.isValidCodePoint(cp)) {
                w.appendCodePoint(cp);
                return from + digits - 1;
            }
        }
        w.append('\\').append(e); // not an escape: kept as written, as systemd does (with a warning)
        return i + 1;
    }

    private static String trim(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && BLANKS.indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && BLANKS.indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }
}
