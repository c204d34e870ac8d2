package heph.service;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One updating line on stderr while heph waits, on a terminal only: {@code heph: waiting for launchd to let go of
 * org.hephaestus.hephd… 1.8 s}, shown once a wait has lasted a second, redrawn every 100 ms, erased when the wait
 * ends. {@link #OFF} (the default, and what the CLI uses when stderr is not a terminal or with {@code --json}) prints
 * nothing at all.
 *
 * <p>The waits (wait-until-unloaded, systemd's stop jobs) happen deep in code that has no {@link Settings} of its
 * own, so the CLI installs the progress of the running verb for its thread and the threads it starts
 * ({@link #install}); {@link #current()} is {@link #OFF} everywhere else (library calls, tests).
 */
public final class Progress {
    /** Prints nothing. */
    public static final Progress OFF = new Progress(null, () -> 0L);
    /** Waits shorter than this show nothing. */
    public static final long SHOW_AFTER_MS = 1000;
    static final long REDRAW_MS = 100;
    private static final String ERASE = "\r\u001b[K";
    private static final InheritableThreadLocal<Progress> CURRENT = new InheritableThreadLocal<>();

    private final PrintWriter err;
    private final LongSupplier clockMs;

    /** Progress on {@code err} reading the time from {@code clockMs} (tests inject one). */
    public static Progress on(PrintWriter err, LongSupplier clockMs) {
        return new Progress(err, clockMs);
    }

    private Progress(PrintWriter err, LongSupplier clockMs) {
        this.err = err;
        this.clockMs = clockMs;
    }

    /** Progress on {@code err} when {@code terminal} (see {@link #stderrIsTerminal}), else {@link #OFF}. */
    public static Progress on(PrintWriter err, boolean terminal) {
        return terminal ? new Progress(err, () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime())) : OFF;
    }

    /** Makes {@code p} the {@link #current()} progress of this thread and of threads it starts from now on. */
    public static void install(Progress p) {
        CURRENT.set(p);
    }

    /** Back to {@link #OFF} for this thread. */
    public static void uninstall() {
        CURRENT.remove();
    }

    /** The progress the CLI installed for the verb running on this thread, else {@link #OFF}. */
    public static Progress current() {
        Progress p = CURRENT.get();
        return p == null ? OFF : p;
    }

    public boolean enabled() {
        return err != null;
    }

    /**
     * Runs {@code work} (a wait), showing {@code what} and the time waited once it has lasted {@link #SHOW_AFTER_MS},
     * and erasing the line when it returns or throws. With {@link #OFF} it just runs {@code work}.
     */
    public <T> T during(String what, Supplier<T> work) {
        if (!enabled()) {
            return work.get();
        }
        long start = clockMs.getAsLong();
        boolean[] shown = {false};
        Thread ticker = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(REDRAW_MS);
                    String line = render(what, clockMs.getAsLong() - start);
                    if (!line.isEmpty()) {
                        synchronized (err) {
                            err.print(line);
                            err.flush();
                            shown[0] = true;
                        }
                    }
                }
            } catch (InterruptedException e) {
                // the wait is over
            }
        }, "heph-progress");
        ticker.setDaemon(true);
        ticker.start();
        try {
            return work.get();
        } finally {
            ticker.interrupt();
            try {
                ticker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (err) {
                if (shown[0]) {
                    err.print(clear());
                    err.flush();
                }
            }
        }
    }

    /**
     * The text that draws the line after {@code elapsedMs} of waiting: "" before {@link #SHOW_AFTER_MS}, else a
     * carriage return, {@code heph: <what>… <seconds, one decimal> s} and erase-to-end-of-line. Pure.
     */
    public static String render(String what, long elapsedMs) {
        if (elapsedMs < SHOW_AFTER_MS) {
            return "";
        }
        return "\rheph: " + what + "\u2026 " + String.format(Locale.ROOT, "%.1f", elapsedMs / 1000.0) + " s\u001b[K";
    }

    /** What erases the line at the end of a wait that was shown. */
    public static String clear() {
        return ERASE;
    }

    /**
     * Whether stderr is a terminal: on Linux, /proc/self/fd/2 links to a tty or pty; elsewhere (macOS has no /proc)
     * the JVM's console (stdin and stdout on a terminal) stands in. TERM=dumb or HEPH_PROGRESS=0 turn it off.
     */
    public static boolean stderrIsTerminal(Map<String, String> env) {
        if ("0".equals(env.get("HEPH_PROGRESS")) || "dumb".equals(env.get("TERM"))) {
            return false;
        }
        Path fd2 = Path.of("/proc/self/fd/2");
        try {
            if (Files.isSymbolicLink(fd2)) {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (java.io.IOException | SecurityException e) {
            return false;
        }
        return System.console() != null;
    }
}
