package heph.cli;

import heph.ExitCode;
import heph.HephException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The picocli root: `heph start|stop|restart|status|uninstall|demo`, and the same verbs under `heph daemon`. */
@Command(name = "heph", mixinStandardHelpOptions = true, version = "heph 0.1.0",
        description = "Race-free start, stop, restart and status of the hephd daemon on launchd (macOS) and"
                + " systemd --user (Linux), and of any other LaunchAgent or user unit (--plist, --label,"
                + " --unit-file, --unit; list, apply). Every verb is idempotent.",
        exitCodeListHeading = "%nExit codes:%n")
public final class Main implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    GlobalOptions global;

    final Map<String, String> env;
    final Path cwd;
    /** {@code --json} was given (anywhere): every outcome, also a refused command line, is one JSON object. */
    boolean jsonRequested;
    /** The verb already printed its JSON object ({@link JsonReply#print}); a later failure prints no second one. */
    boolean jsonPrinted;

    Main(Map<String, String> env, Path cwd) {
        this.env = env;
        this.cwd = cwd;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        return execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv(),
                Path.of("").toAbsolutePath(), true);
    }

    /** Runs heph with explicit streams, environment and working folder (tests use this). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, Path cwd,
                              boolean deferSignals) {
        heph.service.CriticalSection.deferSignals(deferSignals);
        Main main = new Main(env, cwd);
        main.jsonRequested = JsonReply.requested(args);
        CommandLine cl = commandLine(main, args);
        cl.setOut(out);
        cl.setErr(err);
        int code;
        try {
            code = cl.execute(args);
        } finally {
            heph.service.Progress.uninstall();
        }
        out.flush();
        err.flush();
        return code;
    }

    static CommandLine commandLine(Main main) {
        return commandLine(main, null);
    }

    /** The command line for a run with {@code args}: only the verbs runArgs name (see CommandModel); null: all. */
    static CommandLine commandLine(Main main, String[] runArgs) {
        CommandLine cl = new CommandLine(main);
        Map<String, String> codes = new java.util.LinkedHashMap<>();
        for (ExitCode c : ExitCode.values()) {
            codes.put(Integer.toString(c.code), c.meaning);
        }
        cl.getCommandSpec().usageMessage().exitCodeList(codes);
        CommandModel.addSubcommands(cl, runArgs);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            PrintWriter err = line.getErr();
            boolean verbose = main.global != null && main.global.verbose;
            if (ex instanceof HephException he) {
                err.println("heph: " + he.getMessage());
                if (verbose && !he.detail().isBlank()) {
                    err.println(he.detail().strip());
                }
                return failure(main, line, he.exitCode().code, he.getMessage(), he.changedNothing());
            }
            err.println("heph: internal error: " + ex);
            if (verbose) {
                ex.printStackTrace(err);
            }
            return failure(main, line, ExitCode.FAILED.code, "internal error: " + ex);
        });
        cl.setParameterExceptionHandler((ParameterException ex, String[] args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("heph: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return failure(main, ex.getCommandLine(), ExitCode.USAGE.code, ex.getMessage());
        });
        return cl;
    }

    /**
     * The single mapper from a failure to the answer: the exit code, and with --json the failure object on stdout
     * (unless the verb printed its own): {@code ok} false, {@code exit_code}, {@code error}, {@code action}, what the
     * verb knew (service, file, backend), and {@code changed}: false for a usage error or a refusal before heph acted
     * ({@link HephException#changedNothing}), null (unknown) for a failed operation.
     */
    static int failure(Main main, CommandLine line, int code, String message) {
        return failure(main, line, code, message, false);
    }

    static int failure(Main main, CommandLine line, int code, String message, boolean changedNothing) {
        if (main.jsonRequested && !main.jsonPrinted) {
            Map<String, Object> known = new java.util.LinkedHashMap<>();
            if (line.getCommand() instanceof JsonReply.Facts f) {
                known.putAll(f.facts());
            }
            known.put("changed", code == ExitCode.USAGE.code || changedNothing ? Boolean.FALSE : null);
            String action = line == line.getCommandSpec().root().commandLine() ? null : line.getCommandName();
            JsonReply.print(main, line.getOut(), action, code, message, known);
        }
        return code;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing verb: one of start, stop, restart, status,"
                + " uninstall, demo");
    }

    /** `heph daemon <verb>`: the Rust CLI's spelling of the same verbs. */
    @Command(name = "daemon", mixinStandardHelpOptions = true,
            description = "The same verbs, spelled as the Rust heph CLI did: heph daemon restart, ...")
    static final class DaemonGroup implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "Missing verb: one of start, stop, restart, status,"
                    + " uninstall");
        }
    }
}
