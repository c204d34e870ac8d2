package heph.sim.launchd;

import heph.sim.Knobs;
import heph.sim.Processes;
import heph.sim.SimProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The simulated gui/&lt;uid&gt; domain: which labels are registered and the life cycle of their processes
 * (docs/facts/launchd-facts.md §1, §2, §4, §9). One lock guards all jobs; process exits arrive on the timer threads.
 */
public final class LaunchdDomain {
    /** Outcome of {@link #bootstrap}. */
    enum Bootstrapped { OK, LOADED, DRAINING }

    /** Outcome of {@link #kickstart}: code 0 (pid of the new or running process), 113 (not found) or a failure. */
    record Kick(int code, long pid) {
    }

    private final Map<String, Job> jobs = new LinkedHashMap<>();
    /** When each label left the domain (epoch ms), in order: the moment a bootstrap can succeed again. */
    private final Map<String, List<Long>> removals = new LinkedHashMap<>();
    private final Processes processes;
    private final ScheduledExecutorService timers;
    private final Knobs knobs;
    private final Path home;
    private boolean closed;

    public LaunchdDomain(Processes processes, ScheduledExecutorService timers, Knobs knobs, Path home) {
        this.processes = processes;
        this.timers = timers;
        this.knobs = knobs;
        this.home = home;
    }

    /** §1: registers the label (refused while loaded or still draining) and starts it if RunAtLoad/KeepAlive. */
    synchronized Bootstrapped bootstrap(ImportedPlist spec) {
        Job existing = jobs.get(spec.label());
        if (existing != null) {
            return existing.bootingOut ? Bootstrapped.DRAINING : Bootstrapped.LOADED;
        }
        Job job = new Job(spec);
        jobs.put(spec.label(), job);
        if (spec.startsAtLoad()) {
            spawn(job);
        }
        return Bootstrapped.OK;
    }

    /**
     * §2: returns at once. SIGTERM now, SIGKILL after ExitTimeOut; the label stays (SIGTERMed/SIGKILLed) until the
     * process is reaped plus the cleanup lag. A job without a live process is removed at once. False if unknown.
     */
    synchronized boolean bootout(String label) {
        Job job = jobs.get(label);
        if (job == null) {
            return false;
        }
        if (job.bootingOut) {
            return true;
        }
        job.bootingOut = true;
        job.cancelTimers();
        SimProcess p = job.process;
        if (p == null || !p.alive()) {
            jobs.remove(label);
            recordRemoval(label);
            return true;
        }
        job.state = Job.State.SIGTERMED;
        p.terminate();
        int timeout = job.spec.exitTimeOutSec();
        if (timeout > 0) {
            job.killTimer = timers.schedule(() -> sigkill(job, p), timeout, TimeUnit.SECONDS);
        }
        return true;
    }

