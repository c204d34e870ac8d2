package heph.cli;

import heph.ExitCode;
import heph.Heph;
import heph.agents.ApplyReport;
import heph.HephException;
import heph.service.ServiceStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `heph list` and `heph apply DIR`: every agent of a folder, each through the same verbs as --plist/--unit-file. */
final class AgentCommands {
    private AgentCommands() {
    }

    static void addTo(CommandLine parent) {
        parent.addSubcommand("list", new ListAgents());
        parent.addSubcommand("apply", new Apply());
    }

    abstract static class Base implements Callable<Integer>, JsonReply.Facts {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
        boolean json;

        String backend;

        @Override
        public Map<String, Object> facts() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (backend != null) {
                m.put("backend", backend);
            }
            return m;
        }

        int printJson(int exitCode, String error, Map<String, Object> body) {
            Map<String, Object> m = new LinkedHashMap<>(body);
            facts().forEach(m::putIfAbsent);
            return JsonReply.print((Main) spec.root().userObject(), spec.commandLine().getOut(), spec.name(),
                    exitCode, error, m);
        }

        /** --label names one agent; these verbs work on all of them (a folder, or every installed one). */
        void refuseLabel() {
            Main root = (Main) spec.root().userObject();
            if (root.global.label != null) {
                throw HephException.usage("--label: " + spec.name() + " works on every agent"
                        + (spec.name().equals("apply") ? " of DIR" : "") + "; expected no --label");
            }
        }

        Heph hephd(Duration lockWait, Duration maxWait) {
            refuseLabel();
            Main root = (Main) spec.root().userObject();
            heph.HephOptions o = root.global.toOptions();
            PrintWriter err = spec.commandLine().getErr();
            o.progress = msg -> {
                err.println("heph: " + msg);
                err.flush();
            };
            if (lockWait != null) {
                o.lockWait = lockWait;
            }
            o.maxWait = maxWait;
            Heph hephd = Heph.create(o.toSettings(root.env, root.cwd));
            backend = hephd.settings().backend();
            return hephd;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every agent in ~/Library/LaunchAgents (systemd: every unit in the user unit folder):"
                    + " label, loaded, state, pid, last exit, file.")
    static final class ListAgents extends Base {
        @Override
        public Integer call() {
            List<ServiceStatus> agents = hephd(null, null).list();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Object> rows = new ArrayList<>();
                agents.forEach(a -> rows.add(row(a)));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("changed", false);
                m.put("agents", rows);
                return printJson(ExitCode.OK.code, null, m);
            }
            String format = "%-40s %-6s %-16s %-8s %-10s %s%n";
            out.printf(format, "LABEL", "LOADED", "STATE", "PID", "LAST EXIT", "FILE");
            for (ServiceStatus a : agents) {
                out.printf(format, a.name(), a.loaded() ? "yes" : "no", state(a), dash(a.pid()),
                        dash(a.lastExitCode() != null ? a.lastExitCode() : a.lastSignal()), a.file());
                if (a.state().equals("invalid")) { // a file heph cannot use is reported, with why
                    out.println("    invalid: " + a.hint());
                }
            }
            return ExitCode.OK.code;
        }

        /**
         * launchd's state; "in user/501" for a label loaded only in the other domain, " +user/501" when both,
         * ", user/501 unknown" when that domain's answer could not be read.
         */
        private static String state(ServiceStatus a) {
            if (a.otherDomain() == null) {
                return a.state();
            }
            if (a.otherDomain().isUnknown()) { // its print failed: heph cannot tell
                return a.state() + ", " + a.otherDomain().domain() + " unknown";
            }
            return a.loaded() ? a.state() + " +" + a.otherDomain().domain() : "in " + a.otherDomain().domain();
        }

