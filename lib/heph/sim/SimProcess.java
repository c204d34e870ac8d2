package heph.sim;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One real daemon process started by {@link Processes}: the leader of its own process group. {@link #exited()}
 * completes only after the process was reaped, its end recorded and (unless the job abandons its group) what was
 * left of its group SIGKILLed, as launchd does on reap.
 */
public final class SimProcess {
    final String label;
    public final long pid;
    final List<String> argv;
    final long startMs;
    final Process process;
    public final boolean ownGroup;
    private final CompletableFuture<SimProcess> exited = new CompletableFuture<>();
    private volatile long endMs = -1;
    private volatile int exitCode = -1;
    private volatile int signal;

    SimProcess(String label, Process process, List<String> argv, long startMs, boolean ownGroup) {
        this.label = label;
        this.process = process;
        this.pid = process.pid();
        this.argv = List.copyOf(argv);
        this.startMs = startMs;
        this.ownGroup = ownGroup;
    }

    public CompletableFuture<SimProcess> exited() {
        return exited;
    }

    public boolean alive() {
        return endMs < 0;
    }

    /** SIGTERM to the process only (launchd's first step of bootout, §2 "Teardown mechanics"). */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL to the process only (ExitTimeOut expired, §9). */
    public void kill() {
        process.destroyForcibly();
    }

    /** SIGKILL to the whole process group (kickstart -k, §4 KIRO-1562). */
    public void killGroup() {
        if (ownGroup) {
            ProcessGroups.killGroup(pid);
        } else {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Called once the process was reaped: records how it ended, clears its group, completes {@link #exited}. */
    void reaped(boolean killLeftovers) {
        int v = process.exitValue();
        if (v > 128 && v <= 128 + 64) {
              signal = v - 128;
        } else {
              exitCode = v;
        }
        endMs = System.currentTimeMillis();
        if (killLeftovers && ownGroup) {
            ProcessGroups.killGroup(pid);
        }
        exited.complete(this);
    }

    /** Exit status of a normal exit, else null. */
    public Integer exitCode() {
        return alive() || signal > 0 ? null : exitCode;
    }

    /** Terminating signal, else null. */
    public Integer signal() {
        return signal > 0 ? signal : null;
    }

    public long runtimeMs() {
        return (alive() ? System.currentTimeMillis() : endMs) - startMs;
    }

    Spawn snapshot() {
        return new Spawn(label, pid, argv, startMs, endMs, signal > 0 ? -1 : (alive() ? -1 : exitCode), signal);
    }
}
