package heph.sim.systemd;

import heph.sim.ProcessGroups;
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
import java.util.function.Supplier;

/**
 * The main processes of the simulated user manager's services: fork with the manager's environment, record how
 * they end, and apply Restart= (auto-restart after RestartSec, NRestarts, the start rate limit). Every state change
 * happens under the {@link SystemdManager}'s lock ({@code lock}); exits arrive on the timer threads.
 */
final class SystemdLifecycle {
    /** The user manager's PATH for its services (systemd's default). */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Deaths systemd counts as clean for a service (SuccessExitStatus default): HUP, INT, PIPE, TERM. */
    private static final List<Integer> CLEAN_SIGNALS = List.of(1, 2, 13, 15);
    private final Object lock;
    private final Processes processes;
    private final ScheduledExecutorService timers;
    private final Path home;
    private final Supplier<Path> runtimeDir;
    private final Path logs;
    private boolean closed;

    SystemdLifecycle(Object lock, Processes processes, ScheduledExecutorService timers, Path home,
                     Supplier<Path> runtimeDir, Path logs) {
        this.lock = lock;
        this.processes = processes;
        this.timers = timers;
        this.home = home;
        this.runtimeDir = runtimeDir;
        this.logs = logs;
    }

    Path journal(String unit) {
        return logs.resolve(unit + ".journal");
    }

    /**
     * Forks the loaded ExecStart (caller holds the lock). On a spawn failure records 203/EXEC (200/CHDIR), applies
     * Restart= and returns null.
     */
    SimProcess spawn(SystemdUnit u) {
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
            u.state(d.oneshot() ? "activating" : "active", d.oneshot() ? "start" : "running");
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
    void onExit(SystemdUnit u, SimProcess p) {
        synchronized (lock) {
            if (u.process != p) {
                return;
            }
            u.process = null;
            u.execMainExitMs = System.currentTimeMillis();
            Integer signal = p.signal();
            u.execMainCode = signal != null ? 2 : 1; // CLD_KILLED : CLD_EXITED
            u.execMainStatus = signal != null ? signal : p.exitCode() == null ? 0 : p.exitCode();
            boolean clean = signal != null ? CLEAN_SIGNALS.contains(signal) : u.execMainStatus == 0;
            if (u.stopping) {
                u.result = u.killedOnTimeout ? "timeout" : clean ? "success" : signal != null ? "signal"
                        : "exit-code";
                boolean ok = u.result.equals("success");
                u.state(ok ? "inactive" : "failed", ok ? "dead" : "failed");
                return;
            }
            afterExit(u, clean, signal != null);
        }
    }

    /** An exit nobody asked for: Restart= decides between auto-restart (after RestartSec) and dead/failed. */
    private void afterExit(SystemdUnit u, boolean clean, boolean signal) {
        u.result = clean ? "success" : signal ? "signal" : "exit-code";
        if (!closed && u.loaded() && u.definition.restartsAfter(clean, signal)) {
            u.state("activating", "auto-restart");
            u.restartTimer = timers.schedule(() -> autoRestart(u), u.definition.restartMicros(),
                    TimeUnit.MICROSECONDS);
        } else if (clean && u.loaded() && u.definition.oneshot() && u.definition.remainAfterExit()) {
            u.state("active", "exited"); // RemainAfterExit=yes: active with no process until stopped
        } else {
            u.state(clean ? "inactive" : "failed", clean ? "dead" : "failed");
        }
    }

    private void autoRestart(SystemdUnit u) {
        synchronized (lock) {
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
    }

    void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    /** KillMode=control-group: SIGTERM to the main process and every other member of its group. */
    static void terminateGroup(SimProcess p) {
        p.terminate();
        if (p.ownGroup) {
            for (long pid : ProcessGroups.members(p.pid)) {
                if (pid != p.pid) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                }
            }
        }
    }

    static boolean awaitExit(SimProcess p, long ms) {
        try {
            p.exited().get(ms, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !p.alive();
        }
    }
}
