package heph.cli;

import heph.ExitCode;
import heph.Heph;
import heph.agents.ApplyReport;
import heph.json.Json;
import heph.service.ServiceStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print the result as JSON on stdout.")
        boolean json;

        Heph hephd(Duration lockWait, Duration maxWait) {
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
            return Heph.create(o.toSettings(root.env, root.cwd));
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
                out.println(Json.write(rows));
                return ExitCode.OK.code;
            }
            String format = "%-40s %-6s %-16s %-8s %-10s %s%n";
            out.printf(format, "LABEL", "LOADED", "STATE", "PID", "LAST EXIT", "FILE");
            for (ServiceStatus a : agents) {
                out.printf(format, a.name(), a.loaded() ? "yes" : "no", a.state(), dash(a.pid()),
                        dash(a.lastExitCode() != null ? a.lastExitCode() : a.lastSignal()), a.file());
            }
            return ExitCode.OK.code;
        }

        private static java.util.Map<String, Object> row(ServiceStatus a) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("label", a.name());
            m.put("file", a.file());
            m.put("installed", a.installed());
            m.put("loaded", a.loaded());
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
        public Integer call() {
            if (dryRun) {
                return plan(hephd(lockWait, maxWait).applyDryRun(dir, restart, prune));
            }
            ApplyReport report = hephd(lockWait, maxWait).apply(dir, restart, prune);
            if (json) {
                spec.commandLine().getOut().println(Json.write(report.toJson()));
            } else {
                PrintWriter err = spec.commandLine().getErr();
                for (ApplyReport.Result r : report.results()) {
                    String who = r.label() != null ? r.label() : r.path();
                    err.println("heph: " + (r.ok() ? r.message() : "FAILED " + who + ": " + r.message()));
                }
                err.println("heph: " + report.summary());
            }
            return report.failed() > 0 ? ExitCode.FAILED.code : ExitCode.OK.code;
        }

        /** Every service's plan on stdout, then the summary; exit 1 when one could not be planned. */
        private int plan(ApplyReport report) {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(report.toJson(restart ? "restart" : "start")));
            } else {
                for (ApplyReport.Result r : report.results()) {
                    String who = r.label() != null ? r.label() : r.path();
                    out.print(r.plan() != null ? r.plan().text()
                            : "heph: dry run: FAILED " + who + ": " + r.message() + "\n");
                }
                out.println("heph: " + report.summary());
            }
            out.flush();
            return report.failed() > 0 ? ExitCode.FAILED.code : ExitCode.OK.code;
        }
    }
}
