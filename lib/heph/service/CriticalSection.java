package heph.service;

import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import heph.proc.Signals;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The reload path must not be abandoned: a Ctrl-C between launchd's bootout and bootstrap would leave hephd
 * unloaded, and one between systemd's unit write, daemon-reload, restart, verification and put-back would leave it
 * crash-looping on a broken definition. Both backends run that path inside a section.
 * While {@link #deferSignals} is on (the CLI turns it on; library users decide for themselves), SIGINT, SIGTERM and
 * SIGHUP that arrive inside the section are held until the section ends, then heph exits with 128 + signal.
 * <p>
 * A Ctrl-C in a terminal reaches the whole foreground process group, so the launchctl or systemctl call in flight
 * dies of it too.
 * {@link #rerunKilledCalls} wraps the runner so that, inside the section, such a call is run again: every launchctl
 * verb heph uses is safe to repeat (a repeated bootstrap answers "already loaded", which bootstrap-with-retry
 * checks with print; a repeated bootout answers 0 or 3, both accepted), and so is every systemctl verb heph runs
 * there (daemon-reload, reset-failed, enable --now, restart: a repeated restart is one more restart, which the
 * verification then checks).
 */
public final class CriticalSection {
    /** How often one call killed by a deferred signal is run again. */
    static final int RERUNS = 2;
    private static final List<String> DEFERRED = List.of("INT", "TERM", "HUP");
    private static final Set<Integer> KILLED_BY_DEFERRED = Set.of(129, 130, 143); // 128 + HUP, INT, TERM
    private static volatile boolean deferSignals;
    private static volatile boolean inside;

    private CriticalSection() {
    }

    public static void deferSignals(boolean on) {
        deferSignals = on;
    }

    public static <T> T run(Settings s, Supplier<T> body) {
        return run(s, "hephd", body);
    }

    /** As {@link #run(Settings, Supplier)}, messages naming the job {@code who} (hephd, or an agent's label). */
    public static <T> T run(Settings s, String who, Supplier<T> body) {
        if (!deferSignals) {
            return body.get();
        }
        AtomicReference<String> caught = new AtomicReference<>();
        T result;
        try (Signals.Trap trap = Signals.trap(DEFERRED, sig -> {
            caught.compareAndSet(null, sig);
            s.say("got SIG" + sig + " during the reload; finishing it first so " + who + " is not left down");
        })) {
            inside = true;
            result = body.get();
        } finally {
            inside = false;
        }
        String sig = caught.get();
        if (sig != null) {
            s.say("reload finished; exiting on SIG" + sig);
            System.exit(Signals.exitStatus(sig));
        }
        return result;
    }

    /**
     * {@code runner}, except that inside a section with deferred signals a command that died of SIGINT, SIGTERM or
     * SIGHUP (exit 128 + N as Java reports it) is run again, up to {@link #RERUNS} times, and {@code say} is told.
     */
    public static ProcessRunner rerunKilledCalls(ProcessRunner runner, Settings s) {
        return (argv, timeout) -> {
            ExecResult r = runner.run(argv, timeout);
            for (int i = 0; i < RERUNS && inside && KILLED_BY_DEFERRED.contains(r.exitCode()); i++) {
                s.say("'" + r.commandLine() + "' was killed by the signal (exit " + r.exitCode() + "); running it"
                        + " again");
                r = runner.run(argv, timeout);
            }
            return r;
        };
    }
}
