package heph.systemd;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders heph's systemd user unit and reads unit files back (systemd.syntax(7): sections, Key=value lines,
 * # and ; comments, trailing-backslash continuations). "Unchanged" is defined once, by {@link #sameUnit}: equal
 * parsed content, never equal bytes.
 */
public final class UnitFile {
    static final String HEADER = "# Written by heph; `heph start` and `heph restart` rewrite this file.\n";

    private UnitFile() {
    }

    /** The unit text for {@code spec}: deterministic, one key per line, ending with a newline. */
    public static String render(UnitSpec spec) {
        StringBuilder sb = new StringBuilder(HEADER);
        sb.append("[Unit]\n");
        sb.append("Description=").append(ExecStartQuoting.escapeSpecifiers(spec.description())).append('\n');
        sb.append("\n[Service]\n");
        sb.append("Type=simple\n");
        sb.append("ExecStart=").append(ExecStartQuoting.quote(spec.execStart())).append('\n');
        spec.environment().forEach((k, v) ->
                sb.append("Environment=").append(ExecStartQuoting.quoteAssignment(k, v)).append('\n'));
        sb.append("Restart=always\n");
        sb.append("RestartSec=1\n");
        sb.append("\n[Install]\n");
        sb.append("WantedBy=default.target\n");
        return sb.toString();
    }

    /**
     * Parses unit text into sections, each an ordered map of key to all its values (in file order; an empty value is
     * kept, as systemd uses it to reset a list). Repeated sections are merged.
     *
     * @param source names the text in error messages (usually the file path)
     * @throws UnitParseException when a line is neither blank, a comment, a [Section] header nor Key=value inside a
     *                            section, when an Exec*= or Environment= value in [Service] has an unbalanced
     *                            quote, or when the text is larger than 1 MiB
     */
    public static Parsed parse(String text, String source) {
        return new UnitFileParser(source, true).parse(text);
    }

    /**
     * Reads a service unit as systemd 252 reads it: lines systemd skips with a warning (a key outside a section, a
     * line without '=', the sections other than [Unit], [Service] and [Install]) are skipped, and values are not
     * checked here ({@link UnitFileVerdict} judges them as systemd's load does).
     *
     * @throws UnitParseException only where systemd refuses the file itself: a malformed section header, or a text
     *                            larger than 1 MiB
     */
    public static Parsed load(String text, String source) {
        return new UnitFileParser(source, false).parse(text);
    }

    /**
     * True when both texts parse to the same sections, keys and values (in order per key); comments, blank lines,
     * spacing and key order do not matter. In [Service], Exec*= values are compared as their unquoted words (so
     * re-quoting or re-wrapping is no change) and Environment= lines as the variables they set (so their order and
     * grouping do not matter either). When either text has lines heph's strict reading refuses, both are compared
     * as systemd reads them ({@link #load}). False when either text does not load.
     */
    public static boolean sameUnit(String a, String b) {
        try {
            return normalized(parse(a, "first unit")).equals(normalized(parse(b, "second unit")));
        } catch (UnitParseException e) {
            // a unit used as given may hold lines systemd skips (and so heph's strict reading refuses): compare
            // what systemd reads of both
            try {
                return normalized(load(a, "first unit")).equals(normalized(load(b, "second unit")));
            } catch (UnitParseException | IllegalArgumentException again) {
                return false;
            }
        }
    }

    private static Map<String, Map<String, List<String>>> normalized(Parsed p) {
        Map<String, Map<String, List<String>>> m = new LinkedHashMap<>();
        p.sections().forEach((name, keys) -> {
            if (!keys.isEmpty()) {
                Map<String, List<String>> k = new LinkedHashMap<>(keys);
                if (name.equals("Service")) {
                    k.replaceAll(UnitFile::normalizedServiceValues);
                }
                m.put(name, k);
            }
        });
        return m;
    }

    private static List<String> normalizedServiceValues(String key, List<String> values) {
        if (key.startsWith("Exec")) {
            return values.stream().map(v -> WordReader.encoded(v, true)).toList();
        }
        if (key.equals("Environment")) {
            return environmentOf(values).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted()
                    .toList();
        }
        return values;
    }

    /** The variables a list of Environment= values sets, in order of assignment. */
    private static Map<String, String> environmentOf(List<String> values) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String value : values) {
            if (value.isEmpty()) {
                env.clear();
            }
            for (String word : ExecStartQuoting.words(value)) {
                int eq = word.indexOf('=');
                if (eq > 0) {
                    env.put(word.substring(0, eq), word.substring(eq + 1));
                }
            }
        }
        return env;
    }

    /** A parsed unit file: section name to (key to values in file order). Immutable. */
    public record Parsed(Map<String, Map<String, List<String>>> sections) {
        public Parsed {
            Map<String, Map<String, List<String>>> copy = new LinkedHashMap<>();
            sections.forEach((name, keys) -> {
                Map<String, List<String>> k = new LinkedHashMap<>();
                keys.forEach((key, values) -> k.put(key, List.copyOf(values)));
                copy.put(name, Collections.unmodifiableMap(k));
            });
            sections = Collections.unmodifiableMap(copy);
        }

        /**
         * The argv of the last ExecStart in [Service], unquoted; empty when there is none or when the last one is
         * empty (an empty assignment clears the list, as in systemd).
         */
        public List<String> execStart() {
            List<String> values = values("Service", "ExecStart");
            return values.isEmpty() ? List.of() : ExecStartQuoting.split(values.get(values.size() - 1));
        }

        /**
         * The environment the [Service] Environment= lines set, in order of assignment (later wins; an empty
         * Environment= clears the list, as in systemd). Words without '=' are skipped, as systemd does.
         */
        public Map<String, String> environment() {
            return environmentOf(values("Service", "Environment"));
        }

        /** The last value of {@code key} in {@code section}, if the key appears there. */
        public Optional<String> value(String section, String key) {
            List<String> values = values(section, key);
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
        }

        /** Every value of {@code key} in {@code section}, in file order. */
        public List<String> values(String section, String key) {
            return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
        }
    }
}
