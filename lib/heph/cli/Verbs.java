package heph.cli;

import heph.ExitCode;
import heph.Heph;
import heph.HephException;
import heph.HephOptions;
import heph.config.FlagOverrides;
import heph.plan.DryRun;
import heph.service.Outcome;
import heph.service.ServiceStatus;
import heph.service.Settings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The five verbs, each a thin layer over one {@link Heph} call. Messages go to stderr, data to stdout. Each works on
 * hephd, or on the agent {@code --plist}, {@code --label}, {@code --unit-file} or {@code --unit} names
 * ({@link AgentOptions}).
 */
final class Verbs {
    private Verbs() {
    }

    static void addTo(CommandLine parent) {
        parent.addSubcommand("start", new Start());
        parent.addSubcommand("stop", new Stop());
        parent.addSubcommand("restart", new Restart());
        parent.addSubcommand("status", new Status());
        parent.addSubcommand("uninstall", new Uninstall());
    }

    /** What every verb shares: the root's context, --json, and building a {@link Heph}. */
    abstract static class Verb implements Callable<Integer>, JsonReply.Facts {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
        boolean json;

        @Mixin
        AgentOptions agent;

        /** The service this verb works on, once chosen: what a failure's JSON object names. */
        Heph selected;

        Main root() {
            return (Main) spec.root().userObject();
        }

        HephOptions options() {
            return root().global.toOptions();
        }

        Heph heph(HephOptions o) {
            PrintWriter err = spec.commandLine().getErr();
            o.progress = msg -> {
                err.println("heph: " + msg);
                err.flush();
            };
            Settings s = o.toSettings(root().env, root().cwd);
            // one updating line while heph waits, on a terminal and without --json only (Main.execute removes it)
            heph.service.Progress.install(heph.service.Progress.on(err,
                    !json && heph.service.Progress.stderrIsTerminal(root().env)));
            selected = agent.select(Heph.create(s), root().global.label, root().cwd);
            return selected;
        }

        @Override
        public java.util.Map<String, Object> facts() {
            return JsonReply.service(selected);
        }

        /** The verb's JSON object (docs/json.md): its result's fields, then label, file and backend. */
        int printJson(int exitCode, String error, java.util.Map<String, Object> result) {
            java.util.Map<String, Object> body = new java.util.LinkedHashMap<>(result);
            facts().forEach(body::putIfAbsent);
            return JsonReply.print(root(), spec.commandLine().getOut(), spec.name(), exitCode, error, body);
        }

        int report(Outcome o) {
            if (json) {
                return printJson(ExitCode.OK.code, null, o.toJson());
            } else {
                spec.commandLine().getErr().println("heph: " + o.message());
            }
            return ExitCode.OK.code;
        }
    }

    /** Options of the verbs that stop or unload hephd. */
    abstract static class Mutating extends Verb {
        @Option(names = "--max-wait", paramLabel = "SECS", converter = DurationConverter.class,
                description = "Bound on waiting for launchd to let go of the job (default: the job's ExitTimeOut"
                        + " + 5 s, at least 5 s).")
        Duration maxWait;

        @Option(names = "--lock-wait", paramLabel = "SECS", converter = DurationConverter.class,
                description = "Bound on waiting for another heph working on the same label (default 120).")
        Duration lockWait;

        @Option(names = "--dry-run", description = "Change nothing: print the path heph would take, the"
                + " launchctl/systemctl calls in order, and the plist/unit diff (--json: one object).")
        boolean dryRun;

        /**
         * Runs the verb, or, when heph runs inside the very job it would bootout (hephd's self-update calling
         * heph), hands it to a detached heph so that bootout cannot cut it short. With --dry-run, prints the plan.
         */
        @Override
        public Integer call() {
            Heph heph = heph(options());
            check(heph);
            if (dryRun) {
                return printPlan(heph.dryRun(spec.name(), planFlags()));
            }
            if (Handoff.needed(heph, root().env)) {
                heph.requireOneInstance(spec.name()); // refused here, not in the hand-off's log
                return Handoff.spawn(heph, spec, root().env);
            }
            return report(run(heph));
        }

        abstract Outcome run(Heph heph);

