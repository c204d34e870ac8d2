package heph.reallaunchd;

import org.junit.jupiter.api.Tag;

/**
 * The real-launchd tier: {@link AgentLifecycleBodies} against the Mac's own launchctl and the user's real
 * ~/Library/LaunchAgents, with the throwaway label {@link ThrowawayAgent#RUN_LABEL}. Runs only when asked:
 * {@code HEPH_REAL_LAUNCHD=1 ./jbang tests/RunTests.java heph.reallaunchd.RealLaunchdTest} (or
 * {@code --include-tag real-launchd}); skipped with its reason otherwise. {@code HEPH_LAUNCHCTL} replaces
 * /bin/launchctl, which is how the tier is rehearsed on Linux against {@code heph sim}'s shim.
 */
@Tag("real-launchd")
class RealLaunchdTest extends AgentLifecycleBodies {
    @Override
    LaunchdHost openHost() {
        return LaunchdHost.real();
    }
}
