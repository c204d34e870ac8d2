package heph.systemd;

import heph.HephException;
import heph.service.Settings;
import heph.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * After start and restart: the unit is active/running with a MainPID different from the old one, and then watched
 * for a window in which the MainPID must stay the same and NRestarts must not grow. systemctl's start/restart return
 * once a Type=simple process is forked (docs/facts/launchd-facts.md §12), so a binary that exits at once shows up here, not there;
 * one that dies a little later, restarted by {@code Restart=always} after {@code RestartSec}, shows up only if the
 * window outlasts RestartSec: it is RestartSec + 1 s, at least the settle and at most {@link #WATCH_MAX}. The env
 * variable {@value #SETTLE_ENV} (the CLI reads it into the settle) sets the window exactly — the tests against the
 * systemctl fake use it to stay fast; 0 turns the watch off.
 */
final class UnitVerifier {
    /** How long a fresh unit may take to show a running MainPID. */
    static final Duration VERIFY_BOUND = Duration.ofSeconds(10);
    /** The longest watch after a start: a crash loop with a longer RestartSec is beyond a start's verification. */
    static final Duration WATCH_MAX = Duration.ofSeconds(3);
    /** Sets the watch window exactly, in milliseconds (see the class comment). */
    public static final String SETTLE_ENV = "HEPH_SETTLE";
    private static final Duration POLL = Duration.ofMillis(100);

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

    /**
     * Returns the running MainPID (0 for a Type=oneshot unit that ran and exited 0, with RemainAfterExit=yes or
     * without: systemctl start already waited for it), or throws a one-line failure naming the state and the journalctl command. */
    long verifyRunning(Long oldPid) {
        return verifyRunning(oldPid, null);
    }

    /**
     * As {@link #verifyRunning(Long)}, watching for RestartSec + 1 s ({@code restartSec} from the unit being
     * started; null: systemd's default, 100 ms) bounded as the class comment says.
     */
    long verifyRunning(Long oldPid, Duration restartSec) {
        long start = clock.millis();
        long pause = 10;
        while (true) {
            UnitState st = show.get();
            long elapsed = clock.millis() - start;
            if (!st.installed()) {
                throw HephException.failed("systemd does not know " + s.unit() + " right after starting it"
                        + " (LoadState=" + st.loadState() + "); run `systemctl --user daemon-reload` and heph start");
            }
            if (st.oneshot()) { // systemctl start returned after the command: its state is final
                if (st.oneshotDone()) {
                    return 0;
                }
                if (st.activeState().equals("failed")) {
                    throw notRunning(st, who + " (Type=oneshot) failed: " + oneshotEnd(st));
                }
            }
            if (st.running() && (oldPid == null || st.mainPid() != oldPid)) {
                return settled(st, window(restartSec));
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

    /** The watch: exactly the settle when {@value #SETTLE_ENV} gave it, else RestartSec + 1 s within bounds. */
    Duration window(Duration restartSec) {
        Duration settle = s.settle();
        if (settle.isZero() || s.env().containsKey(SETTLE_ENV)) {
            return settle;
        }
        Duration wanted = (restartSec == null ? Duration.ofMillis(100) : restartSec).plusSeconds(1);
        Duration atLeast = wanted.compareTo(settle) < 0 ? settle : wanted;
        return atLeast.compareTo(WATCH_MAX) > 0 ? (settle.compareTo(WATCH_MAX) > 0 ? settle : WATCH_MAX) : atLeast;
    }

    private long settled(UnitState first, Duration window) {
        long pid = first.mainPid();
        long restarts = first.nRestarts();
        long start = clock.millis();
        // a settle given exactly ({@value #SETTLE_ENV}) is one look after it; the RestartSec watch polls
        long poll = s.env().containsKey(SETTLE_ENV) ? window.toMillis() : POLL.toMillis();
        while (true) {
            long left = window.toMillis() - (clock.millis() - start);
            if (left <= 0) {
                return pid;
            }
            clock.sleep(Duration.ofMillis(Math.min(left, poll)));
            UnitState again = show.get();
            if (!again.running() || again.mainPid() != pid || again.nRestarts() > restarts) {
                throw notRunning(again, who + " (pid " + pid + ") exited within " + window.toMillis()
                        + " ms of starting");
            }
        }
    }

    /** How a oneshot's command ended: "exited with status N", "was killed by signal N", or systemd's Result. */
    static String oneshotEnd(UnitState st) {
        String last = st.lastExit();
        if (last == null) {
            return "Result=" + st.result();
        }
        return last.startsWith("signal ") ? "ExecStart was killed by " + last : "ExecStart exited with status " + last;
    }

    private HephException notRunning(UnitState st, String what) {
        return HephException.failed(what + " (state = " + st.activeState() + "/" + st.subState() + ", restarts = "
                + st.nRestarts() + "); see `journalctl --user-unit " + s.unit() + "`");
    }
}
