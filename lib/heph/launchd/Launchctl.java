package heph.launchd;

import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds launchctl argv for the verbs heph uses and runs them through the {@link ProcessRunner}, each bounded by
 * the same timeout. It decides nothing: callers interpret exit codes (see {@link LaunchctlErrors}).
 */
public final class Launchctl {
    private final ProcessRunner runner;
    private final String executable;
    private final Duration timeout;

    public Launchctl(ProcessRunner runner, String executable, Duration timeout) {
        this.runner = runner;
        this.executable = executable;
        this.timeout = timeout;
    }

    public static String domain(int uid) {
        return "gui/" + uid;
    }

    public static String target(int uid, String label) {
        return domain(uid) + "/" + label;
    }

    /** {@code gui/<uid>} or, with {@code --domain user}, {@code user/<uid>} (docs/facts/launchd-facts.md §13). */
    public static String domain(heph.service.Settings s) {
        return s.domain() + "/" + s.uid();
    }

    /** The service target of the settings' label in their domain. */
    public static String target(heph.service.Settings s) {
        return domain(s) + "/" + s.label();
    }

    public ExecResult bootstrap(String domain, String plistPath) {
        return run("bootstrap", domain, plistPath);
    }

    public ExecResult bootout(String target) {
        return run("bootout", target);
    }

    /**
     * {@code bootout --wait target} (macOS 26; docs/facts/launchd-facts.md §2, §13): returns once the label is gone, or never
     * ("may block indefinitely"), so it runs under the caller's own bound instead of the usual timeout.
     */
    public ExecResult bootoutWait(String target, Duration bound) {
        return runWithin(bound, "bootout", "--wait", target);
    }

    public ExecResult enable(String target) {
        return run("enable", target);
    }

    public ExecResult print(String target) {
        return run("print", target);
    }

    /** {@code print-disabled <domain>}: launchd's override database, {@code "label" => disabled|enabled} lines (§6). */
    public ExecResult printDisabled(String domain) {
        return run("print-disabled", domain);
    }

    public PrintInfo printInfo(String target) {
        ExecResult r = print(target);
        return PrintInfo.parse(r.exitCode(), r.stdout(), r.stderr());
    }

    /** print, read for comparing definitions and judging a start (see {@link LoadedJob}). */
    LoadedJob probe(String target) {
        return LoadedJob.of(print(target));
    }

    /** {@code kickstart [-k] target}: with kill, launchd restarts the loaded job in place (no bootout race). */
    public ExecResult kickstart(String target, boolean kill) {
        return kill ? run("kickstart", "-k", target) : run("kickstart", target);
    }

    public String executable() {
        return executable;
    }

    private ExecResult run(String... args) {
        return runWithin(timeout, args);
    }

    private ExecResult runWithin(Duration bound, String... args) {
        return runner.run(argv(args), bound);
    }

    /** The argv of {@code launchctl args...} as this class runs it (a dry run prints it instead). */
    public List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add(executable);
        argv.addAll(List.of(args));
        return List.copyOf(argv);
    }
}
