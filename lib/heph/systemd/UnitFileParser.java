package heph.systemd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The line reader behind {@link UnitFile#parse} and {@link UnitFile#load}, one instance per call. Follows systemd
 * 252's conf-parser (src/shared/conf-parser.c, config_parse and parse_line): a line whose first non-blank character
 * is # or ; is a comment, also inside a continuation (and never starts one); a trailing backslash that is not itself
 * escaped joins the next line (the backslash becomes a space); a CR before the newline is dropped.
 *
 * <p>Linear in the size of the text: whether a line ends in an unescaped backslash is decided from that physical
 * line alone. That equals systemd's scan over the whole joined line, because the joined part always ends in the
 * space that replaced the continuing backslash, so the scan enters each new physical line unescaped.
 *
 * <p>{@code strict} (heph's own units) refuses every line systemd would skip with a warning; otherwise (a unit used
 * as given) those lines are skipped as systemd skips them: a key outside a section, a line without '=', a key
 * before '=' that is empty, and the lines of a section systemd does not know for a service.
 */
final class UnitFileParser {
    /** systemd's LONG_LINE_MAX; heph applies it to the whole file (systemd to one joined line). */
    static final int MAX_BYTES = 1024 * 1024;
    /** The sections systemd reads in a .service unit (the others are skipped with a warning). */
    static final Set<String> SERVICE_SECTIONS = Set.of("Unit", "Service", "Install");
    private static final String WHITESPACE = " \t\n\r";

    private final String source;
    private final boolean strict;
    private final Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    private Map<String, List<String>> current;
    private String currentName;
    private boolean skipping;

    UnitFileParser(String source, boolean strict) {
        this.source = source;
        this.strict = strict;
    }

    UnitFile.Parsed parse(String text) {
        checkSize(text);
        StringBuilder pending = null;
        int start = 0;
        int lineNo = 0;
        int at = text.startsWith("\uFEFF") ? 1 : 0; // systemd skips a UTF-8 byte order mark
        while (at < text.length()) {
            int nl = text.indexOf('\n', at);
            int from = at;
            int end = nl < 0 ? text.length() : nl;
            int rawEnd = end > from && text.charAt(end - 1) == '\r' ? end - 1 : end;
            at = end + 1;
            lineNo++;
            if (isComment(text, from, rawEnd)) {
                continue; // systemd.syntax(7): comment lines are skipped, also inside a continuation
            }
            if (pending == null) {
                pending = new StringBuilder(rawEnd - from);
                start = lineNo;
            }
            pending.append(text, from, rawEnd);
            if (endsWithContinuation(text, from, rawEnd)) {
                pending.setCharAt(pending.length() - 1, ' '); // the backslash becomes a space
                continue;
            }
            line(strip(pending.toString()), start);
            pending = null;
        }
        if (pending != null) {
            line(strip(pending.toString()), start);
        }
        return new UnitFile.Parsed(sections);
    }

    private void checkSize(String text) {
        if (text.length() > MAX_BYTES || text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw fail(0, "larger than " + MAX_BYTES + " bytes (systemd's limit for a unit file line is 1 MiB)");
        }
    }

    private void line(String l, int n) {
        if (l.isEmpty()) {
            return;
        }
        if (l.startsWith("[")) {
            section(l, n);
            return;
        }
        if (skipping) {
            return; // a section systemd does not read: skipped with it
        }
        if (current == null) {
            if (strict) {
                throw fail(n, "expected a [Section] header before '" + clip(l) + "'");
            }
            return; // systemd: "Assignment outside of section. Ignoring."
        }
        int eq = l.indexOf('=');
        if (eq <= 0 || strip(l.substring(0, eq)).isEmpty()) {
            if (strict) {
                throw fail(n, "expected Key=value in [" + currentName + "], got '" + clip(l) + "'");
            }
            return; // systemd: "Missing '=', ignoring line." / "Missing key name before '='"
        }
        String key = strip(l.substring(0, eq));
        String value = strip(l.substring(eq + 1));
        if (strict) {
            checkQuoting(key, value, n);
        }
        current.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private void section(String l, int n) {
        if (!l.endsWith("]") || l.length() < 2 || (strict && l.length() < 3)) {
            throw fail(n, "expected a section header like [Service], got '" + clip(l) + "'");
        }
        String name = l.substring(1, l.length() - 1);
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || "\\\"'".indexOf(c) >= 0)) {
            throw fail(n, "bad characters in section header '" + clip(l) + "'");
        }
        if (!strict && !SERVICE_SECTIONS.contains(name)) {
            skipping = true; // systemd: "Unknown section '...'. Ignoring." (X-... silently)
            current = null;
            currentName = null;
            return;
        }
        skipping = false;
        currentName = name;
        current = sections.computeIfAbsent(currentName, k -> new LinkedHashMap<>());
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

    /** Whether text[from, to) is a comment line: its first non-blank character is # or ;. */
    private static boolean isComment(String text, int from, int to) {
        int i = from;
        while (i < to && WHITESPACE.indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i < to && (text.charAt(i) == '#' || text.charAt(i) == ';');
    }

    /** Whether text[from, to) ends in a backslash that is not itself escaped (systemd's scan, one line). */
    private static boolean endsWithContinuation(String text, int from, int to) {
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            escaped = !escaped && text.charAt(i) == '\\';
        }
        return escaped;
    }

    /** Strips systemd's WHITESPACE (space, tab, CR, LF) from both ends. */
    static String strip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && WHITESPACE.indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && WHITESPACE.indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
