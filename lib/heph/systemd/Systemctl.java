package heph.systemd;

import heph.HephException;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Builds {@code systemctl --user ...} argv lists and runs them through a {@link ProcessRunner}, each bounded by the
 * timeout; returns the raw result and decides nothing (see {@link SystemctlErrors} and {@link UnitState}).
 * Every call is recorded in {@link #argvLog()}.
 */
public final class Systemctl {
    private static final Pattern UNIT_NAME = Pattern.compile("[A-Za-z0-9:_.@\\\\-]+\\.[a-z]+");

    private final ProcessRunner runner;
    private final String executable;
    private final Duration timeout;
    private final Duration jobTimeout;
    private final List<List<String>> log = Collections.synchronizedList(new ArrayList<>());

    /** Every call bounded by {@code timeout}, except those waiting for a stop job: {@code jobTimeout}. */
    public Systemctl(ProcessRunner runner, String executable, Duration timeout, Duration jobTimeout) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.executable = Objects.requireNonNull(executable, "executable");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.jobTimeout = Objects.requireNonNull(jobTimeout, "jobTimeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    public ExecResult daemonReload() {
        return run("daemon-reload");
    }

    /**
     * {@code enable --now}: links the unit into its [Install] target and starts it. Bounded like restart: a start
     * job queued behind a stop job (the unit still stopping) waits for it.
     */
    public ExecResult enableNow(String unit) {
        return runJob("enable", "--now", checked(unit));
    }

    /** {@code start}: bounded like restart, as it may wait for a stop job still running. */
    public ExecResult start(String unit) {
        return runJob("start", checked(unit));
    }

    public ExecResult restart(String unit) {
        return runJob("restart", checked(unit));
    }

    public ExecResult stop(String unit) {
        return runJob("stop", checked(unit));
    }

    /** {@code disable --now}: removes the [Install] links and stops the unit. */
    public ExecResult disableNow(String unit) {
        return runJob("disable", "--now", checked(unit));
    }

    /** {@code reset-failed}: clears a failed state and the start-limit counter, so start/restart may run again. */
    public ExecResult resetFailed(String unit) {
        return run("reset-failed", checked(unit));
    }

    public ExecResult isEnabled(String unit) {
        return run("is-enabled", checked(unit));
    }

    /** {@code show -p P ...} for each of {@link UnitState#PROPERTIES}; parse stdout with {@link UnitState#parse}. */
    public ExecResult show(String unit) {
        List<String> args = new ArrayList<>(List.of("show"));
        for (String p : UnitState.PROPERTIES) {
            args.add("-p");
            args.add(p);
        }
        args.add(checked(unit));
        return run(args.toArray(String[]::new));
    }

    /**
     * {@code show -p ExecStart UNIT}: the loaded definition's command, as
     * {@code ExecStart={ path=... ; argv[]=... ; ... }} (parse with {@link LoadedUnit#execStart}).
     */
    public ExecResult showExecStart(String unit) {
        return run("show", "-p", "ExecStart", checked(unit));
    }

    /** {@code show -p P1 -p P2 ... UNIT}: any properties, parsed by the caller (doctor reads Result, NRestarts). */
    public ExecResult show(String unit, List<String> properties) {
        List<String> args = new ArrayList<>(List.of("show"));
        for (String p : properties) {
            args.add("-p");
            args.add(p);
        }
        args.add(checked(unit));
        return run(args.toArray(String[]::new));
    }

    /** {@code show -p UnitPath}: the user manager's unit search path (parse with {@link LoadedUnit#unitPath}). */
    public ExecResult showUnitPath() {
        return run("show", "-p", "UnitPath");
    }

    /** Every argv run so far, oldest first. */
    public List<List<String>> argvLog() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private ExecResult run(String... args) {
        return run(timeout, args);
    }

    private ExecResult runJob(String... args) {
        String what = "waiting for systemd to " + String.join(" ", args).replace("--now ", "");
        return heph.service.Progress.current().during(what, () -> run(jobTimeout, args));
    }

    private ExecResult run(Duration bound, String... args) {
        List<String> frozen = argv(args);
        log.add(frozen);
        return runner.run(frozen, bound);
    }

    /** The argv of {@code systemctl --user args...} as this class runs it (a dry run prints it instead). */
    public List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(List.of(executable, "--user"));
        argv.addAll(List.of(args));
        return List.copyOf(argv);
    }

    /** A unit name that systemctl cannot mistake for an option or a glob. */
    private static String checked(String unit) {
        if (unit == null || !UNIT_NAME.matcher(unit).matches() || unit.startsWith("-")) {
            throw HephException.usage("'" + unit + "' is not a systemd unit name (expected e.g. heph.service)");
        }
        return unit;
    }
}
