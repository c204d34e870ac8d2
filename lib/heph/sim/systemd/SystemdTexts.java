package heph.sim.systemd;

import java.util.Map;

/** The systemctl messages the fake prints, verbatim from docs/facts/launchd-facts.md §12 where it has them. */
final class SystemdTexts {
    /** C: systemd bus-wait-for-jobs.c, service result -> explanation (§12 "restart, start fails"). */
    private static final Map<String, String> EXPLANATIONS = Map.of(
            "resources", "of unavailable resources or another system error",
            "protocol", "the service did not take the steps required by its unit configuration",
            "timeout", "a timeout was exceeded",
            "exit-code", "the control process exited with error code",
            "signal", "a fatal signal was delivered to the control process",
            "core-dump", "a fatal signal was delivered causing the control process to dump core",
            "watchdog", "the service failed to send watchdog ping",
            "start-limit-hit", "start of the service was attempted too often");

    private SystemdTexts() {
    }

    /** §12 "unit file edited, no daemon-reload" (SD-WARN). */
    static String reloadWarning(String unit) {
        return "Warning: The unit file, source configuration file or drop-ins of " + unit + " changed on disk. Run"
                + " 'systemctl --user daemon-reload' to reload units.\n";
    }

    /** §12 "restart, unknown unit" (exit 5). */
    static String notFound(String verb, String unit) {
        return "Failed to " + verb + " " + unit + ": Unit " + unit + " not found.\n";
    }

    /** stop of a unit that is neither loaded nor active (BUS_ERROR_NO_SUCH_UNIT, exit 5). */
    static String notLoaded(String verb, String unit) {
        return "Failed to " + verb + " " + unit + ": Unit " + unit + " not loaded.\n";
    }

    static String badSetting(String verb, String unit) {
        return "Failed to " + verb + " " + unit + ": Unit " + unit + " has a bad unit file setting.\n"
                + "See user logs and 'systemctl --user status " + unit + "' for details.\n";
    }

    /** §12 "restart, start fails": the newer {@code journalctl --user -xeu X} form. */
    static String jobFailed(String unit, String result) {
        String why = EXPLANATIONS.get(result);
        return "Job for " + unit + " failed" + (why == null ? "" : " because " + why) + ".\n"
                + "See \"systemctl --user status " + unit + "\" and \"journalctl --user -xeu " + unit
                + "\" for details.\n";
    }

    /** The system instance, called without --user by an unprivileged user with no polkit agent (no tty). */
    static String authRequired(String verb, String unit) {
        return "Failed to " + verb + " " + unit + ": Interactive authentication required.\n"
                + "See system logs and 'systemctl status " + unit + "' for details.\n";
    }
}
