package heph.systemd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The line reader behind {@link UnitFile#parse}, one instance per call. Follows systemd's conf-parser: lines are
 * stripped; a trailing backslash that is not itself escaped joins the next line (the backslash becomes a space) and
 * comment lines inside such a continuation are skipped; a CR before the newline is dropped.
 */
final class UnitFileParser {
    private final String source;
    private final Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    private Map<String, List<String>> current;
    private String currentName;

    UnitFileParser(String source) {
        this.source = source;
    }

    UnitFile.Parsed parse(String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder pending = null;
        int start = 0;
        for (int n = 0; n < lines.length; n++) {
            String raw = lines[n].endsWith("\r") ? lines[n].substring(0, lines[n].length() - 1) : lines[n];
            if (pending != null && isComment(raw.strip())) {
                continue; // systemd.syntax(7): comment lines inside a continuation are ignored
            }
            StringBuilder line = pending == null ? new StringBuilder(raw) : pending.append(raw);
            if (pending == null) {
                start = n + 1;
            }
            if (endsWithContinuation(line)) {
                line.setCharAt(line.length() - 1, ' '); // the backslash becomes a space
                pending = line;
                continue;
            }
            pending = null;
            line(line.toString().strip(), start);
        }
        if (pending != null) {
            line(pending.toString().strip(), start);
        }
        return new UnitFile.Parsed(sections);
    }

    private void line(String l, int n) {
        if (l.isEmpty() || isComment(l)) {
            return;
        }
        if (l.startsWith("[")) {
            if (!l.endsWith("]") || l.length() < 3) {
                throw fail(n, "expected a section header like [Service], got '" + clip(l) + "'");
            }
            currentName = l.substring(1, l.length() - 1);
            current = sections.computeIfAbsent(currentName, k -> new LinkedHashMap<>());
            return;
        }
        if (current == null) {
            throw fail(n, "expected a [Section] header before '" + clip(l) + "'");
        }
        int eq = l.indexOf('=');
        if (eq <= 0 || l.substring(0, eq).isBlank()) {
            throw fail(n, "expected Key=value in [" + currentName + "], got '" + clip(l) + "'");
        }
        String key = l.substring(0, eq).strip();
        String value = l.substring(eq + 1).strip();
        checkQuoting(key, value, n);
        current.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private void checkQuoting(String key, String value, int n) {
        if (!"Service".equals(currentName)) {
            return;
        }
        try {
            if (key.startsWith("Exec") || key.equals("Environment")) {
                WordReader.encoded(value, key.startsWith("Exec"));
            }
        } catch (IllegalArgumentException e) {
            // an Environment= value is a secret: say what is wrong, never the value
            String why = key.equals("Environment") ? e.getMessage().replaceFirst("(?s) in '.*", "") : e.getMessage();
            throw fail(n, key + "= value cannot be unquoted: " + why);
        }
    }

    private UnitParseException fail(int line, String problem) {
        return new UnitParseException(source, line, problem);
    }

    private static boolean isComment(String stripped) {
        return stripped.startsWith("#") || stripped.startsWith(";");
    }

    /** A trailing backslash that is not itself escaped (systemd counts backslashes over the whole line). */
    private static boolean endsWithContinuation(CharSequence line) {
        boolean escaped = false;
        for (int i = 0; i < line.length(); i++) {
            escaped = !escaped && line.charAt(i) == '\\';
        }
        return escaped;
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
