package heph.sim.launchd;

import heph.sim.SimProcess;
import java.util.concurrent.ScheduledFuture;

/** One registered label in the simulated gui domain, mutable; guarded by its {@link LaunchdDomain}'s lock. */
final class Job {
    /** The §3 state enum values the simulator uses. */
    enum State {
        NOT_RUNNING("not running"), SPAWN_SCHEDULED("spawn scheduled"), XPCPROXY("xpcproxy"), RUNNING("running"),
        SIGTERMED("SIGTERMed"), SIGKILLED("SIGKILLed");

        final String text;

        State(String text) {
            this.text = text;
        }
    }

    final ImportedPlist spec;
    State state = State.NOT_RUNNING;
    SimProcess process;
    int runs;
    Integer lastExitCode;
    Integer lastSignal;
    /** {@code last exit reason} of a spawn that failed (Knobs#spawnFailureReason); replaces the exit code line. */
    String lastExitReason;
    /** print's {@code job state}: "" before the first spawn, then running, exited or spawn failed. */
    String jobState = "";
    /** bootout was requested: no respawn; the label goes away after reap + cleanup lag. */
    boolean bootingOut;
    /** The process kickstart -k is killing; its exit must not trigger a KeepAlive respawn. */
    SimProcess restarting;
    /** kickstart -k returned before the respawn (Knobs#kickstartAsync): the exit of {@link #restarting} spawns. */
    boolean respawnOnExit;
    ScheduledFuture<?> respawn;
    ScheduledFuture<?> killTimer;
    ScheduledFuture<?> removal;

    Job(ImportedPlist spec) {
        this.spec = spec;
    }

    String label() {
        return spec.label();
    }

    void cancelTimers() {
        for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {respawn, killTimer, removal}) {
            if (f != null) {
                f.cancel(false);
            }
        }
        respawn = null;
        killTimer = null;
        removal = null;
    }

    ServicePrinter.View view() {
        long pid = process != null && process.alive() ? process.pid : 0;
        return new ServicePrinter.View(spec, state.text, pid, runs, lastExitCode, lastSignal, lastExitReason,
                pid > 0 ? "running" : jobState);
    }
}
