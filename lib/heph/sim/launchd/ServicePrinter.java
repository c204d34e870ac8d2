package heph.sim.launchd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code launchctl print} and {@code print-disabled} output (docs/facts/launchd-facts.md §3, §6): tab-indented blocks,
 * fields in the order real captures show them. Pure. Fields the simulator cannot know (jetsam, coalitions, asid
 * details) are left out; §3 says the layout is "NOT API", callers match on fields.
 */
public final class ServicePrinter {
    static final String DEFAULT_PATH = "/usr/bin:/bin:/usr/sbin:/sbin";
    private static final int ASID = 100000;

    /** What print shows about one registered job at one moment. pid 0 = no live process. */
    public record View(ImportedPlist spec, String state, long pid, int runs, Integer lastExitCode, Integer lastSignal,
                       String lastExitReason, String jobState) {
        /** No exit reason and no job state line. */
        public View(ImportedPlist spec, String state, long pid, int runs, Integer lastExitCode, Integer lastSignal) {
            this(spec, state, pid, runs, lastExitCode, lastSignal, null, "");
        }
    }

    private ServicePrinter() {
    }

    static String service(String domain, View v) {
        ImportedPlist s = v.spec();
        StringBuilder b = new StringBuilder();
        b.append(domain).append('/').append(s.label()).append(" = {\n");
        line(b, "active count = " + (v.pid() > 0 ? 1 : 0));
        line(b, "path = " + s.path());
        line(b, "type = LaunchAgent");
        line(b, "state = " + v.state());
        b.append('\n');
        programAndEnvironment(b, s);
        line(b, "domain = " + domain + " [" + ASID + "]");
        line(b, "asid = " + ASID);
        line(b, "minimum runtime = " + s.throttleIntervalSec());
        line(b, "exit timeout = " + s.exitTimeOutSec());
        line(b, "runs = " + v.runs());
        if (v.pid() > 0) {
            line(b, "pid = " + v.pid());
        }
        if (v.lastExitReason() != null) { // sutando 2981: the reason line replaces `last exit code`
            line(b, "last exit reason = " + v.lastExitReason());
        } else if (v.lastSignal() != null) { // print-07: the signal line replaces `last exit code`
            line(b, "last terminating signal = " + signal(v.lastSignal()));
        } else {
            line(b, "last exit code = " + exitCode(v.lastExitCode()));
        }
        b.append('\n');
        line(b, "spawn type = " + spawnType(s.processType()));
        if (!v.jobState().isEmpty()) { // print-01/-41/-43: `job state = running | exited | spawn failed`
            line(b, "job state = " + v.jobState());
        }
        b.append('\n');
        line(b, "properties = " + properties(s));
        b.append("}\n");
        return b.toString();
    }

    /**
     * docs/facts/launchd-facts.md §13: the pre-Big Sur form (macOS 10.10-10.15), after print-11 and print-17: the header is the
     * bare label ({@code com.wazuh.agent = {}), no {@code type}, {@code asid}, {@code spawn type} or
     * {@code properties} lines, {@code copy count}/{@code one shot} at the top, {@code successive crashes} always
     * shown, exit codes without their sysexits name, empty endpoint blocks. The domain line of a gui agent in that
     * era is not in any capture; {@code com.apple.xpc.launchd.domain.gui.<uid>} is the simulator's analogue of
     * print-11's {@code com.apple.xpc.launchd.domain.system}.
     */
    static String serviceLegacy(String domain, View v) {
        ImportedPlist s = v.spec();
        StringBuilder b = new StringBuilder();
        b.append(s.label()).append(" = {\n");
        line(b, "active count = " + (v.pid() > 0 ? 1 : 0));
        line(b, "copy count = 0");
        line(b, "one shot = 0");
        line(b, "path = " + s.path());
        line(b, "state = " + v.state());
        b.append('\n');
        programAndEnvironment(b, s);
        line(b, "domain = com.apple.xpc.launchd.domain." + domain.replace('/', '.'));
        line(b, "minimum runtime = " + s.throttleIntervalSec());
        line(b, "exit timeout = " + s.exitTimeOutSec());
        line(b, "runs = " + v.runs());
        line(b, "successive crashes = 0");
        if (v.pid() > 0) {
            line(b, "pid = " + v.pid());
        }
        if (v.lastSignal() != null) {
            line(b, "last terminating signal = " + signal(v.lastSignal()));
        } else {
            line(b, "last exit code = " + (v.lastExitCode() == null ? "(never exited)" : v.lastExitCode()));
        }
        b.append('\n');
        for (String empty : List.of("event triggers", "endpoints", "dynamic endpoints", "pid-local endpoints",
                "instance-specific endpoints", "event channels", "sockets")) {
            block(b, empty, List.of());
            b.append('\n');
        }
        b.append("}\n");
        return b.toString();
    }

