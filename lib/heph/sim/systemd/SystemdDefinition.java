package heph.sim.systemd;

import heph.systemd.ExecStartQuoting;
import heph.systemd.UnitFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A service unit as the simulated user manager loaded it (the snapshot daemon-reload takes). Pure: built from the
 * unit text with heph.systemd's parser. Only what the fake acts on is read: [Service] Type, ExecStart (the last
 * non-empty one, split with {@link ExecStartQuoting#split}), Environment, WorkingDirectory, Restart, RestartSec,
 * TimeoutStopSec (or TimeoutSec), [Unit] Description, StartLimitBurst, StartLimitIntervalSec, [Install] WantedBy.
 * Defaults are systemd's: Restart=no, RestartSec=100ms, TimeoutStopSec=90s (launchd-facts §12 DefaultTimeoutStopSec),
 * StartLimitBurst=5 per StartLimitIntervalSec=10s; an invalid time value is ignored, as systemd does.
 *
 * @param loadError null when the unit loaded; else why systemd would report LoadState=bad-setting
 */
record SystemdDefinition(String description, String type, List<String> execStart, Map<String, String> environment,
                         String workingDirectory, String restart, long restartMicros, long timeoutStopMicros,
                         int startLimitBurst, long startLimitIntervalMicros, List<String> wantedBy,
                         String loadError) {
    static final long DEFAULT_RESTART_MICROS = 100_000;
    static final long DEFAULT_TIMEOUT_STOP_MICROS = 90_000_000;

    SystemdDefinition {
        execStart = List.copyOf(execStart);
        environment = Map.copyOf(environment);
        wantedBy = List.copyOf(wantedBy);
    }

    /** Parses {@code text}; a parse error or a missing ExecStart gives a definition with a load error. */
    static SystemdDefinition parse(String unitName, String text) {
        UnitFile.Parsed p;
        try {
            p = UnitFile.parse(text, unitName);
        } catch (RuntimeException e) {
            return broken(unitName, e.getMessage(), List.of());
        }
        List<String> wanted = new ArrayList<>();
        for (String v : p.values("Install", "WantedBy")) {
            if (v.isBlank()) {
                wanted.clear();
            }
            wanted.addAll(ExecStartQuoting.words(v));
        }
        List<String> argv;
        try {
            argv = p.execStart();
        } catch (IllegalArgumentException e) {
            return broken(unitName, "ExecStart: " + e.getMessage(), wanted);
        }
        if (argv.isEmpty()) {
            return broken(unitName, "Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.", wanted);
        }
        long timeout = time(p.value("Service", "TimeoutSec").orElse(null), DEFAULT_TIMEOUT_STOP_MICROS);
        timeout = time(p.value("Service", "TimeoutStopSec").orElse(null), timeout);
        return new SystemdDefinition(p.value("Unit", "Description").orElse(unitName),
                p.value("Service", "Type").orElse("simple"), argv, p.environment(),
                p.value("Service", "WorkingDirectory").orElse(null), p.value("Service", "Restart").orElse("no"),
                time(p.value("Service", "RestartSec").orElse(null), DEFAULT_RESTART_MICROS), timeout,
                number(p.value("Unit", "StartLimitBurst").orElse(null), 5),
                time(p.value("Unit", "StartLimitIntervalSec").orElse(null), 10_000_000), wanted, null);
    }

    private static SystemdDefinition broken(String unitName, String why, List<String> wantedBy) {
        return new SystemdDefinition(unitName, "simple", List.of(), Map.of(), null, "no", DEFAULT_RESTART_MICROS,
                DEFAULT_TIMEOUT_STOP_MICROS, 5, 10_000_000, wantedBy, why);
    }

    boolean loaded() {
        return loadError == null;
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