        /** hephd's flags, for start and restart. */
        FlagOverrides planFlags() {
            return FlagOverrides.none();
        }

        /** The plan on stdout: as text (header, commands, diff), or one JSON object. Exit 0. */
        int printPlan(DryRun plan) {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                return printJson(ExitCode.OK.code, null, plan.toJson());
            } else {
                out.print(plan.text());
            }
            out.flush();
            return ExitCode.OK.code;
        }

        @Override
        public java.util.Map<String, Object> facts() {
            java.util.Map<String, Object> m = super.facts();
            if (dryRun) {
                m.put("dry_run", true);
            }
            return m;
        }

        /** Usage errors that depend on which service the verb works on; none here. */
        void check(Heph heph) {
        }

        @Override
        HephOptions options() {
            HephOptions o = super.options();
            o.maxWait = maxWait;
            if (lockWait != null) {
                o.lockWait = lockWait;
            }
            return o;
        }
    }

    /** start and restart: they bake hephd's flags. */
    abstract static class Converging extends Mutating {
        @Mixin
        DaemonFlags flags;

        @Option(names = "--wait-ready", arity = "0..1", paramLabel = "SECS", fallbackValue = "10",
                converter = DurationConverter.class,
                description = "Also wait (default 10 s) until hephd's socket accepts a connection.")
        Duration waitReady;

        @Override
        HephOptions options() {
            HephOptions o = super.options();
            o.readyTimeout = waitReady;
            return o;
        }

        private FlagOverrides overrides;

        /** Validates every flag before anything else happens. */
        @Override
        public Integer call() {
            overrides = flags.toOverrides(root().env, root().cwd);
            return super.call();
        }

        /** hephd's flags and --wait-ready (hephd's socket) are hephd's: for another agent a usage error. */
        @Override
        void check(Heph heph) {
            String given = flags.firstGiven() != null ? flags.firstGiven()
                    : waitReady != null ? "--wait-ready" : null;
            if (!heph.isHephd() && given != null) {
                throw HephException.usage(given + ": is hephd's; " + heph.name() + " is not hephd (its "
                        + (heph.settings().backend().equals("systemd") ? "unit file" : "plist") + " is used as"
                        + " given); expected no hephd flags");
            }
        }

        @Override
        Outcome run(Heph heph) {
            return converge(heph, overrides);
        }

        @Override
        FlagOverrides planFlags() {
            return overrides;
        }

        abstract Outcome converge(Heph heph, FlagOverrides flags);
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Install and start hephd. Running and unchanged: nothing to do. Changed: reload.")
    static final class Start extends Converging {
        @Override
        Outcome converge(Heph heph, FlagOverrides flags) {
            return heph.start(flags);
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Restart hephd: kickstart -k when nothing changed, else a race-free reload; starts it"
                    + " when stopped.")
    static final class Restart extends Converging {
        @Override
        Outcome converge(Heph heph, FlagOverrides flags) {
            return heph.restart(flags);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop hephd; returns once the service manager has let go of it. Already stopped: fine.")
    static final class Stop extends Mutating {
        @Override
        Outcome run(Heph heph) {
            return heph.stop();
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true,
            description = "Stop hephd and remove its plist/unit. Nothing installed: fine.")
    static final class Uninstall extends Mutating {
        @Override
        Outcome run(Heph heph) {
            return heph.uninstall();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show whether hephd is installed, loaded and running. Exit 0 running, 3 not.")
    static final class Status extends Verb {
        @Override
        public Integer call() {
            ServiceStatus st = heph(options()).status();
            PrintWriter out = spec.commandLine().getOut();
            int code = st.fine() ? ExitCode.OK.code : ExitCode.NOT_RUNNING.code;
            if (json) {
                String error = st.name() + " is " + (!st.installed() && !st.loaded() ? "not installed"
                        : !st.loaded() ? "not loaded" : "not running") + (!st.loaded() || st.state() == null
                        ? "" : " (state " + st.state() + ")");
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("changed", false);
                m.put("label", st.name());
                m.putAll(st.toJson());
                return printJson(code, error, m);
            }
            StatusText.print(st, out);
            return code;
        }
    }
}
