package heph.systemd;

import heph.HephException;
import heph.service.Settings;
import heph.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * After start and restart: the unit is active/running with a MainPID different from the old one, and still the same
 * pid after a short settle. systemctl's start/restart return once a Type=simple process is forked
 * (launchd-facts §12), so a binary that exits at once shows up here, not there.
 */
final class UnitVerifier {
    /** How long a fresh unit may take to show a running MainPID. */
    static final Duration VERIFY_BOUND = Duration.ofSeconds(10);

    private final Supplier<UnitState> show;
    private final Clock clock;
    private final Settings s;
    private final String who;

    UnitVerifier(Supplier<UnitState> show, Clock clock, Settings s, String who) {
        this.who = who;
        this.show = show;
        this.clock = clock;
        this.s = s;
    }

    /** Returns the running MainPID, or throws a one-line failure naming the state and the journalctl command. */
    long verifyRunning(Long oldPid) {
        long start = clock.millis();
        long pause = 10;
        while (true) {
            UnitState st = show.get();
            long elapsed = clock.millis() - start;
            if (!st.installed()) {
                throw HephException.failed("systemd does not know " + s.unit() + " right after starting it"
                        + " (LoadState=" + st.loadState() + "); run `systemctl --user daemon-reload` and heph start");
            }
            if (st.running() && (oldPid == null || st.mainPid() != oldPid)) {
                return settled(st.mainPid());
            }
            if (st.activeState().equals("failed")) {
                throw notRunning(st, who + " failed right after starting");
            }
            if (st.subState().equals("auto-restart")) {
                throw notRunning(st, who + " exited right after starting and systemd will retry it"
                        + " (Restart=always)");
            }
            if (elapsed >= VERIFY_BOUND.toMillis()) {
                String what = st.running() ? who + " still runs as pid " + oldPid + " " + elapsed
                        + " ms after the restart" : who + " is not running " + elapsed + " ms after start";
                throw notRunning(st, what);
            }
            clock.sleep(Duration.ofMillis(pause));
            pause = Math.min(pause * 2, 100);
        }
    }

    private long settled(long pid) {
        if (!s.settle().isZero()) {
            clock.sleep(s.settle());
            UnitState again = show.get();
            if (!again.running() || again.mainPid() != pid) {
                throw notRunning(again, who + " (pid " + pid + ") exited within " + s.settle().toMillis()
                        + " ms of starting");
            }
        }
        return pid;
    }

    private HephException notRunning(UnitState st, String what) {
        return HephException.failed(what + " (state = " + st.activeState() + "/" + st.subState() + ", restarts = "
                + st.nRestarts() + "); see `journalctl --user-unit " + s.unit() + "`");
    }
}
