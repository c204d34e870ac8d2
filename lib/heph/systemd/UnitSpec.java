package heph.systemd;

import heph.HephException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What heph wants systemd to run: a one-line description, the daemon's argv (executable first) and its environment.
 * Validated on construction (usage error, exit 2, naming the bad value) so that every spec renders to a unit file
 * systemd reads back as the same argv and environment. {@code environment} is kept sorted by name.
 */
public record UnitSpec(String description, List<String> execStart, Map<String, String> environment) {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public UnitSpec {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(execStart, "execStart");
        Objects.requireNonNull(environment, "environment");
        checkDescription(description);
        execStart = List.copyOf(execStart);
        if (execStart.isEmpty()) {
            throw HephException.usage("the unit's ExecStart needs at least the executable path, got nothing");
        }
        ExecStartQuoting.executableProblem(execStart.get(0)).ifPresent(p -> {
            throw HephException.usage(p + " (expected an absolute path such as /usr/local/bin/hephd)");
        });
        for (String word : execStart) {
            checkNoNul("argument", word);
        }
        TreeMap<String, String> env = new TreeMap<>();
        environment.forEach((k, v) -> {
            if (!ENV_NAME.matcher(k).matches()) {
                throw HephException.usage("environment variable name '" + k
                        + "' is not valid (expected letters, digits and '_', not starting with a digit)");
            }
            checkNoNul("value of " + k, Objects.requireNonNull(v, k));
            env.put(k, v);
        });
        environment = Collections.unmodifiableMap(env);
    }

    private static void checkDescription(String d) {
        if (d.isBlank() || !d.equals(d.strip()) || d.endsWith("\\")
                || d.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw HephException.usage("unit description '" + d + "' must be one non-blank line without control "
                    + "characters, surrounding spaces or a trailing backslash");
        }
    }

    private static void checkNoNul(String what, String s) {
        if (s.indexOf('\0') >= 0) {
            throw HephException.usage(what + " '" + s.replace('\0', '?') + "' contains a NUL character");
        }
    }
}
