package heph.cli;

import heph.json.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one shape of every {@code --json} answer (docs/json.md): exactly one object on stdout, success or failure.
 * It starts with {@code ok} (exit code 0), {@code exit_code}, on failure {@code error} (one line), and
 * {@code action} (the verb), then what the verb knows. Verbs print through {@link #print}; {@link Main}'s exception
 * handlers print the failure object when a verb threw or picocli refused the command line, unless the verb already
 * printed its object.
 */
final class JsonReply {
    /** An echoed value longer than this is cut (a 10 000-character label is not repeated whole). */
    static final int ERROR_MAX = 1000;

    private JsonReply() {
    }

    /** A verb that can say, also when it fails, what it worked on (service, installed file, backend). */
    interface Facts {
        Map<String, Object> facts();
    }

    /** {@code label} (launchd label or systemd unit), {@code file} (its installed plist/unit), {@code backend}. */
    static Map<String, Object> service(heph.Heph heph) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (heph == null) {
            return m;
        }
        heph.service.Settings s = heph.settings();
        m.put("label", heph.name());
        m.put("file", heph.installedFile().toString()); // the file the verbs resolve (a Label's other file name)
        m.put("backend", s.backend());
        return m;
    }

    /** Whether {@code --json} was given anywhere before a {@code --} (also where picocli would refuse it). */
    static boolean requested(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--json")) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code ok}, {@code exit_code}, {@code error} (only when not ok), {@code action}, then {@code body}'s fields in
     * their order ({@code ok}/{@code exit_code}/{@code error} of the body are replaced by these).
     */
    static Map<String, Object> of(String action, int exitCode, String error, Map<String, ?> body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", exitCode == 0);
        m.put("exit_code", exitCode);
        if (exitCode != 0) {
            m.put("error", oneLine(error == null || error.isBlank() ? "exit code " + exitCode : error));
        }
        m.put("action", action);
        if (body != null) {
            body.forEach((k, v) -> {
                if (!List.of("ok", "exit_code", "error").contains(k)) {
                    m.put(k, v);
                }
            });
        }
        if (body != null && body.get("action") != null) {
            m.put("action", body.get("action"));
        }
        return m;
    }

    /** Prints the object on {@code out} (one line) and returns {@code exitCode}; marks the run as answered. */
    static int print(Main root, PrintWriter out, String action, int exitCode, String error, Map<String, ?> body) {
        out.println(Json.write(of(action, exitCode, error, body)));
        out.flush();
        if (root != null) {
            root.jsonPrinted = true;
        }
        return exitCode;
    }

    /** The first line of {@code s}, at most {@link #ERROR_MAX} characters. */
    static String oneLine(String s) {
        String line = s.strip();
        int nl = line.indexOf('\n');
        if (nl >= 0) {
            line = line.substring(0, nl).strip();
        }
        return line.length() <= ERROR_MAX ? line : line.substring(0, ERROR_MAX) + "...";
    }
}
