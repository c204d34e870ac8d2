package heph.sim.systemd;

import heph.sim.SimProcess;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledFuture;

/**
 * One unit the simulated user manager has in memory, mutable; guarded by its {@link SystemdManager}'s lock.
 * {@code definition} is the loaded snapshot (null: LoadState=not-found); {@code fragmentMtime} is the unit file's
 * mtime at load time, which is what NeedDaemonReload compares against (docs/facts/launchd-facts.md §12 SD-WARN).
 */
final class SystemdUnit {
    final String name;
    SystemdDefinition definition;
    Path fragment;
    FileTime fragmentMtime;
    String activeState = "inactive";
    String subState = "dead";
    String result = "success";
    SimProcess process;
    long execMainStartMs;
    long execMainExitMs;
    long execMainPid;
    /** CLD_EXITED (1) or CLD_KILLED (2); 0 before the first exit. */
    int execMainCode;
    int execMainStatus;
    int nRestarts;
    /** A stop job is running: the main process's exit is expected and must not trigger Restart=. */
    boolean stopping;
    /** The stop job gave up waiting and sent SIGKILL (Result=timeout). */
    boolean killedOnTimeout;
    ScheduledFuture<?> restartTimer;
    final Deque<Long> starts = new ArrayDeque<>();

    SystemdUnit(String name) {
        this.name = name;
    }

    String loadState() {
        if (definition == null) {
            return "not-found";
        }
        return definition.loaded() ? "loaded" : "bad-setting";
    }

    boolean loaded() {
        return definition != null && definition.loaded();
    }

    boolean running() {
        return process != null && process.alive();
    }

    void state(String active, String sub) {
        activeState = active;
        subState = sub;
    }

    void cancelRestart() {
        if (restartTimer != null) {
            restartTimer.cancel(false);
            restartTimer = null;
        }
    }

    /**
     * systemd's start rate limit (StartLimitBurst= starts per StartLimitIntervalSec=): records this start attempt,
     * or returns false when it is one too many (Result=start-limit-hit).
     */
    boolean admitStart(long nowMs) {
        SystemdDefinition d = definition;
        if (d.startLimitBurst() <= 0 || d.startLimitIntervalMicros() <= 0) {
            return true;
        }
        long windowMs = d.startLimitIntervalMicros() / 1000;
        while (!starts.isEmpty() && nowMs - starts.peekFirst() >= windowMs) {
            starts.removeFirst();
        }
        if (starts.size() >= d.startLimitBurst()) {
            return false;
        }
        starts.addLast(nowMs);
        return true;
    }
}
