package heph.launchd;

import heph.proc.Signals;
import heph.service.Settings;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The reload path between bootout and bootstrap must not be abandoned: a Ctrl-C there would leave hephd unloaded.
 * While {@link #deferSignals} is on (the CLI turns it on; library users decide for themselves), SIGINT and SIGTERM
 * that arrive inside the section are held until the section ends, then heph exits with 128 + signal.
 */
public final class CriticalSection {
    private static volatile boolean deferSignals;

    private CriticalSection() {
    }

    public static void deferSignals(boolean on) {
        deferSignals = on;
    }

    public static <T> T run(Settings s, Supplier<T> body) {
        if (!deferSignals) {
            return body.get();
        }
        AtomicReference<String> caught = new AtomicReference<>();
        T result;
        try (Signals.Trap trap = Signals.trap(List.of("INT", "TERM"), sig -> {
            caught.compareAndSet(null, sig);
            s.say("got SIG" + sig + " during the reload; finishing it first so hephd is not left down");
        })) {
            result = body.get();
        }
        String sig = caught.get();
        if (sig != null) {
            s.say("reload finished; exiting on SIG" + sig);
            System.exit(Signals.exitStatus(sig));
        }
        return result;
    }
}
