package heph.sim;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;

/**
 * The simulator's behaviour switches, changeable while it runs (thread-safe). All randomness comes from one
 * {@code Random(seed)}. Verbs are the tool's subcommand names ("bootstrap", "print", ...); a fake systemctl uses
 * its own verb names ("restart", ...), so the two tools' knobs only collide where their verbs do.
 */
public final class Knobs {
    private final Random random;
    private long lagMin;
    private long lagMax;
    private boolean noGuiDomain;
    private int alreadyLoadedCode;
    private boolean legacyPrint;
    private long xpcproxyMs;
    private boolean kickstartAsync;
    private boolean bootoutWait;
    private boolean createsLogFolders;
    private boolean printDisabledTrueFalse;
    private boolean guiDomainUnrecognized;
    private boolean invalidPlistExit133;
    private String spawnFailureReason;
    private final Set<String> hung = new HashSet<>();
    private final Map<String, int[]> failures = new HashMap<>();
    private boolean closed;

    Knobs(SimOptions o) {
        this.random = new Random(o.seed());
        this.lagMin = o.cleanupLagMinMs();
        this.lagMax = o.cleanupLagMaxMs();
        this.noGuiDomain = o.noGuiDomain();
        this.alreadyLoadedCode = o.alreadyLoadedCode();
        this.legacyPrint = o.legacyPrint();
        this.xpcproxyMs = o.xpcproxyMs();
        this.kickstartAsync = o.kickstartAsync();
        this.bootoutWait = o.bootoutWait();
        this.createsLogFolders = o.createsLogFolders();
    }