        private static Map<String, Object> row(ServiceStatus a) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", a.name());
            m.put("file", a.file());
            m.put("installed", a.installed());
            m.put("loaded", a.loaded());
            m.put("other_domain", a.otherDomain() == null ? null : a.otherDomain().toJson());
            m.put("running", a.running());
            m.put("state", a.state());
            m.put("pid", a.pid());
            m.put("last_exit_code", a.lastExitCodeJson()); // as status --json: a number, or null
            m.put("last_signal", a.lastSignal());
            m.put("hint", a.hint());
            return m;
        }

        private static String dash(Object o) {
            return o == null ? "-" : o.toString();
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Converge every *.plist (systemd: *.service) of DIR: new -> install and start; changed"
                    + " -> reload; unchanged and running -> nothing (--restart: restart in place). Exit 1 if any"
                    + " failed; the others still run. An agent an earlier apply of DIR installed whose file is gone"
                    + " is named (--prune removes it).")
    static final class Apply extends Base {
        @Parameters(index = "0", paramLabel = "DIR", description = "A folder of agent files (your dotfiles).")
        Path dir;

        @Option(names = "--restart", description = "Also restart the unchanged ones (launchd: kickstart -k).")
        boolean restart;

        @Option(names = "--max-wait", paramLabel = "SECS", converter = DurationConverter.class,
                description = "Bound on waiting for launchd to let go of a job (default: its ExitTimeOut + 5 s).")
        Duration maxWait;

        @Option(names = "--lock-wait", paramLabel = "SECS", converter = DurationConverter.class,
                description = "Bound on waiting for another heph working on the same agent (default 120).")
        Duration lockWait;

        @Option(names = "--dry-run", description = "Change nothing: print each service's plan (path, calls, diff).")
        boolean dryRun;

        @Option(names = "--prune", description = "Also stop and remove the agents an earlier apply of DIR installed"
                + " whose file DIR no longer has (never one installed otherwise); a copy of each removed file is"
                + " kept in ~/.local/state/heph/pruned/.")
        boolean prune;

        @Override
        public Map<String, Object> facts() {
            Map<String, Object> m = super.facts();
            m.put("dir", dir == null ? null : dir.toString());
            if (dryRun) {
                m.put("dry_run", true);
            }
            return m;
        }

        @Override
        public Integer call() {
            Heph hephd = hephd(lockWait, maxWait);
            if (dryRun) {
                return plan(hephd, hephd.applyDryRun(dir, restart, prune));
            }
            ApplyReport report = hephd.apply(dir, restart, prune);
            int code = report.failed() > 0 ? ExitCode.FAILED.code : ExitCode.OK.code;
            if (json) {
                return printJson(code, report.summary(), report.toJson(action(), installed(hephd)));
            }
            PrintWriter err = spec.commandLine().getErr();
            for (ApplyReport.Result r : report.results()) {
                err.println("heph: " + (r.ok() ? r.message() : "FAILED " + r.line()));
            }
            err.println("heph: " + report.summary());
            return code;
        }

        private String action() {
            return restart ? "restart" : "start";
        }

        /** A label's installed plist (launchd) or unit file (systemd). */
        private static java.util.function.Function<String, String> installed(Heph hephd) {
            heph.service.Settings s = hephd.settings();
            boolean systemd = s.backend().equals("systemd");
            return label -> (systemd ? s.withUnit(label).unitPath()
                    : heph.launchd.LaunchdBackend.installedPlist(s.withLabel(label))).toString();
        }

        /** Every service's plan on stdout, then the summary; exit 1 when one could not be planned. */
        private int plan(Heph hephd, ApplyReport report) {
            PrintWriter out = spec.commandLine().getOut();
            int code = report.failed() > 0 ? ExitCode.FAILED.code : ExitCode.OK.code;
            if (json) {
                return printJson(code, report.summary(), report.toJson(action(), installed(hephd)));
            }
            for (ApplyReport.Result r : report.results()) {
                out.print(r.plan() != null ? r.plan().text() : "heph: dry run: FAILED " + r.line() + "\n");
            }
            out.println("heph: " + report.summary());
            out.flush();
            return code;
        }
    }
}
