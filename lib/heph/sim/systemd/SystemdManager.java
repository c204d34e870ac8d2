package heph.sim.systemd;

import heph.sim.Processes;
import heph.sim.SimProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The simulated {@code systemd --user} manager (docs/facts/launchd-facts.md §12): which units it has in memory with their loaded
 * definitions, and their start/stop/restart jobs ({@link SystemdLifecycle} runs the processes). Units are loaded from the unit folder when first
 * referenced and then kept as loaded until {@link #daemonReload}, so an edited file keeps running the old
 * definition. Jobs (start, stop, restart, reload) are serialized by one lock, as systemd runs one job per unit at
 * a time; state reads never wait for a job.
 */
final class SystemdManager {
    /** {@link #start} outcomes other than a service result. */
    static final String NOT_FOUND = "not-found";
    static final String BAD_SETTING = "bad-setting";
    /**
     * Type=simple start returns once the process is forked (§12 MAN-SVC). The fake's documented choice: a main
     * process that exits non-zero (or by a signal) within this many ms counts as a failed start job.
     */
    static final long START_GRACE_MS = 100;

    private final Map<String, SystemdUnit> units = new LinkedHashMap<>();
    private final ReentrantLock jobs = new ReentrantLock(true);
    private final Supplier<Path> unitDir;
    private final SystemdLifecycle life;
    private final Path home;

    SystemdManager(Processes processes, ScheduledExecutorService timers, Path home, Supplier<Path> unitDir,
                   Supplier<Path> runtimeDir, Path logs) {
        this.unitDir = unitDir;
        this.home = home;
        this.life = new SystemdLifecycle(this, processes, timers, home, runtimeDir, logs);
    }

    /** Runs one job (or a verb made of several) with the job lock held. */
    <T> T serialized(Supplier<T> job) {
        jobs.lock();
        try {
            return job.get();
        } finally {
            jobs.unlock();
        }
    }

    /** The unit in memory, loading it from disk when it is not (or only as a not-found stub); null: unknown. */
    synchronized SystemdUnit lookup(String name) {
        SystemdUnit u = units.get(name);
        if (u != null && (u.definition != null || u.running() || u.restartTimer != null)) {
            return u;
        }
        Path file = unitDir.get().resolve(name);
        if (!Files.isRegularFile(file)) {
            return u;
        }
        if (u == null) {
            u = new SystemdUnit(name);
            units.put(name, u);
        }
        load(u, file);
        return u;
    }

    /** §12 SD-WARN: the unit file changed (or vanished) on disk since it was loaded. */
    synchronized boolean needsReload(SystemdUnit u) {
        if (u == null || u.fragment == null) {
            return false;
        }
        try {
            return !Files.getLastModifiedTime(u.fragment).equals(u.fragmentMtime);
        } catch (IOException e) {
            return true;
        }
    }

    /** Re-reads every unit in memory; units whose file is gone become not-found (and are dropped when inactive). */
    synchronized void daemonReload() {
        for (SystemdUnit u : List.copyOf(units.values())) {
            Path file = unitDir.get().resolve(u.name);
            if (Files.isRegularFile(file)) {
                load(u, file);
            } else {
                u.definition = null;
                u.fragment = null;
                u.fragmentMtime = null;
                if (!u.running() && u.restartTimer == null) {
                    units.remove(u.name);
                }
            }
        }
    }

    private void load(SystemdUnit u, Path file) {
        try {
            u.fragmentMtime = Files.getLastModifiedTime(file);
            u.definition = SystemdDefinition.parse(u.name, Files.readString(file), home);
            u.fragment = file;
        } catch (IOException e) {
            u.definition = null;
            u.fragment = null;
        }
    }

    /**
     * A start job: null when the unit is (now) active, else {@link #NOT_FOUND}, {@link #BAD_SETTING} or the
     * service result that failed the job ("exit-code", "signal", "start-limit-hit").
     */
    String start(String name) {
        SystemdUnit u;
        SimProcess p;
        synchronized (this) {
            u = lookup(name);
            if (u == null || u.definition == null) {
                return NOT_FOUND;
            }
            if (!u.loaded()) {
                return BAD_SETTING;
            }
            if (u.running() || u.activeState.equals("active")) {
                return null; // already active: for a oneshot with RemainAfterExit=yes, active/exited
            }
            u.cancelRestart();
            if (!u.admitStart(System.currentTimeMillis())) {
                u.result = "start-limit-hit";
                u.state("failed", "failed");
                return u.result;
            }
            p = life.spawn(u);
            if (p == null) {
                return u.result;
            }
        }
        if (u.definition.oneshot()) {
            // Type=oneshot: the start job lasts until the command exited (systemd.service(5)), and fails with it
            SystemdLifecycle.awaitExit(p, Long.MAX_VALUE);
            life.onExit(u, p);
            synchronized (this) {
                return u.activeState.equals("failed") ? u.result : null;
            }
        }
        try {
            p.exited().get(START_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null; // still running (or interrupted): the job is done, Type=simple
        }
        if (p.signal() == null && p.exitCode() != null && p.exitCode() == 0) {
            return null;
        }
        life.onExit(u, p);
        return p.signal() != null ? "signal" : "exit-code";
    }

    /**
     * A stop job: SIGTERM to the unit's process group (KillMode=control-group), up to TimeoutStopSec for the main
     * process to exit, then SIGKILL (§12 stop phase). False when the unit is not loaded and not active.
     */
    boolean stop(String name) {
        SystemdUnit u;
        SimProcess p;
        long timeoutMs;
        synchronized (this) {
            u = lookup(name);
            if (u == null || (u.definition == null && !u.running() && u.restartTimer == null)) {
                return false;
            }
            if (u.restartTimer != null) {
                u.cancelRestart();
                u.state(u.result.equals("success") ? "inactive" : "failed", u.result.equals("success") ? "dead"
                        : "failed");
            }
            if (!u.running()) {
                if (u.subState.equals("exited")) {
                    u.state("inactive", "dead"); // a oneshot kept active by RemainAfterExit=yes: nothing to kill
                }
                return true;
            }
            p = u.process;
            u.stopping = true;
            u.killedOnTimeout = false;
            u.state("deactivating", "stop-sigterm");
            long micros = u.definition != null ? u.definition.timeoutStopMicros()
                    : SystemdDefinition.DEFAULT_TIMEOUT_STOP_MICROS;
            timeoutMs = micros == SystemdTimespan.INFINITY ? Long.MAX_VALUE : micros / 1000;
            SystemdLifecycle.terminateGroup(p);
        }
        if (!SystemdLifecycle.awaitExit(p, timeoutMs)) {
            synchronized (this) {
                if (u.process == p) {
                    u.killedOnTimeout = true;
                    u.state("deactivating", "stop-sigkill");
                }
            }
            p.killGroup();
            SystemdLifecycle.awaitExit(p, 10_000);
        }
        life.onExit(u, p);
        synchronized (this) {
            u.stopping = false;
        }
        return true;
    }

    /** A restart job: stop when active, then start; returns as {@link #start} does. Synchronous (§12). */
    String restart(String name) {
        synchronized (this) {
            SystemdUnit u = lookup(name);
            if (u == null || u.definition == null) {
                return NOT_FOUND;
            }
            if (!u.loaded()) {
                return BAD_SETTING;
            }
        }
        stop(name);
        return start(name);
    }

    /** reset-failed: a failed unit becomes inactive/dead and its start-rate counter is cleared. */
    synchronized boolean resetFailed(String name) {
        SystemdUnit u = lookup(name);
        if (u == null) {
            return false;
        }
        if (u.activeState.equals("failed")) {
            u.state("inactive", "dead");
        }
        u.result = "success";
        u.starts.clear();
        return true;
    }

    /** The show properties of {@code name} in D-Bus order (a not-found stub when unknown). */
    synchronized Map<String, String> properties(String name, String unitFileState) {
        SystemdUnit u = lookup(name);
        return SystemdShow.properties(name, u, needsReload(u), unitFileState);
    }

    synchronized long mainPid(String name) {
        SystemdUnit u = units.get(name);
        return u != null && u.running() ? u.process.pid : 0;
    }

    Path journal(String name) {
        return life.journal(name);
    }

    synchronized void close() {
        life.close();
        units.values().forEach(SystemdUnit::cancelRestart);
    }
}
