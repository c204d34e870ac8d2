package heph.launchd;

import heph.HephException;
import heph.service.Settings;
import heph.time.Clock;
import java.time.Duration;

/**
 * After start and restart: the job is loaded, running, with a pid different from the old one, and still alive
 * after a short settle. If launchd loaded it but RunAtLoad did not fire (launchd-facts §1 notes, OPENBASE-15),
 * one plain kickstart.
 */
final class JobVerifier {
    /** How long a fresh job may take to show a running pid. */
    static final Duration VERIFY_BOUND = Duration.ofSeconds(10);
    /** How long to wait for RunAtLoad before the one plain kickstart. */
    static final Duration RUN_AT_LOAD_GRACE = Duration.ofMillis(1000);

    private final Launchctl launchctl;
    private final LaunchdPrimitives primitives;
    private final Clock clock;
    private final Settings s;

    JobVerifier(Launchctl launchctl, LaunchdPrimitives primitives, Clock clock, Settings s) {
        this.launchctl = launchctl;
        this.primitives = primitives;
        this.clock = clock;
        this.s = s;
    }

    /** Returns the running pid, or throws a one-line failure naming the state launchd reports. */
    long verifyRunning(String target, Long oldPid) {
        long start = clock.millis();
        long pause = 10;
        boolean kicked = false;
        while (true) {
            PrintInfo info = launchctl.printInfo(target);
            long elapsed = clock.millis() - start;
            if (!info.loaded()) {
                throw HephException.failed(target + " is not loaded any more: launchd dropped it right after"
                        + " loading (a spawn failure?); see the daemon's log (heph status shows where)");
            }
            if (info.running() && (oldPid == null || info.pid().getAsLong() != oldPid)) {
                return settled(target, info.pid().getAsLong());
            }
            if ("spawn scheduled".equals(info.state()) && info.lastExitStatus().isPresent()) {
                throw notRunning(info, "hephd exited with " + info.lastExitCode() + " right after starting and launchd"
                        + " will retry it (KeepAlive, throttled)");
            }
            if (!kicked && elapsed >= RUN_AT_LOAD_GRACE.toMillis() && "not running".equals(info.state())) {
                s.say("launchd loaded " + target + " but did not start it (RunAtLoad did not fire); kickstarting");
                primitives.kickstart(target, false);
                kicked = true;
            } else if (elapsed >= VERIFY_BOUND.toMillis()) {
                throw notRunning(info, "hephd is not running " + elapsed + " ms after start");
            }
            clock.sleep(Duration.ofMillis(pause));
            pause = Math.min(pause * 2, 100);
        }
    }

    private long settled(String target, long pid) {
        if (!s.settle().isZero()) {
            clock.sleep(s.settle());
            PrintInfo again = launchctl.printInfo(target);
            if (!again.running() || again.pid().getAsLong() != pid) {
                throw notRunning(again, "hephd (pid " + pid + ") exited within " + s.settle().toMillis()
                        + " ms of starting");
            }
        }
        return pid;
    }

    private static HephException notRunning(PrintInfo info, String what) {
        return HephException.failed(what + " (state = " + info.state() + ", last exit code = "
                + info.lastExitCode() + "); see the daemon's log (heph status shows where)");
    }
}
