package heph.launchd;

import heph.HephException;
import heph.launchd.plist.AgentPlist;
import heph.service.Settings;
import heph.time.Clock;
import java.time.Duration;

/**
 * After start and restart: the job is loaded and running a new process (a pid other than the old one), still alive
 * after a short settle. What launchd shows is judged against the job before the action ({@link Before}): an exit
 * code is a crash only when a run started after the action has ended (runs grew and the job records an end);
 * {@code xpcproxy}/{@code spawning} are transitional, as is the old pid while {@code kickstart -k} lets it shut down
 * gracefully (SIGTERM: print-07). If launchd loaded the job but RunAtLoad did not fire (docs/facts/launchd-facts.md §1 notes,
 * OPENBASE-15), one plain kickstart.
 */
final class JobVerifier {
    /** How long a freshly loaded job may take to show a running pid. */
    static final Duration VERIFY_BOUND = Duration.ofSeconds(10);
    /** How long to wait for RunAtLoad before the one plain kickstart. */
    static final Duration RUN_AT_LOAD_GRACE = Duration.ofMillis(1000);

    /** The job before the action: its pid (null when none) and its runs (0 for a job heph is about to load). */
    record Before(Long pid, long runs) {
        static Before fresh(Long oldPid) {
            return new Before(oldPid, 0);
        }

        static Before of(LoadedJob job) {
            return new Before(job.pid().isPresent() ? job.pid().getAsLong() : null, job.runs());
        }
    }

    private final Launchctl launchctl;
    private final LaunchdPrimitives primitives;
    private final Clock clock;
    private final Settings s;
    private final String who;

    JobVerifier(Launchctl launchctl, LaunchdPrimitives primitives, Clock clock, Settings s, String who) {
        this.who = who;
        this.launchctl = launchctl;
        this.primitives = primitives;
        this.clock = clock;
        this.s = s;
    }

    /**
     * As the plist asks ({@link AgentPlist#expect}): a job kept alive must be running ({@link #verifyRunning}); a
     * job run at load must have started, and may already have ended with exit 0 ({@link #verifyStarted}); a job run
     * on demand need only be loaded. Returns the running pid, or null when none runs (and none has to).
     */
    Long verify(String target, Before before, Duration bound, AgentPlist.Expect expect) {
        return switch (expect) {
            case KEEPS_RUNNING -> verifyRunning(target, before, bound);
            case RUNS_AT_LOAD -> verifyStarted(target, before, bound);
            case ON_DEMAND -> {
                LoadedJob job = launchctl.probe(target);
                if (!job.loaded()) {
                    throw dropped(target);
                }
                yield job.info().running() ? job.pid().getAsLong() : null;
            }
        };
    }

    /** For messages: "pid N", or what a job that is not running now does. */
    static String ran(Long pid) {
        return pid != null ? "pid " + pid : "not running now";
    }

    /** For messages: why a job that is not kept alive may not be running. */
    static String describe(AgentPlist.Expect expect) {
        return expect == AgentPlist.Expect.RUNS_AT_LOAD ? "it runs at load, without KeepAlive"
                : "it runs on demand (no RunAtLoad or KeepAlive)";
    }

    /**
     * A job without KeepAlive that runs at load: a new process runs (its pid), or a run started after the action
     * has already ended with exit 0 (null). Any other end, or nothing within {@code bound}, is a failure.
     */
    Long verifyStarted(String target, Before before, Duration bound) {
        long start = clock.millis();
        long pause = 10;
        boolean kicked = false;
        while (true) {
            LoadedJob job = launchctl.probe(target);
            long elapsed = clock.millis() - start;
            if (!job.loaded()) {
                throw dropped(target);
            }
            if (job.info().running() && !Long.valueOf(job.pid().getAsLong()).equals(before.pid())) {
                return settledRun(target, job.pid().getAsLong(), before);
            }
            if (job.newRunEnded(before.runs())) {
                boolean clean = job.info().lastExitStatus().orElse(-1) == 0 && job.lastSignal().isEmpty();
                if (clean) {
                    return null;
                }
                throw notRunning(job, who + " exited right after starting");
            }
            if (!kicked && before.pid() == null && elapsed >= RUN_AT_LOAD_GRACE.toMillis()
                    && "not running".equals(job.info().state()) && job.runs() <= before.runs()) {
                s.say("launchd loaded " + target + " but did not start it (RunAtLoad did not fire); kickstarting");
                primitives.kickstart(target, false);
                kicked = true;
            } else if (elapsed >= bound.toMillis()) {
                throw notRunning(job, who + " did not start within " + elapsed + " ms");
            }
            clock.sleep(Duration.ofMillis(pause));
            pause = Math.min(pause * 2, 100);
        }
    }