    /**
     * §2 with {@code --wait} (macOS 26): as {@link #bootout}, then blocks until the label is gone (the process
     * reaped and the cleanup lag over) or the simulator closes. False if unknown.
     */
    synchronized boolean bootoutAndWait(String label) {
        Job job = jobs.get(label);
        if (job == null || !bootout(label)) {
            return false;
        }
        while (jobs.get(label) == job && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return true;
    }

    /**
     * §4: unknown or draining -> 113; not running -> spawn now (a scheduled respawn is skipped); running -> its pid,
     * or with {@code kill}: SIGTERM to the process, SIGKILL after its ExitTimeOut (print-07: {@code last terminating
     * signal = Terminated: 15}), the reap, a fresh spawn. With {@link Knobs#kickstartAsync} it returns right after
     * the SIGTERM (pid 0) and the old process's exit spawns the successor; else it returns once that is spawned.
     */
    Kick kickstart(String label, boolean kill) {
        SimProcess victim;
        int exitTimeOut;
        synchronized (this) {
            Job job = jobs.get(label);
            if (job == null || job.bootingOut) {
                return new Kick(113, 0);
            }
            SimProcess p = job.process;
            exitTimeOut = job.spec.exitTimeOutSec();
            if (job.restarting != null) {
                victim = job.restarting;
            } else if (p != null && p.alive()) {
                if (!kill) {
                    return new Kick(0, p.pid);
                }
                victim = p;
                job.restarting = p;
                job.cancelTimers();
                p.terminate();
                if (exitTimeOut > 0) {
                    job.killTimer = timers.schedule(() -> kickKill(job, p), exitTimeOut, TimeUnit.SECONDS);
                }
                if (knobs.kickstartAsync()) {
                    job.respawnOnExit = true;
                    return new Kick(0, 0);
                }
            } else {
                job.cancelTimers();
                return spawnNow(job);
            }
            if (job.respawnOnExit) {
                return new Kick(0, 0); // a second kickstart -k while an asynchronous one is under way
            }
        }
        try {
            victim.exited().get(exitTimeOut > 0 ? exitTimeOut + 10L : 3600L, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new Kick(5, 0);
        }
        synchronized (this) {
            Job job = jobs.get(label);
            if (job == null || job.bootingOut || closed) {
                return new Kick(113, 0);
            }
            if (job.process == victim) {
                recordExit(job, victim);
            }
            job.restarting = null;
            if (job.process != null && job.process.alive()) {
                return new Kick(0, job.process.pid);
            }
            job.cancelTimers();
            return spawnNow(job);
        }
    }

    public synchronized Optional<ServicePrinter.View> view(String label) {
        return Optional.ofNullable(jobs.get(label)).map(Job::view);
    }

    synchronized List<ServicePrinter.View> views() {
        return jobs.values().stream().map(Job::view).toList();
    }

    /** The pid of the label's live process (also while it is being booted out). */
    public synchronized OptionalLong runningPid(String label) {
        Job job = jobs.get(label);
        return job != null && job.process != null && job.process.alive() ? OptionalLong.of(job.process.pid)
                : OptionalLong.empty();
    }

    public synchronized void close() {
        closed = true;
        jobs.values().forEach(Job::cancelTimers);
        notifyAll();
    }

    private Kick spawnNow(Job job) {
        spawn(job);
        return job.process != null ? new Kick(0, job.process.pid) : new Kick(5, 0);
    }

    private void spawn(Job job) {
        if (closed) {
            return;
        }
        job.runs++;
        String failure = knobs.spawnFailureReason();
        if (failure != null) {
            // Knobs#spawnFailureReason (e.g. OS_REASON_CODESIGNING): no process; print shows the reason instead of
            // an exit code, and `job state = spawn failed` (INDEX.md section D, print-43)
            job.process = null;
            job.lastExitCode = null;
            job.lastSignal = null;
            job.lastExitReason = failure;
            job.jobState = "spawn failed";
            if (!job.spec.respawns(false)) {
                job.state = Job.State.NOT_RUNNING;
                return;
            }
            job.state = Job.State.SPAWN_SCHEDULED; // throttled, never at once (ThrottleInterval 0 would spin)
            job.respawn = timers.schedule(() -> respawn(job), Math.max(1000L, job.spec.throttleIntervalSec() * 1000L),
                    TimeUnit.MILLISECONDS);
            return;
        }
        ImportedPlist s = job.spec;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", ServicePrinter.DEFAULT_PATH);
        // Documented deviation: the simulator gives every job HOME = the home it serves (home/), so a daemon's
        // default paths (~/.local/share/heph/...) land inside the simulator's folder. A plist's own HOME wins.
        env.put("HOME", home.toString());
        env.putAll(s.environment());
        env.put("XPC_SERVICE_NAME", s.label());
        Path cwd = Path.of(s.workingDirectory() == null ? "/" : s.workingDirectory());
        try {
            SimProcess p = processes.start(s.label(), s.arguments(), env, cwd, file(s.stdoutPath(), cwd),
                    file(s.stderrPath(), cwd), !s.abandonProcessGroup(), knobs.createsLogFolders());
            job.process = p;
            long xpcproxy = knobs.xpcproxyMs();
            if (xpcproxy > 0) {
                // §13: `state = xpcproxy` for a short while after each spawn, before `running`
                job.state = Job.State.XPCPROXY;
                timers.schedule(() -> proxied(job, p), xpcproxy, TimeUnit.MILLISECONDS);
            } else {
                job.state = Job.State.RUNNING;
            }
            p.exited().thenRunAsync(() -> onExit(job, p), timers);
        } catch (IOException e) {
            // §11/§13: a job that cannot be spawned (missing WorkingDirectory, a log folder that is missing — unless
            // Knobs#createsLogFolders — or not writable) exits 78 EX_CONFIG, without a process
            job.process = null;
            job.lastExitCode = 78;
            job.lastSignal = null;
            job.lastExitReason = null;
            job.jobState = "spawn failed"; // print-43: `last exit code = 78: EX_CONFIG`, `job state = spawn failed`
            afterExit(job, 0, false);
        }
    }

    private static Path file(String path, Path cwd) {
        return path == null ? null : cwd.resolve(path);
    }

    private synchronized void onExit(Job job, SimProcess p) {
        if (job.process != p) {
            return;
        }
        recordExit(job, p);
        if (closed) {
            return;
        }
        if (job.bootingOut) {
            job.restarting = null;
            long lag = knobs.nextCleanupLagMs();
            job.removal = timers.schedule(() -> remove(job), lag, TimeUnit.MILLISECONDS);
            return;
        }
        if (job.restarting == p) {
            if (job.respawnOnExit) { // kickstart -k returned before the respawn: the exit spawns the successor
                job.restarting = null;
                job.respawnOnExit = false;
                job.cancelTimers();
                spawn(job);
            }
            return; // else kickstart -k spawns the successor itself
        }
        afterExit(job, p.runtimeMs(), p.exitCode() != null && p.exitCode() == 0);
    }

    private void recordExit(Job job, SimProcess p) {
        job.process = null;
        if (job.killTimer != null) {
            job.killTimer.cancel(false);
            job.killTimer = null;
        }
        job.lastExitReason = null;
        job.jobState = "exited"; // print-02/-41
        if (p.signal() != null) {
            job.lastSignal = p.signal();
        } else {
            job.lastExitCode = p.exitCode();
            job.lastSignal = null;
        }
        if (!job.bootingOut) {
            job.state = Job.State.NOT_RUNNING;
        }
    }

    /** §9 ThrottleInterval: respawn at once if it ran >= the interval, else pushed out by (interval - runtime). */
    private void afterExit(Job job, long runtimeMs, boolean cleanExit) {
        if (!job.spec.respawns(cleanExit)) {
            job.state = Job.State.NOT_RUNNING;
            return;
        }
        long delay = job.spec.throttleIntervalSec() * 1000L - runtimeMs;
        if (delay <= 0) {
            spawn(job);
            return;
        }
        job.state = Job.State.SPAWN_SCHEDULED;
        job.respawn = timers.schedule(() -> respawn(job), delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void respawn(Job job) {
        if (!closed && jobs.get(job.label()) == job && !job.bootingOut && job.state == Job.State.SPAWN_SCHEDULED) {
            job.respawn = null;
            spawn(job);
        }
    }

    private synchronized void proxied(Job job, SimProcess p) {
        if (job.process == p && job.state == Job.State.XPCPROXY && p.alive()) {
            job.state = Job.State.RUNNING;
        }
    }

    /** kickstart -k: the old process outlived its ExitTimeOut after SIGTERM (§9 teardown applies here too). */
    private synchronized void kickKill(Job job, SimProcess p) {
        if (job.restarting == p && p.alive()) {
            p.kill();
        }
    }

    private synchronized void sigkill(Job job, SimProcess p) {
        if (job.process == p && p.alive()) {
            job.state = Job.State.SIGKILLED;
            p.kill();
        }
    }

    private synchronized void remove(Job job) {
        if (jobs.get(job.label()) == job) {
            jobs.remove(job.label());
            recordRemoval(job.label());
        }
        notifyAll(); // bootout --wait returns
    }

    /** When {@code label} left the domain after each bootout (epoch ms, the clock of the recorded calls). */
    public synchronized List<Long> removals(String label) {
        return List.copyOf(removals.getOrDefault(label, List.of()));
    }

    private void recordRemoval(String label) {
        removals.computeIfAbsent(label, l -> new java.util.ArrayList<>()).add(System.currentTimeMillis());
    }
}
