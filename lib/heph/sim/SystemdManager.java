package heph.sim;

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
 * The simulated {@code systemd --user} manager (launchd-facts §12): which units it has in memory with their loaded
 * definitions, and the life cycle of their main processes. Units are loaded from the unit folder when first
 * referenced and then kept as loaded until {@link #daemonReload}, so an edited file keeps running the old
 * definition. Jobs (start, stop, restart, reload) are serialized by one lock, as systemd runs one job per unit at
 * a time; state reads never wait for a job. Process exits arrive on the timer threads.
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
    /** The user manager's PATH for its services (systemd's default). */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final List<Integer> CLEAN_SIGNALS = List.of(1, 2, 13, 15); // HUP INT PIPE TERM

    private final Map<String, SystemdUnit> units = new LinkedHashMap<>();
    private final ReentrantLock jobs = new ReentrantLock(true);
    private final Processes processes;
    private final ScheduledExecutorService timers;
    private final Path home;
    private final Supplier<Path> unitDir;
    private final Supplier<Path> runtimeDir;
    private final Path logs;
    private boolean closed;

    SystemdManager(Processes processes, ScheduledExecutorService timers, Path home, Supplier<Path> unitDir,
                   Supplier<Path> runtimeDir, Path logs) {
        this.processes = processes;
        this.timers = timers;
        this.home = home;
        this.unitDir = unitDir;
        this.runtimeDir = runtimeDir;
        this.logs = logs;
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
            u.definition = SystemdDefinition.parse(u.name, Files.readString(file));
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
            if (u.running()) {
                return null;
            }
            u.cancelRestart();
            if (!u.admitStart(System.currentTimeMillis())) {
                u.result = "start-limit-hit";
                u.state("failed", "failed");
                return u.result;
            }
            p = spawn(u);
            if (p == null) {
                return u.result;
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
        onExit(u, p);
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
                return true;
            }
            p = u.process;
            u.stopping = true;
            u.killedOnTimeout = false;
            u.state("deactivating", "stop-sigterm");
            long micros = u.definition != null ? u.definition.timeoutStopMicros()
                    : SystemdDefinition.DEFAULT_TIMEOUT_STOP_MICROS;
            timeoutMs = micros == SystemdTimespan.INFINITY ? Long.MAX_VALUE : micros / 1000;
            terminateGroup(p);
        }
        if (!awaitExit(p, timeoutMs)) {
            synchronized (this) {
                if (u.process == p) {
                    u.killedOnTimeout = true;
                    u.state("deactivating", "stop-sigkill");
                }
            }
            p.killGroup();
            awaitExit(p, 10_000);
        }
        onExit(u, p);
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

    synchronized String activeState(String name) {
        SystemdUnit u = lookup(name);
        return u == null ? null : u.activeState;
    }

    synchronized long mainPid(String name) {
        SystemdUnit u = units.get(name);
        return u != null && u.running() ? u.process.pid : 0;
    }

    Path journal(String name) {
        return logs.resolve(name + ".journal");
    }

    synchronized void close() {
        closed = true;
        units.values().forEach(SystemdUnit::cancelRestart);
    }

    /** Forks the loaded ExecStart; on a spawn failure records 203/EXEC (200/CHDIR) and applies Restart=. */
    private SimProcess spawn(SystemdUnit u) {
        SystemdDefinition d = u.definition;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        env.put("HOME", home.toString());
        Path runtime = runtimeDir.get();
        if (runtime != null) {
            env.put("XDG_RUNTIME_DIR", runtime.toString());
        }
        env.putAll(d.environment());
        Path cwd = workingDirectory(d);
        u.execMainStartMs = System.currentTimeMillis();
        u.execMainExitMs = 0;
        u.execMainCode = 0;
        u.execMainStatus = 0;
        u.result = "success";
        try {
            SimProcess p = processes.start(u.name, d.execStart(), env, cwd, journal(u.name), journal(u.name), true);
            u.process = p;
            u.execMainPid = p.pid;
            u.state("active", "running");
            p.exited().thenRunAsync(() -> onExit(u, p), timers);
            return p;
        } catch (IOException e) {
            u.process = null;
            u.execMainPid = 0;
            u.execMainExitMs = System.currentTimeMillis();
            u.execMainCode = 1;
            u.execMainStatus = Files.isDirectory(cwd) ? 203 : 200;
            afterExit(u, false, false);
            return null;
        }
    }

    private Path workingDirectory(SystemdDefinition d) {
        String w = d.workingDirectory();
        if (w == null || w.equals("~") || w.equals("-~")) {
            return home; // systemd.exec(5): a user manager's services default to the user's home
        }
        return Path.of(w.startsWith("-") ? w.substring(1) : w);
    }

    /** Records how the main process ended, then applies the stop job's or Restart='s consequences. Idempotent. */
    private synchronized void onExit(SystemdUnit u, SimProcess p) {
        if (u.process != p) {
            return;
        }
        u.process = null;
        u.execMainExitMs = System.currentTimeMillis();
        Integer signal = p.signal();
        u.execMainCode = signal != null ? 2 : 1;
        u.execMainStatus = signal != null ? signal : p.exitCode() == null ? 0 : p.exitCode();
        boolean clean = signal != null ? CLEAN_SIGNALS.contains(signal) : u.execMainStatus == 0;
        if (u.stopping) {
            u.result = u.killedOnTimeout ? "timeout" : clean ? "success" : signal != null ? "signal" : "exit-code";
            boolean ok = u.result.equals("success");
            u.state(ok ? "inactive" : "failed", ok ? "dead" : "failed");
            return;
        }
        afterExit(u, clean, signal != null);
    }

    /** An exit nobody asked for: Restart= decides between auto-restart (after RestartSec) and dead/failed. */
    private void afterExit(SystemdUnit u, boolean clean, boolean signal) {
        u.result = clean ? "success" : signal ? "signal" : "exit-code";
        if (!closed && u.loaded() && u.definition.restartsAfter(clean, signal)) {
            u.state("activating", "auto-restart");
            u.restartTimer = timers.schedule(() -> autoRestart(u), u.definition.restartMicros(),
                    TimeUnit.MICROSECONDS);
        } else {
            u.state(clean ? "inactive" : "failed", clean ? "dead" : "failed");
        }
    }

    private synchronized void autoRestart(SystemdUnit u) {
        if (closed || u.restartTimer == null || !u.subState.equals("auto-restart")) {
            return;
        }
        u.restartTimer = null;
        if (!u.loaded() || !u.admitStart(System.currentTimeMillis())) {
            u.result = u.loaded() ? "start-limit-hit" : u.result;
            u.state("failed", "failed");
            return;
        }
        u.nRestarts++;
        spawn(u);
    }

    private static void terminateGroup(SimProcess p) {
        p.terminate();
        if (p.ownGroup) {
            for (long pid : ProcessGroups.members(p.pid)) {
                if (pid != p.pid) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                }
            }
        }
    }

    private static boolean awaitExit(SimProcess p, long ms) {
        try {
            p.exited().get(ms, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !p.alive();
        }
    }
}
