package heph.sim.systemd;

import heph.sim.Knobs;
import heph.sim.SimTool.Reply;
import java.util.List;
import java.util.Set;

/**
 * systemctl answers that do not involve the user manager: the system instance (a call without {@code --user}),
 * {@link Knobs#failNext} failures, and verbs the fake does not simulate.
 */
final class SystemdScopes {
    private static final Set<String> REAL_VERBS = Set.of("status", "list-units", "list-unit-files", "list-jobs",
            "list-timers", "list-sockets", "cat", "edit", "kill", "clean", "freeze", "thaw", "mask", "unmask", "link",
            "revert", "preset", "preset-all", "reenable", "reload", "try-restart", "reload-or-restart",
            "try-reload-or-restart", "isolate", "cancel", "daemon-reexec", "show-environment", "set-environment",
            "unset-environment", "import-environment", "list-dependencies", "help", "set-property", "bind",
            "mount-image", "get-default", "set-default", "is-system-running", "default", "poweroff", "reboot");
    private static final Set<String> JOB_VERBS = Set.of("start", "stop", "restart", "reset-failed");

    private SystemdScopes() {
    }

    /**
     * Without --user: the system manager, asked by an unprivileged user with no polkit agent (heph runs systemctl
     * without a tty). Every mutation is refused by polkit before the unit is even looked at; the system manager
     * has no heph.service, so queries see an unknown unit.
     */
    static Reply system(SystemdArgs a) {
        String unit = a.units().isEmpty() ? "" : a.units().get(0);
        return switch (a.verb()) {
            case "daemon-reload" -> Reply.err(1, "Failed to reload daemon: Interactive authentication required.\n");
            case "enable", "disable" -> Reply.err(1, "Failed to " + a.verb()
                    + " unit: Interactive authentication required.\n");
            case "show" -> Reply.out(SystemdShow.render(a.units().stream()
                    .map(u -> SystemdShow.properties(u, null, false, "")).toList(), a.properties(), a.valueOnly()));
            case "is-active" -> new Reply(4, a.quiet() ? "" : "inactive\n", "");
            case "is-failed" -> new Reply(1, a.quiet() ? "" : "inactive\n", "");
            case "is-enabled" -> Reply.err(1, "Failed to get unit file state for " + unit
                    + ": No such file or directory\n");
            default -> JOB_VERBS.contains(a.verb()) ? Reply.err(1, SystemdTexts.authRequired(a.verb(), unit))
                    : unknownVerb(a.verb());
        };
    }

    /** {@code Knobs.failNext(verb, n, code)}: the verb's own failure form with {@code code}; nothing is done. */
    static Reply failure(SystemdArgs a, int code) {
        List<String> units = a.units();
        String unit = units.isEmpty() ? "" : units.get(0);
        boolean job = Set.of("start", "restart", "enable").contains(a.verb());
        if (code == 5 && !unit.isEmpty()) {
            return Reply.err(5, SystemdTexts.notFound(a.verb(), unit));
        }
        if (code == 1 && job && !unit.isEmpty()) {
            return Reply.err(1, SystemdTexts.jobFailed(unit, "exit-code"));
        }
        String what = a.verb().equals("daemon-reload") ? "reload daemon" : a.verb() + " " + unit;
        return Reply.err(code, "Failed to " + what.strip() + ": Input/output error\n");
    }

    static Reply unknownVerb(String verb) {
        if (verb.isEmpty() || REAL_VERBS.contains(verb)) {
            return Reply.err(1, "systemctl (heph simulator): '" + (verb.isEmpty() ? "list-units" : verb)
                    + "' is not simulated; use daemon-reload, start, stop, restart, enable, disable, is-active,"
                    + " is-enabled, is-failed, show or reset-failed\n");
        }
        return Reply.err(1, "Unknown command verb '" + verb + "'.\n");
    }
}
