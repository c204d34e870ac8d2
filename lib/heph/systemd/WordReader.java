package heph.systemd;

/**
 * Splits a unit-file value into words the way systemd's extract_first_word does with UNQUOTE|CUNESCAPE: whitespace
 * separates words, "..." and '...' quote (also mid-word, and an empty "" is a word), C escapes are resolved inside
 * and outside quotes, and an unknown escape is kept as written (systemd warns and keeps it). With {@code exec}, an
 * unquoted lone ";" is a command separator and a lone "\;" is a literal ";", as in ExecStart= lines.
 */
final class WordReader {
    /** One word; {@code separator} marks the lone ";" between commands. */
    record Word(String text, boolean separator) {
    }

    private final String s;
    private final boolean exec;
    private int i;

    WordReader(String s, boolean exec) {
        this.s = s;
        this.exec = exec;
    }

    /**
     * Every word of {@code s}, unquoted, in an unambiguous one-string form (each word as length:text, a command
     * separator as ";"), so two values compare equal exactly when systemd reads the same words from them.
     */
    static String encoded(String s, boolean exec) {
        StringBuilder sb = new StringBuilder();
        WordReader r = new WordReader(s, exec);
        for (Word w = r.next(); w != null; w = r.next()) {
            sb.append(w.separator() ? ";" : w.text().length() + ":" + w.text());
        }
        return sb.toString();
    }

    /** The next word, or null at the end. */
    Word next() {
        while (i < s.length() && isSpace(i)) {
            i++;
        }
        if (i >= s.length()) {
            return null;
        }
        if (exec && s.charAt(i) == ';' && endsToken(i + 1)) {
            i++;
            return new Word(";", true);
        }
        if (exec && s.startsWith("\\;", i) && endsToken(i + 2)) {
            i += 2;
            return new Word(";", false);
        }
        return new Word(readWord(), false);
    }

    private String readWord() {
        StringBuilder sb = new StringBuilder();
        char quote = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (quote == 0 && isSpace(i)) {
                break;
            } else if (c == '\\') {
                unescape(sb);
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
                i++;
            } else if (c == quote) {
                quote = 0;
                i++;
            } else {
                sb.append(c);
                i++;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced " + quote + " in '" + s + "'");
        }
        return sb.toString();
    }

    /** Resolves the escape at {@code i} (a backslash) into {@code sb}; an unknown one is kept as written. */
    private void unescape(StringBuilder sb) {
        if (i + 1 >= s.length()) {
            sb.append('\\');
            i++;
            return;
        }
        char e = s.charAt(i + 1);
        String simple = switch (e) {
            case 'a' -> "\u0007";
            case 'b' -> "\b";
            case 'f' -> "\f";
            case 'n' -> "\n";
            case 'r' -> "\r";
            case 't' -> "\t";
            case 'v' -> "\u000b";
            case 's' -> " ";
            case '\\', '"', '\'' -> String.valueOf(e);
            default -> null;
        };
        if (simple != null) {
            sb.append(simple);
            i += 2;
            return;
        }
        int code = switch (e) {
            case 'x' -> number(i + 2, 2, 16);
            case 'u' -> number(i + 2, 4, 16);
            case 'U' -> number(i + 2, 8, 16);
            case '0', '1', '2', '3', '4', '5', '6', '7' -> number(i + 1, 3, 8);
            default -> -1;
        };
        if (code > 0 && Character.isValidCodePoint(code)) {
            sb.appendCodePoint(code);
            i += (e >= '0' && e <= '7') ? 4 : 2 + (e == 'x' ? 2 : e == 'u' ? 4 : 8);
        } else {
            sb.append('\\').append(e);
            i += 2;
        }
    }

    private int number(int from, int digits, int radix) {
        if (from + digits > s.length()) {
            return -1;
        }
        int value = 0;
        for (int k = from; k < from + digits; k++) {
            int d = Character.digit(s.charAt(k), radix);
            if (d < 0) {
                return -1;
            }
            value = value * radix + d;
        }
        return value;
    }

    private boolean endsToken(int at) {
        return at >= s.length() || isSpace(at);
    }

    private boolean isSpace(int at) {
        return ExecStartQuoting.WHITESPACE.indexOf(s.charAt(at)) >= 0;
    }
}