    /** After a booted-out job is reaped, its label stays registered this long (uniform in [min, max]). */
    public synchronized Knobs cleanupLagMs(long min, long max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("cleanup lag " + min + "-" + max + " ms: expected 0 <= min <= max");
        }
        lagMin = min;
        lagMax = max;
        return this;
    }

    public synchronized long nextCleanupLagMs() {
        return lagMin + (lagMax == lagMin ? 0 : (long) (random.nextDouble() * (lagMax - lagMin + 1)));
    }

    /** The shared seeded random source, for any other simulated randomness. */
    public synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Every later call of {@code verb} blocks (and so does its shim) until {@link #release} or the sim closes. */
    public synchronized Knobs hang(String verb) {
        hung.add(verb);
        return this;
    }

    public synchronized Knobs release(String verb) {
        hung.remove(verb);
        notifyAll();
        return this;
    }

    /** Blocks while {@code verb} hangs; false when the simulator closed meanwhile. */
    public synchronized boolean awaitRelease(String verb) {
        while (hung.contains(verb) && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !closed;
    }

    /** The next {@code n} calls of {@code verb} fail with {@code code} and that verb's failure text; no effect. */
    public synchronized Knobs failNext(String verb, int n, int code) {
        if (n <= 0) {
            failures.remove(verb);
        } else {
            failures.put(verb, new int[] {n, code});
        }
        return this;
    }

    /** Consumes one pending failure of {@code verb}, if any. */
    public synchronized OptionalInt takeFailure(String verb) {
        int[] f = failures.get(verb);
        if (f == null) {
            return OptionalInt.empty();
        }
        if (--f[0] <= 0) {
            failures.remove(verb);
        }
        return OptionalInt.of(f[1]);
    }

    /** No usable gui domain (ssh without GUI login): bootstrap/bootout 125, print/kickstart 112 (§1, §2, §3). */
    public synchronized Knobs noGuiDomain(boolean b) {
        noGuiDomain = b;
        return this;
    }

    public synchronized boolean noGuiDomain() {
        return noGuiDomain;
    }

    /** Exit code of bootstrap for a loaded label: 5 (modern, default) or 37 (older macOS), §1 / uncertainty 1. */
    public synchronized Knobs alreadyLoadedCode(int code) {
        if (code != 5 && code != 37 && code != 17) {
            throw new IllegalArgumentException("already-loaded code " + code + ": expected 5, 37 or 17");
        }
        alreadyLoadedCode = code;
        return this;
    }

    public synchronized int alreadyLoadedCode() {
        return alreadyLoadedCode;
    }

    /** docs/facts/launchd-facts.md §13: print's header without the domain and that era's fields (macOS 10.10-10.15). */
    public synchronized Knobs legacyPrint(boolean b) {
        legacyPrint = b;
        return this;
    }

    public synchronized boolean legacyPrint() {
        return legacyPrint;
    }

    /** docs/facts/launchd-facts.md §13: {@code state = xpcproxy} for this long after each spawn, then {@code running}. */
    public synchronized Knobs xpcproxyMs(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("xpcproxy duration " + ms + " ms: expected >= 0");
        }
        xpcproxyMs = ms;
        return this;
    }

    public synchronized long xpcproxyMs() {
        return xpcproxyMs;
    }

    /** docs/facts/launchd-facts.md §4: {@code kickstart -k} returns right after SIGTERM (true) or after the respawn (false). */
    public synchronized Knobs kickstartAsync(boolean b) {
        kickstartAsync = b;
        return this;
    }

    public synchronized boolean kickstartAsync() {
        return kickstartAsync;
    }

    /** docs/facts/launchd-facts.md §2, §13: {@code bootout --wait} exists (macOS 26) or is a usage error, exit 64 (14/15). */
    public synchronized Knobs bootoutWait(boolean b) {
        bootoutWait = b;
        return this;
    }

    public synchronized boolean bootoutWait() {
        return bootoutWait;
    }

    /** docs/facts/launchd-facts.md §11, §13: whether a spawn creates a missing StandardOutPath/StandardErrorPath folder. */
    public synchronized Knobs createsLogFolders(boolean b) {
        createsLogFolders = b;
        return this;
    }

    public synchronized boolean createsLogFolders() {
        return createsLogFolders;
    }

    /** real-launchctl print-32/print-33: print-disabled says {@code => true} / {@code => false} (before macOS 13). */
    public synchronized Knobs printDisabledTrueFalse(boolean b) {
        printDisabledTrueFalse = b;
        return this;
    }

    public synchronized boolean printDisabledTrueFalse() {
        return printDisabledTrueFalse;
    }

    /**
     * real-launchctl err-51: gui/&lt;uid&gt; does not exist at all (no GUI login for the user), and every verb naming
     * it answers {@code Unrecognized domain-target specifier.} plus its usage, exit 64. user/&lt;uid&gt; is not
     * affected. Unlike {@link #noGuiDomain}, which models the 125/112 answers of a gui domain without a session.
     */
    public synchronized Knobs guiDomainUnrecognized(boolean b) {
        guiDomainUnrecognized = b;
        return this;
    }

    public synchronized boolean guiDomainUnrecognized() {
        return guiDomainUnrecognized;
    }

    /**
     * real-launchctl err-52: bootstrap of a plist that is not a valid property list prints only
     * {@code <plist>: Invalid property list} and exits 133 (true), instead of {@code Bootstrap failed: 5} (false).
     */
    public synchronized Knobs invalidPlistExit133(boolean b) {
        invalidPlistExit133 = b;
        return this;
    }

    public synchronized boolean invalidPlistExit133() {
        return invalidPlistExit133;
    }

    /**
     * Every spawn fails before the program runs, with this {@code last exit reason} (e.g. OS_REASON_CODESIGNING,
     * INDEX.md section D, sutando 2981): no process, no {@code last exit code} line, {@code job state = spawn
     * failed}; KeepAlive tries again after the throttle. null: spawns work.
     */
    public synchronized Knobs spawnFailureReason(String reason) {
        spawnFailureReason = reason == null || reason.isBlank() ? null : reason.strip();
        return this;
    }

    public synchronized String spawnFailureReason() {
        return spawnFailureReason;
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
