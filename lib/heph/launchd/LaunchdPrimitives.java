package heph.launchd;

import heph.HephException;
import heph.proc.ExecResult;
import heph.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The race-free building blocks of a launchd restart, named as in the design: wait-until-unloaded,
 * bootstrap-with-retry, and kickstart (used by the backend only when the plist is unchanged).
 */
public final class LaunchdPrimitives {
    /** The seed fix waited at most 5 s; that is the floor, never the ceiling (docs/facts/launchd-facts.md §9, §10). */
    public static final Duration UNLOAD_FLOOR = Duration.ofSeconds(5);
    /** launchd's own cleanup after the process is reaped: measured settle windows are 3–5 s (docs/facts/launchd-facts.md §9). */
    public static final Duration CLEANUP_ALLOWANCE = Duration.ofSeconds(5);
    /** ExitTimeOut when `print` does not show one: the modern observed default (docs/facts/launchd-facts.md §9). */
    public static final int DEFAULT_EXIT_TIMEOUT_SECS = 5;
    /**
     * ExitTimeOut = 0 is "no limit" (launchd.plist(5), docs/facts/launchd-facts.md §9): launchd waits as long as the daemon takes
     * to exit, so wait-until-unloaded has no ExitTimeOut to derive its bound from; it waits this long unless
     * --max-wait says otherwise.
     */
    public static final Duration NO_LIMIT_WAIT = Duration.ofSeconds(120);
    /**
     * First polls come within tens of milliseconds and settle at {@link #FAST_POLL_MS} for the window in which
     * launchd's teardown normally ends (the daemon's exit plus launchd's 3-5 s cleanup, docs/facts/launchd-facts.md §9), so heph
     * bootstraps a few tens of milliseconds after the label is really gone; a job still registered after
     * {@link #FAST_WINDOW_MS} (a slow or SIGTERM-ignoring daemon) is polled every {@link #MAX_POLL_MS}, so a long
     * wait is not a busy loop. Every poll is counted ({@code print_polls} in --json).
     */
    static final long FIRST_POLL_MS = 10;
    static final long FAST_POLL_MS = 50;
    static final long FAST_WINDOW_MS = 10_000;
    static final long MAX_POLL_MS = 250;

    /** Only these bootstrap failures are transient: 5 (label still registered) and 37 (already in progress). */
    public static final Set<Integer> TRANSIENT_BOOTSTRAP_CODES = Set.of(5, 37);
    public static final int MIN_BOOTSTRAP_ATTEMPTS = 5;
    public static final Duration BOOTSTRAP_SPACING = Duration.ofMillis(250);
    public static final Duration BOOTSTRAP_DEADLINE = Duration.ofSeconds(10);

    private final Launchctl launchctl;
    private final Clock clock;

    public LaunchdPrimitives(Launchctl launchctl, Clock clock) {
        this.launchctl = launchctl;
        this.clock = clock;
    }

    /** How long wait-until-unloaded may take for a job whose `print` shows {@code exitTimeoutSecs} (0: no limit). */
    public static Duration unloadBound(int exitTimeoutSecs) {
        if (exitTimeoutSecs == 0) {
            return NO_LIMIT_WAIT;
        }
        Duration bound = Duration.ofSeconds(Math.max(0, exitTimeoutSecs)).plus(CLEANUP_ALLOWANCE);
        return bound.compareTo(UNLOAD_FLOOR) < 0 ? UNLOAD_FLOOR : bound;
    }

    public record Waited(long millis, int polls) {
    }

    /**
     * Polls {@code launchctl print target} until it answers 113 (the label is gone from the domain): every
     * {@link #FAST_POLL_MS} after a quick start, every {@link #MAX_POLL_MS} past {@link #FAST_WINDOW_MS}. Fails after {@code bound} naming the state launchd still reports.
     */
    public Waited waitUntilUnloaded(String target, Duration bound) {
        String label = target.substring(target.lastIndexOf('/') + 1);
        return heph.service.Progress.current().during("waiting for launchd to let go of " + label,
                () -> pollUntilUnloaded(target, bound));
    }

