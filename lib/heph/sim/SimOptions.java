package heph.sim;

import java.nio.file.Path;

/**
 * How to start a {@link Simulator}. Defaults follow docs/facts/launchd-facts.md: ExitTimeOut 5 s (§9, "Biggest uncertainties" 2),
 * ThrottleInterval 10 s (§9), already-loaded bootstrap answers 5 (uncertainty 1), a gui domain exists; the cleanup
 * lag after a booted-out job is reaped is random in [200, 900] ms from a {@code Random(seed)}.
 *
 * <p>Fidelity knobs (docs/facts/launchd-facts.md §13), defaults = modern macOS: {@code legacyPrint} false (true: the pre-Big Sur
 * print header {@code <label> = {} without the domain, macOS 10.10-10.15, print-11/print-17); {@code xpcproxyMs}
 * 30 (how long {@code state = xpcproxy} shows after each spawn before {@code running}); {@code kickstartAsync}
 * false ({@code kickstart -k} returns once the successor is spawned; true: right after the SIGTERM, the respawn
 * follows the old process's exit — which one launchd does is not known, §4); {@code bootoutWait} true (macOS 26:
 * {@code bootout --wait} exists; false: macOS 14/15, a usage error, err-05a/05b); {@code createsLogFolders} false
 * (a StandardOutPath/StandardErrorPath whose folder is missing fails the spawn with 78 EX_CONFIG — disputed, §11
 * and §13, and heph must not rely on launchd creating it).
 *
 * @param dir the simulator's folder (bin/, home/, state/, logs/ are created under it)
 */
public record SimOptions(Path dir, long seed, long cleanupLagMinMs, long cleanupLagMaxMs, boolean noGuiDomain,
                         int alreadyLoadedCode, int defaultExitTimeOutSec, int defaultThrottleSec,
                         boolean legacyPrint, long xpcproxyMs, boolean kickstartAsync, boolean bootoutWait,
                         boolean createsLogFolders) {
    /** docs/facts/launchd-facts.md §13 (siq-agent-security PR 66): a short transitional state; a few tens of ms. */
    public static final long DEFAULT_XPCPROXY_MS = 30;

    public SimOptions {
        dir = dir.toAbsolutePath().normalize();
        if (cleanupLagMinMs < 0 || cleanupLagMaxMs < cleanupLagMinMs) {
            throw new IllegalArgumentException("cleanup lag range " + cleanupLagMinMs + "-" + cleanupLagMaxMs
                    + " ms: expected 0 <= min <= max");
        }
        if (alreadyLoadedCode != 5 && alreadyLoadedCode != 37 && alreadyLoadedCode != 17) {
            throw new IllegalArgumentException("already-loaded code " + alreadyLoadedCode + ": expected 5, 37 or 17");
        }
        if (defaultExitTimeOutSec < 0 || defaultThrottleSec < 1) {
            throw new IllegalArgumentException("default ExitTimeOut must be >= 0 and ThrottleInterval >= 1 s");
        }
        if (xpcproxyMs < 0) {
            throw new IllegalArgumentException("xpcproxy duration " + xpcproxyMs + " ms: expected >= 0");
        }
    }

    /** The defaults, in {@code dir}. */
    public static SimOptions in(Path dir) {
        return new SimOptions(dir, 1, 200, 900, false, 5, 5, 10, false, DEFAULT_XPCPROXY_MS, false, true, false);
    }

    public SimOptions withSeed(long s) {
        return new SimOptions(dir, s, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, alreadyLoadedCode,
                defaultExitTimeOutSec, defaultThrottleSec, legacyPrint, xpcproxyMs, kickstartAsync, bootoutWait,
                createsLogFolders);
    }

    public SimOptions withCleanupLagMs(long min, long max) {
        return new SimOptions(dir, seed, min, max, noGuiDomain, alreadyLoadedCode, defaultExitTimeOutSec,
                defaultThrottleSec, legacyPrint, xpcproxyMs, kickstartAsync, bootoutWait, createsLogFolders);
    }

    public SimOptions withNoGuiDomain(boolean b) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, b, alreadyLoadedCode,
                defaultExitTimeOutSec, defaultThrottleSec, legacyPrint, xpcproxyMs, kickstartAsync, bootoutWait,
                createsLogFolders);
    }

    public SimOptions withAlreadyLoadedCode(int code) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, code, defaultExitTimeOutSec,
                defaultThrottleSec, legacyPrint, xpcproxyMs, kickstartAsync, bootoutWait, createsLogFolders);
    }

    /** ExitTimeOut for plists without the key (§9: 5 s observed on modern macOS, 20 s historically). */
    public SimOptions withDefaultExitTimeOutSec(int s) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, alreadyLoadedCode, s,
                defaultThrottleSec, legacyPrint, xpcproxyMs, kickstartAsync, bootoutWait, createsLogFolders);
    }

    /** ThrottleInterval for plists without the key (§9: 10 s). */
    public SimOptions withDefaultThrottleSec(int s) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, alreadyLoadedCode,
                defaultExitTimeOutSec, s, legacyPrint, xpcproxyMs, kickstartAsync, bootoutWait, createsLogFolders);
    }

    /** §13: the pre-Big Sur print format (header without the domain, that era's fields). */
    public SimOptions withLegacyPrint(boolean b) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, alreadyLoadedCode,
                defaultExitTimeOutSec, defaultThrottleSec, b, xpcproxyMs, kickstartAsync, bootoutWait,
                createsLogFolders);
    }

    /** §13: how long {@code state = xpcproxy} shows after each spawn (0: straight to running). */
    public SimOptions withXpcproxyMs(long ms) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, alreadyLoadedCode,
                defaultExitTimeOutSec, defaultThrottleSec, legacyPrint, ms, kickstartAsync, bootoutWait,
                createsLogFolders);
    }

    /** §4: {@code kickstart -k} returns right after the SIGTERM (true) or once the successor runs (false). */
    public SimOptions withKickstartAsync(boolean b) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, alreadyLoadedCode,
                defaultExitTimeOutSec, defaultThrottleSec, legacyPrint, xpcproxyMs, b, bootoutWait,
                createsLogFolders);
    }

    /** §2, §13: {@code bootout --wait} exists (macOS 26) or is a usage error (macOS 14/15). */
    public SimOptions withBootoutWait(boolean b) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, alreadyLoadedCode,
                defaultExitTimeOutSec, defaultThrottleSec, legacyPrint, xpcproxyMs, kickstartAsync, b,
                createsLogFolders);
    }

    /** §11, §13: launchd creates a missing log folder (true) or fails the spawn with 78 (false, default). */
    public SimOptions withCreatesLogFolders(boolean b) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, alreadyLoadedCode,
                defaultExitTimeOutSec, defaultThrottleSec, legacyPrint, xpcproxyMs, kickstartAsync, bootoutWait, b);
    }
}
