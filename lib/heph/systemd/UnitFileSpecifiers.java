package heph.systemd;

/**
 * The %-specifiers of a service unit's Exec*= words as systemd 252 resolves them (src/core/unit-printf.c,
 * systemd.unit(5) "Specifiers"), enough to judge a program path: those taken from the unit name (%n %N %p %P %i %I
 * %j %J %f) are resolved exactly; those naming a folder or file (%h %s %t %S %C %L %E %T %V %d %y %Y and the cgroup
 * ones %c %r %R) become an absolute placeholder; the rest (user, group, host, machine, boot, OS) a plain word
 * placeholder. {@code %%} is a literal %, and a % at the very end stays as written. Any other letter is refused as
 * systemd refuses it ("Failed to resolve unit specifiers ...: Invalid slot"); on systemd 252 these are exactly
 * %D %F %K %O %Q %X %Z %e %k %x %z (measured with systemd-analyze verify on every letter).
 */
final class UnitFileSpecifiers {
    private static final String ABSOLUTE = "hstSCLETVdyYcrR";
    private static final String WORD = "aAbBHlmMoqvwWgGuU";
    private static final String FROM_NAME = "nNpPiIjJf";

    private UnitFileSpecifiers() {
    }

    /** {@code word} with its specifiers resolved for the unit {@code unit} (e.g. sync@a.service). */
    static String resolve(String word, String unit) {
        if (word.indexOf('%') < 0) {
            return word;
        }
        StringBuilder sb = new StringBuilder(word.length() + 16);
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c != '%' || i + 1 == word.length()) {
                sb.append(c);
                continue;
            }
            char k = word.charAt(++i);
            if (k == '%') {
                sb.append('%');
            } else if (FROM_NAME.indexOf(k) >= 0) {
                sb.append(fromName(k, unit));
            } else if (ABSOLUTE.indexOf(k) >= 0) {
                sb.append("/%").append(k); // an absolute path only the manager knows
            } else if (WORD.indexOf(k) >= 0) {
                sb.append("%").append(k).append('_'); // a name only the manager knows (no '/')
            } else {
                throw new IllegalArgumentException("failed to resolve unit specifiers in " + UnitFileExec.clip(word)
                        + ": unknown specifier %" + k);
            }
        }
        return sb.toString();
    }

    private static String fromName(char k, String unit) {
        String id = unit.endsWith(".service") ? unit.substring(0, unit.length() - ".service".length()) : unit;
        int at = id.indexOf('@');
        String prefix = at < 0 ? id : id.substring(0, at);
        String instance = at < 0 ? "" : id.substring(at + 1);
        String last = prefix.substring(prefix.lastIndexOf('-') + 1);
        return switch (k) {
            case 'n' -> unit;
            case 'N' -> id;
            case 'p' -> prefix;
            case 'P' -> unescape(prefix);
            case 'i' -> instance;
            case 'I' -> unescape(instance);
            case 'j' -> last;
            case 'J' -> unescape(last);
            default -> pathUnescape(at < 0 ? prefix : instance); // 'f'
        };
    }

    /** systemd's unit_name_unescape: '-' is '/', \xNN is that byte. */
    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '-') {
                sb.append('/');
            } else if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x'
                    && Character.digit(s.charAt(i + 2), 16) >= 0 && Character.digit(s.charAt(i + 3), 16) >= 0) {
                sb.append((char) (Character.digit(s.charAt(i + 2), 16) * 16 + Character.digit(s.charAt(i + 3), 16)));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** systemd's unit_name_path_unescape: the unescaped name as an absolute path ("-" alone is "/"). */
    static String pathUnescape(String s) {
        if (s.isEmpty() || s.equals("-")) {
            return "/";
        }
        String u = unescape(s);
        return u.startsWith("/") ? u : "/" + u;
    }
}