    /** What every era of print shows alike: program, arguments, working directory, log paths, environments. */
    private static void programAndEnvironment(StringBuilder b, ImportedPlist s) {
        line(b, "program = " + s.program());
        block(b, "arguments", s.arguments());
        b.append('\n');
        if (s.workingDirectory() != null) {
            line(b, "working directory = " + s.workingDirectory());
            b.append('\n');
        }
        if (s.stdoutPath() != null) {
            line(b, "stdout path = " + s.stdoutPath());
        }
        if (s.stderrPath() != null) {
            line(b, "stderr path = " + s.stderrPath());
        }
        block(b, "default environment", List.of("PATH => " + DEFAULT_PATH));
        b.append('\n');
        block(b, "environment", environment(s));
        b.append('\n');
    }

    /** §6: {@code "label" => disabled|enabled} inside a {@code disabled services} block. */
    static String disabled(Map<String, Boolean> overrides) {
        return disabled(overrides, false);
    }

    /**
     * {@code trueFalse}: as before macOS 13 (real-launchctl print-32, print-33, 12.6.5): {@code true}/{@code false}
     * values, the block at column 0 and its entries one tab in.
     */
    static String disabled(Map<String, Boolean> overrides, boolean trueFalse) {
        StringBuilder b = new StringBuilder();
        if (trueFalse) {
            b.append("disabled services = {\n");
            overrides.forEach((label, off) -> b.append("\t\"").append(label).append("\" => ").append(off)
                    .append('\n'));
            return b.append("}\n").toString();
        }
        b.append("\tdisabled services = {\n");
        overrides.forEach((label, off) -> b.append("\t\t\"").append(label).append("\" => ")
                .append(off ? "disabled" : "enabled").append('\n'));
        b.append("\t}\n");
        return b.toString();
    }

    /** §3 `gui/<uid>` row: a domain dump that lists services and the disabled overrides (approximate layout). */
    static String domain(String domain, List<View> services, Map<String, Boolean> overrides) {
        StringBuilder b = new StringBuilder();
        b.append(domain).append(" = {\n");
        line(b, "type = " + domain.substring(0, domain.indexOf('/') < 0 ? domain.length() : domain.indexOf('/')));
        line(b, "active count = " + services.stream().filter(v -> v.pid() > 0).count());
        line(b, "service count = " + services.size());
        b.append('\n');
        line(b, "services = {");
        for (View v : services) {
            String last = v.lastExitCode() == null ? "-" : String.valueOf(v.lastExitCode());
            b.append("\t\t").append(String.format("%8d %8s", v.pid(), last)).append(" \t").append(v.spec().label())
                    .append('\n');
        }
        line(b, "}");
        b.append('\n');
        b.append(disabled(overrides));
        b.append("}\n");
        return b.toString();
    }

    private static List<String> environment(ImportedPlist s) {
        Map<String, String> env = new LinkedHashMap<>(s.environment());
        env.put("XPC_SERVICE_NAME", s.label());
        return env.entrySet().stream().map(e -> e.getKey() + " => " + e.getValue()).toList();
    }

    /** §3: {@code (never exited)}, {@code 1}, {@code 75: EX_TEMPFAIL} (sysexits get their name). */
    static String exitCode(Integer code) {
        if (code == null) {
            return "(never exited)";
        }
        String[] names = {"EX_USAGE", "EX_DATAERR", "EX_NOINPUT", "EX_NOUSER", "EX_NOHOST", "EX_UNAVAILABLE",
            "EX_SOFTWARE", "EX_OSERR", "EX_OSFILE", "EX_CANTCREAT", "EX_IOERR", "EX_TEMPFAIL", "EX_PROTOCOL",
            "EX_NOPERM", "EX_CONFIG"};
        return code >= 64 && code <= 78 ? code + ": " + names[code - 64] : String.valueOf(code);
    }

    /** §3: {@code Terminated: 15}, as macOS strsignal(3) names them. */
    static String signal(int sig) {
        String name = switch (sig) {
            case 1 -> "Hangup";
            case 2 -> "Interrupt";
            case 3 -> "Quit";
            case 6 -> "Abort trap";
            case 9 -> "Killed";
            case 10 -> "Bus error";
            case 11 -> "Segmentation fault";
            case 13 -> "Broken pipe";
            case 14 -> "Alarm clock";
            case 15 -> "Terminated";
            default -> "Signal " + sig;
        };
        return name + ": " + sig;
    }

    /** §11 ProcessType: unspecified prints {@code daemon (3)}. */
    private static String spawnType(String processType) {
        if (processType == null) {
            return "daemon (3)";
        }
        return switch (processType) {
            case "Interactive" -> "interactive (4)";
            case "Background" -> "background (5)";
            default -> "daemon (3)";
        };
    }

    private static String properties(ImportedPlist s) {
        StringBuilder p = new StringBuilder();
        if (s.keepAlive() != ImportedPlist.KeepAlive.NONE) {
            p.append("keepalive | ");
        }
        if (s.startsAtLoad()) {
            p.append("runatload | ");
        }
        if (s.inferredProgram()) {
            p.append("inferred program | ");
        }
        return p.length() == 0 ? "(none)" : p.substring(0, p.length() - 3);
    }

    private static void line(StringBuilder b, String text) {
        b.append('\t').append(text).append('\n');
    }

    private static void block(StringBuilder b, String name, List<String> items) {
        line(b, name + " = {");
        items.forEach(i -> b.append("\t\t").append(i).append('\n'));
        line(b, "}");
    }
}
