package heph.sim.systemd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service unit as the simulated user manager loaded it (the snapshot daemon-reload takes). Pure: built from the
 * unit text with the fake's own reader ({@link SystemdUnitText}, independent of heph's). Only what the fake acts
 * on is read: [Service] Type, ExecStart (an empty one clears the list; several commands only with Type=oneshot, of
 * which the fake runs the first), RemainAfterExit, Environment, WorkingDirectory, Restart, RestartSec,
 * TimeoutStopSec (or TimeoutSec), [Unit] Description, StartLimitBurst, StartLimitIntervalSec, [Install] WantedBy.
 * Defaults are systemd's: Restart=no, RestartSec=100ms, TimeoutStopSec=90s (docs/facts/launchd-facts.md §12 DefaultTimeoutStopSec),
 * StartLimitBurst=5 per StartLimitIntervalSec=10s; an invalid time value is ignored, as systemd does.
 *
 * @param loadError null when the unit loaded; else why systemd would report LoadState=bad-setting
 */
record SystemdDefinition(String description, String type, List<String> execStart, Map<String, String> environment,
                         String workingDirectory, String restart, long restartMicros, long timeoutStopMicros,
                         int startLimitBurst, long startLimitIntervalMicros, List<String> wantedBy,
                         String loadError, boolean remainAfterExit) {
    static final long DEFAULT_RESTART_MICROS = 100_000;
    static final long DEFAULT_TIMEOUT_STOP_MICROS = 90_000_000;

    SystemdDefinition {
        execStart = List.copyOf(execStart);
        environment = Map.copyOf(environment);
        wantedBy = List.copyOf(wantedBy);
    }

    /** Parses {@code text}; a parse error or a missing ExecStart gives a definition with a load error. */
    static SystemdDefinition parse(String unitName, String text) {
        return parse(unitName, text, Path.of(System.getProperty("user.home")));
    }

    /** As {@link #parse(String, String)} for the manager whose HOME ({@code %h}) is {@code home}. */
    static SystemdDefinition parse(String unitName, String text, Path home) {
        Map<String, Map<String, List<String>>> p;
        try {
            p = SystemdUnitText.read(text);
        } catch (SystemdUnitText.Bad e) {
            return broken(unitName, e.getMessage(), List.of());
        }
        List<String> wanted = new ArrayList<>();
        for (String v : values(p, "Install", "WantedBy")) {
            if (v.isBlank()) {
                wanted.clear();
            }
            wanted.addAll(words(v));
        }
        String type = last(p, "Service", "Type", "simple");
        List<List<String>> commands = new ArrayList<>();
        try {
            for (String v : values(p, "Service", "ExecStart")) {
                if (v.isEmpty()) {
                    commands.clear();
                } else {
                    commands.addAll(SystemdUnitText.commands(v, unitName, home.toString()));
                }
            }
        } catch (SystemdUnitText.Bad e) {
            return broken(unitName, "ExecStart: " + e.getMessage(), wanted);
        }
        if (commands.isEmpty()) {
            return broken(unitName, "Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.", wanted);
        }
        if (commands.size() > 1 && !type.equals("oneshot")) {
            return broken(unitName, "Service has more than one ExecStart= setting, which is only allowed for"
                    + " Type=oneshot services. Refusing.", wanted);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String v : values(p, "Service", "Environment")) {
            if (v.isEmpty()) {
                env.clear();
            }
            for (String w : words(v)) {
                int eq = w.indexOf('=');
                if (eq > 0) {
                    env.put(w.substring(0, eq), w.substring(eq + 1));
                }
            }
        }
        long timeout = time(last(p, "Service", "TimeoutSec", null), DEFAULT_TIMEOUT_STOP_MICROS);
        timeout = time(last(p, "Service", "TimeoutStopSec", null), timeout);
        return new SystemdDefinition(last(p, "Unit", "Description", unitName), type, commands.get(0), env,
                last(p, "Service", "WorkingDirectory", null), last(p, "Service", "Restart", "no"),
                time(last(p, "Service", "RestartSec", null), DEFAULT_RESTART_MICROS), timeout,
                number(last(p, "Unit", "StartLimitBurst", null), 5),
                time(last(p, "Unit", "StartLimitIntervalSec", null), 10_000_000), wanted, null,
                SystemdUnitText.bool(last(p, "Service", "RemainAfterExit", "no")));
    }

    private static List<String> values(Map<String, Map<String, List<String>>> p, String section, String key) {
        return p.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    private static String last(Map<String, Map<String, List<String>>> p, String section, String key, String dflt) {
        List<String> v = values(p, section, key);
        return v.isEmpty() ? dflt : v.get(v.size() - 1);
    }

    /** The words of an Environment= or WantedBy= value; one with an unbalanced quote is skipped, as systemd does. */
    private static List<String> words(String value) {
        try {
            return SystemdUnitText.words(value);
        } catch (SystemdUnitText.Bad e) {
            return List.of();
        }
    }

    private static SystemdDefinition broken(String unitName, String why, List<String> wantedBy) {
        return new SystemdDefinition(unitName, "simple", List.of(), Map.of(), null, "no", DEFAULT_RESTART_MICROS,
                DEFAULT_TIMEOUT_STOP_MICROS, 5, 10_000_000, wantedBy, why, false);
    }

    boolean loaded() {
        return loadError == null;
    }

    /** Type=oneshot: the start job waits until the (first) command exited; no main process afterwards. */
    boolean oneshot() {
        return type.equals("oneshot");
    }

    /** systemd.service(5) Restart=: whether an unexpected exit leads to an automatic restart. */
    boolean restartsAfter(boolean clean, boolean signal) {
        return switch (restart) {
            case "always" -> true;
            case "on-success" -> clean;
            case "on-failure" -> !clean;
            case "on-abnormal", "on-abort" -> signal && !clean;
            default -> false;
        };
    }

    private static long time(String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        long us = SystemdTimespan.parseMicros(value);
        return us < 0 ? fallback : us;
    }

    private static int number(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
