package heph.sim.race;

import heph.launchd.Launchctl;
import heph.launchd.LaunchdPrimitives;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import heph.time.Clock;
import java.time.Duration;

/**
 * What the broken tools do to restart a LaunchAgent (docs/facts/launchd-facts.md §10, docs/facts/hephd.md §6): {@code launchctl bootout
 * <target>} and, at once, {@code launchctl bootstrap <domain> <plist>}. bootout is asynchronous (§9), so the
 * bootstrap usually meets a label still draining and fails with {@code 5: Input/output error} (§1 transitional).
 * {@link #recover} then loads the job again with heph's own primitives, so an experiment can go on.
 */
final class NaiveRestart {
    /** One naive restart: both exit codes, bootstrap's stderr and how long the two calls took. */
    record Attempt(int bootoutCode, int bootstrapCode, String stderr, long millis) {
        boolean ok() {
            return bootoutCode == 0 && bootstrapCode == 0;
        }

        /** The first stderr line: "Bootstrap failed: 5: Input/output error". */
        String firstLine() {
            String s = stderr.strip();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }

    private final Launchctl launchctl;
    private final LaunchdPrimitives primitives;
    private final String domain;
    private final String target;
    private final String plist;

    NaiveRestart(ProcessRunner runner, String launchctlPath, Duration timeout, String domain, String label,
                 String plist) {
        this.launchctl = new Launchctl(runner, launchctlPath, timeout);
        this.primitives = new LaunchdPrimitives(launchctl, Clock.SYSTEM);
        this.domain = domain;
        this.target = domain + "/" + label;
        this.plist = plist;
    }

    /** bootout, then bootstrap with no wait in between: exactly the race. */
    Attempt run() {
        long start = System.nanoTime();
        ExecResult out = launchctl.bootout(target);
        ExecResult in = launchctl.bootstrap(domain, plist);
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new Attempt(out.exitCode(), in.exitCode(), in.stderr(), ms);
    }

    /** After a failed attempt: wait until print answers 113 (§3), then bootstrap (with retry) so the job is loaded. */
    void recover(Duration unloadBound) {
        primitives.waitUntilUnloaded(target, unloadBound);
        primitives.bootstrapWithRetry(domain, plist, target, LaunchdPrimitives.BOOTSTRAP_DEADLINE);
    }
}
