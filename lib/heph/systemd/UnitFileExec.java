package heph.systemd;

import java.util.ArrayList;
import java.util.List;

/**
 * One Exec*= value of a service unit read as systemd 252 reads it (src/core/load-fragment.c, config_parse_exec):
 * commands separated by a lone ";", each a first word with the prefixes {@code - @ : + ! !!} (each at most once;
 * '+' excludes '!' and '!!'; what follows the prefixes is the program), the program's specifiers resolved
 * ({@link UnitFileSpecifiers}), then checked: not empty, no quote, backslash or control character, not ending in '/',
 * an absolute path or a bare file name (no '/'). With '@' the second word is argv[0] and must exist. An error in a
 * command with the '-' prefix drops that value's remaining commands with a warning; any other error is fatal (the
 * unit does not load). An unbalanced quote in the first word is, in systemd 252, only a warning that drops the value.
 */
final class UnitFileExec {
    /** One command: the program (specifiers resolved, placeholders for paths only the manager knows) and argv. */
    record Command(String path, List<String> argv) {
    }

    /** A fatal error: systemd logs it and the unit gets LoadState=bad-setting. */
    static final class Fatal extends Exception {
        Fatal(String message) {
            super(message);
        }
    }

    private UnitFileExec() {
    }

    /** The commands {@code value} appends to its list (never empty: that assignment resets the list). */
    static List<Command> parse(String value, String unit) throws Fatal {
        List<Command> out = new ArrayList<>();
        WordReader words = new WordReader(value, true);
        boolean semicolon;
        do {
            semicolon = false;
            WordReader.Word first;
            try {
                first = words.next();
            } catch (IllegalArgumentException e) {
                return out; // systemd 252: "Unbalanced quoting, ignoring" — the first word drops the value
            }
            if (first == null) {
                return out;
            }
            if (first.text().equals(";")) {
                semicolon = true;
                continue;
            }
            String f = first.text();
            boolean ignore = false;
            boolean argv0 = false;
            boolean noEnv = false;
            boolean privileged = false;
            boolean noSetuid = false;
            boolean ambient = false;
            int i = 0;
            for (; i < f.length(); i++) {
                char c = f.charAt(i);
                if (c == '-' && !ignore) {
                    ignore = true;
                } else if (c == '@' && !argv0) {
                    argv0 = true;
                } else if (c == ':' && !noEnv) {
                    noEnv = true;
                } else if (c == '+' && !privileged && !noSetuid && !ambient) {
                    privileged = true;
                } else if (c == '!' && !privileged && !noSetuid && !ambient) {
                    noSetuid = true;
                } else if (c == '!' && !privileged && !ambient) {
                    noSetuid = false;
                    ambient = true;
                } else {
                    break;
                }
            }
            String program = f.substring(i);
            String path;
            List<String> argv = new ArrayList<>();
            try {
                path = UnitFileSpecifiers.resolve(program, unit);
                checkPath(path, value);
                if (!argv0) {
                    argv.add(path);
                }
                for (WordReader.Word w = words.next(); w != null; w = words.next()) {
                    if (w.separator()) {
                        semicolon = true;
                        break;
                    }
                    argv.add(UnitFileSpecifiers.resolve(w.text(), unit));
                }
                if (argv.isEmpty()) {
                    throw new IllegalArgumentException("empty executable name or zeroeth argument: "
                            + clip(value));
                }
            } catch (IllegalArgumentException e) {
                if (ignore) {
                    return out; // the '-' prefix: systemd warns "..., ignoring" and drops the rest of the value
                }
                throw new Fatal(e.getMessage());
            }
            out.add(new Command(path, List.copyOf(argv)));
        } while (semicolon);
        return out;
    }

    private static void checkPath(String path, String value) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty path in command line: '" + clip(value) + "'");
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f || "\\\"'".indexOf(c) >= 0)) {
            throw new IllegalArgumentException("executable name contains special characters: " + clip(path));
        }
        if (path.endsWith("/")) {
            throw new IllegalArgumentException("executable path specifies a directory: " + clip(path));
        }
        boolean ok = path.startsWith("/") ? validPath(path) : validFileName(path);
        if (!ok) {
            throw new IllegalArgumentException("neither a valid executable name nor an absolute path: "
                    + clip(path));
        }
    }

    /** systemd's path_is_valid: shorter than PATH_MAX, each component at most NAME_MAX (255) bytes. */
    private static boolean validPath(String path) {
        if (utf8Length(path) >= 4096) {
            return false;
        }
        for (String part : path.split("/")) {
            if (utf8Length(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** systemd's filename_is_valid: not empty, not . or .., no '/', at most 255 bytes. */
    private static boolean validFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && utf8Length(name) <= 255;
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