    private Waited pollUntilUnloaded(String target, Duration bound) {
        long start = clock.millis();
        long pause = FIRST_POLL_MS;
        int polls = 0;
        while (true) {
            PrintInfo info = launchctl.printInfo(target);
            polls++;
            long waited = clock.millis() - start;
            switch (info.presence()) {
                case NOT_FOUND:
                    return new Waited(waited, polls);
                case LOADED:
                    break;
                default:
                    throw HephException.failed("waiting for " + target + " to unload: launchctl print failed: "
                            + info.presence().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            }
            if (waited >= bound.toMillis()) {
                String pid = info.pid().isPresent() ? ", pid " + info.pid().getAsLong() : "";
                throw HephException.failed(target + " is still registered after " + waited + " ms (state = "
                        + info.state() + pid + "): the job did not exit in time; it may ignore SIGTERM. Raise"
                        + " --max-wait or check the daemon's log");
            }
            clock.sleep(Duration.ofMillis(Math.min(pause, Math.max(1, bound.toMillis() - waited))));
            pause = Math.min(pause * 2, waited < FAST_WINDOW_MS ? FAST_POLL_MS : MAX_POLL_MS);
        }
    }

    public record Bootstrapped(int attempts, long millis) {
    }

    /**
     * {@code launchctl bootstrap domain plist}, retried only on the transient codes 5 and 37, at least
     * {@link #MIN_BOOTSTRAP_ATTEMPTS} times {@link #BOOTSTRAP_SPACING} apart and for as long as the deadline
     * allows. Between attempts, a `print` that shows the job loaded (and not draining) counts as success: someone
     * (or launchd itself) finished the load. Other codes fail at once with their meaning.
     */
    public Bootstrapped bootstrapWithRetry(String domain, String plistPath, String target, Duration deadline) {
        long start = clock.millis();
        int attempts = 0;
        while (true) {
            ExecResult r = launchctl.bootstrap(domain, plistPath);
            attempts++;
            if (r.ok()) {
                return new Bootstrapped(attempts, clock.millis() - start);
            }
            String label = target.substring(target.lastIndexOf('/') + 1);
            if (!TRANSIENT_BOOTSTRAP_CODES.contains(r.exitCode())) {
                throw diagnosed(failure(r, label, attempts), r, domain, plistPath, label);
            }
            PrintInfo info = launchctl.printInfo(target);
            if (info.loaded() && !info.draining()) {
                return new Bootstrapped(attempts, clock.millis() - start);
            }
            long elapsed = clock.millis() - start;
            if (attempts >= MIN_BOOTSTRAP_ATTEMPTS && elapsed + BOOTSTRAP_SPACING.toMillis() > deadline.toMillis()) {
                throw diagnosed(failure(r, label, attempts), r, domain, plistPath, label);
            }
            clock.sleep(BOOTSTRAP_SPACING);
        }
    }

    /** When launchd gave 5/37 to the end, heph runs doctor's probes and names the cause. */
    private HephException diagnosed(HephException e, ExecResult r, String domain, String plistPath, String label) {
        return heph.doctor.Diagnosis.explainBootstrap(e, r, launchctl, domain, plistPath, label);
    }

    private static HephException failure(ExecResult r, String label, int attempts) {
        String tries = attempts == 1 ? "" : " (after " + attempts + " attempts)";
        return LaunchctlErrors.failure("bootstrap", r, label, tries);
    }

    /** {@code kickstart -k}: restarts the loaded job in place; fails with the meaning of launchctl's code. */
    public void kickstart(String target, boolean kill) {
        ExecResult r = launchctl.kickstart(target, kill);
        if (!r.ok()) {
            String label = target.substring(target.lastIndexOf('/') + 1);
            throw LaunchctlErrors.failure("kickstart", r, label, "");
        }
    }
}
