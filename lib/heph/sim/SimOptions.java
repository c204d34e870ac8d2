package heph.sim;

import java.nio.file.Path;

/**
 * How to start a {@link Simulator}. Defaults follow launchd-facts: ExitTimeOut 5 s (§9, "Biggest uncertainties" 2),
 * ThrottleInterval 10 s (§9), already-loaded bootstrap answers 5 (uncertainty 1), a gui domain exists; the cleanup
 * lag after a booted-out job is reaped is random in [200, 900] ms from a {@code Random(seed)}.
 *
 * @param dir the simulator's folder (bin/, home/, state/, logs/ are created under it)
 */
public record SimOptions(Path dir, long seed, long cleanupLagMinMs, long cleanupLagMaxMs, boolean noGuiDomain,
                         int alreadyLoadedCode, int defaultExitTimeOutSec, int defaultThrottleSec) {
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
    }

    /** The defaults, in {@code dir}. */
    public static SimOptions in(Path dir) {
        return new SimOptions(dir, 1, 200, 900, false, 5, 5, 10);
    }

    public SimOptions withSeed(long s) {
        return new SimOptions(dir, s, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, alreadyLoadedCode,
                defaultExitTimeOutSec, defaultThrottleSec);
    }

    public SimOptions withCleanupLagMs(long min, long max) {
        return new SimOptions(dir, seed, min, max, noGuiDomain, alreadyLoadedCode, defaultExitTimeOutSec,
                defaultThrottleSec);
    }

    public SimOptions withNoGuiDomain(boolean b) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, b, alreadyLoadedCode,
                defaultExitTimeOutSec, defaultThrottleSec);
    }

    public SimOptions withAlreadyLoadedCode(int code) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, code, defaultExitTimeOutSec,
                defaultThrottleSec);
    }

    /** ExitTimeOut for plists without the key (§9: 5 s observed on modern macOS, 20 s historically). */
    public SimOptions withDefaultExitTimeOutSec(int s) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, alreadyLoadedCode, s,
                defaultThrottleSec);
    }

    /** ThrottleInterval for plists without the key (§9: 10 s). */
    public SimOptions withDefaultThrottleSec(int s) {
        return new SimOptions(dir, seed, cleanupLagMinMs, cleanupLagMaxMs, noGuiDomain, alreadyLoadedCode,
                defaultExitTimeOutSec, s);
    }
}