    /**
     * A run at load seen running is looked at again after the settle, as a kept-alive job is: a run that ended
     * by then with a non-zero exit (a job that fails at once, seen running on a busy machine) is a failure.
     */
    private Long settledRun(String target, long pid, Before before) {
        if (s.settle().isZero()) {
            return pid;
        }
        clock.sleep(s.settle());
        LoadedJob again = launchctl.probe(target);
        if (again.loaded() && !again.info().running() && again.newRunEnded(before.runs())) {
            if (again.info().lastExitStatus().orElse(-1) == 0 && again.lastSignal().isEmpty()) {
                return null;
            }
            throw notRunning(again, who + " exited right after starting");
        }
        return pid;
    }

    private static HephException dropped(String target) {
        return HephException.failed(target + " is not loaded any more: launchd dropped it right after"
                + " loading (a spawn failure?); see the daemon's log (heph status shows where)");
    }

    /** Returns the running pid within {@code bound}, or throws a one-line failure naming what launchd reports. */
    long verifyRunning(String target, Before before, Duration bound) {
        long start = clock.millis();
        long pause = 10;
        boolean kicked = false;
        while (true) {
            LoadedJob job = launchctl.probe(target);
            long elapsed = clock.millis() - start;
            if (!job.loaded()) {
                throw dropped(target);
            }
            if (job.info().running() && !Long.valueOf(job.pid().getAsLong()).equals(before.pid())) {
                return settled(target, job.pid().getAsLong(), before);
            }
            crashed(job, before);
            String state = job.info().state();
            if (!kicked && before.pid() == null && elapsed >= RUN_AT_LOAD_GRACE.toMillis()
                    && "not running".equals(state) && (job.runs() <= before.runs() || !job.endRecorded())) {
                s.say("launchd loaded " + target + " but did not start it (RunAtLoad did not fire); kickstarting");
                primitives.kickstart(target, false);
                kicked = true;
            } else if (elapsed >= bound.toMillis()) {
                String what = job.info().running() ? who + " still runs the old process (pid " + before.pid()
                        + ") " + elapsed + " ms after the restart" : who + " is not running " + elapsed + " ms after"
                        + " start";
                throw notRunning(job, what);
            }
            clock.sleep(Duration.ofMillis(pause));
            pause = Math.min(pause * 2, 100);
        }
    }

    /** Throws when a run started after the action has already ended: a crash loop, or one exit right away. */
    private void crashed(LoadedJob job, Before before) {
        if (job.info().spawnFailed() && job.runs() > before.runs()) { // print-43: it never ran
            throw notRunning(job, "launchd cannot start " + who + ": its spawn failed (job state = spawn failed"
                    + (job.info().exitReasonMeaning().isEmpty() ? "" : "; " + job.info().exitReasonMeaning()) + ")");
        }
        if (job.crashLoop(before.runs())) {
            throw notRunning(job, who + " is in a crash loop: it ran " + (job.runs() - before.runs())
                    + " time(s) since the action and exits right after starting; launchd keeps respawning it"
                    + " (KeepAlive, throttled)");
        }
        if (job.newRunEnded(before.runs())) {
            String then = "spawn scheduled".equals(job.info().state()) ? "; launchd will retry it (KeepAlive,"
                    + " throttled)" : " and launchd did not restart it";
            throw notRunning(job, who + " exited right after starting" + then);
        }
    }

    private long settled(String target, long pid, Before before) {
        if (!s.settle().isZero()) {
            clock.sleep(s.settle());
            LoadedJob again = launchctl.probe(target);
            if (!again.info().running() || again.pid().getAsLong() != pid) {
                if (again.loaded()) {
                    crashed(again, before);
                }
                throw notRunning(again, who + " (pid " + pid + ") exited within " + s.settle().toMillis()
                        + " ms of starting");
            }
        }
        return pid;
    }

    private static HephException notRunning(LoadedJob job, String what) {
        return HephException.failed(what + " (state = " + job.info().state() + ", runs = " + job.runs() + ", "
                + job.lastEnd() + "); see the daemon's log (heph status shows where)");
    }
}
