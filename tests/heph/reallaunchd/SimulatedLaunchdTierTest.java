package heph.reallaunchd;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-launchd tier's bodies against the launchd simulator, in every normal run: keeps the tier (and its
 * cleanup) from rotting between the runs on a Mac.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class SimulatedLaunchdTierTest extends AgentLifecycleBodies {
    @TempDir
    Path simDir;

    @Override
    LaunchdHost openHost() {
        return LaunchdHost.simulator(simDir);
    }
}
