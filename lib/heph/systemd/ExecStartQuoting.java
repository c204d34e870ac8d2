package heph.systemd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Quoting of argv words in unit files, as systemd.syntax(7) "Quoting" and systemd.service(5) "Command lines" define
 * it. systemd first splits a value into words (removing "..." and '...' quotes and resolving C escapes), then
 * resolves specifiers in each word ({@code %%} is a literal {@code %}), and at exec time expands variables
 * ({@code $$} is a literal {@code $}). {@link #quote} produces exactly what that pipeline turns back into the argv;
 * {@link #split} runs the pipeline (without resolving real specifiers or variables, which are kept as written).
 */
public final class ExecStartQuoting {
    static final String WHITESPACE = " \t\n\r";
    /** Characters systemd reads as flags in front of the executable path (-, @, :, +, !, !!). */
    static final String PREFIXES = "@-:+!";

    private ExecStartQuoting() {
    }

    /** One ExecStart value for {@code argv}; each word is quoted only when it needs it. */
    public static String quote(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("ExecStart needs at least the executable path, got an empty argv");
        }
        executableProblem(argv.get(0)).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        List<String> words = new ArrayList<>();
        for (String w : argv) {
            words.add(quoteWord(escapeSpecifiers(w).replace("$", "$$")));
        }
        return String.join(" ", words);
    }

    /**
     * The argv of one ExecStart value. Leading prefixes (@ - : + !) of the first word are dropped (an "@" line is
     * returned as written: path, argv[0], arguments). An unquoted lone ";" ends the first command; the rest is ignored.
     *
     * @throws IllegalArgumentException on an unbalanced quote
     */
    public static List<String> split(String execStartValue) {
        List<String> argv = new ArrayList<>();
        WordReader reader = new WordReader(execStartValue, true);
        for (WordReader.Word w = reader.next(); w != null && !w.separator(); w = reader.next()) {
            String text = w.text();
            if (argv.isEmpty()) {
                int i = 0;
                while (i < text.length() && PREFIXES.indexOf(text.charAt(i)) >= 0) {
                    i++;
                }
                text = text.substring(i);
            }
            argv.add(unescapeDollars(unescapeSpecifiers(text)));
        }
        return argv;
    }

    /** The words of a value such as Environment= (quotes, C escapes and %% resolved; $ has no meaning there). */
    public static List<String> words(String value) {
        List<String> out = new ArrayList<>();
        WordReader reader = new WordReader(value, false);
        for (WordReader.Word w = reader.next(); w != null; w = reader.next()) {
            out.add(unescapeSpecifiers(w.text()));
        }
        return out;
    }

    /** One {@code "K=V"} word for Environment=: always double-quoted, % doubled, $ left alone (no expansion there). */
    public static String quoteAssignment(String key, String value) {
        return "\"" + escapeInQuotes(escapeSpecifiers(key + "=" + value)) + "\"";
    }

    /**
     * Why systemd would refuse or misread {@code path} as the executable, or empty when it is fine: it must be an
     * absolute path or a bare name, without quotes, backslashes, control characters or $ (variables are not
     * expanded in the path, so $$ would stay doubled), and must not start with a prefix character.
     */
    public static Optional<String> executableProblem(String path) {
        String why = null;
        if (path.isEmpty()) {
            why = "is empty";
        } else if (PREFIXES.indexOf(path.charAt(0)) >= 0) {
            why = "starts with '" + path.charAt(0) + "', which systemd reads as a prefix flag";
        } else if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f || "\"'\\$".indexOf(c) >= 0)) {
            why = "contains a quote, backslash, $ or control character, which systemd refuses in the executable path";
        } else if (path.endsWith("/")) {
            why = "ends with '/' (a directory)";
        } else if (!path.startsWith("/") && path.contains("/")) {
            why = "is a relative path (expected an absolute path or a bare command name)";
        }
        return Optional.ofNullable(why).map(w -> "executable '" + path + "' " + w);
    }

    static String escapeSpecifiers(String s) {
        return s.replace("%", "%%");
    }

    static String quoteWord(String w) {
        if (!w.isEmpty() && w.chars().noneMatch(ExecStartQuoting::needsQuotes)) {
            return w;
        }
        return "\"" + escapeInQuotes(w) + "\"";
    }

    private static boolean needsQuotes(int c) {
        return c < 0x20 || c == 0x7f || " \"'\\;".indexOf(c) >= 0;
    }

    static String escapeInQuotes(String w) {
        StringBuilder sb = new StringBuilder(w.length() + 8);
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\0' -> throw new IllegalArgumentException("a NUL character cannot appear in a unit file value");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    static String unescapeSpecifiers(String s) {
        return s.replace("%%", "%");
    }

    static String unescapeDollars(String s) {
        return s.replace("$$", "$");
    }
}
