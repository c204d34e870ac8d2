package heph.reallaunchd;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import heph.sim.SimOptions;
import heph.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where launchctl comes from, and the HOME that heph and launchd agree on: the real {@code launchctl} of a Mac with
 * the user's real HOME (its LaunchAgents are the ones launchd reads), or the launchd simulator's shim with the
 * simulator's HOME. Everything else about a test run (the throwaway label, the sample daemon, the cleanup) is the
 * same for both: {@link ThrowawayAgent}.
 */
final class LaunchdHost implements AutoCloseable {
    /** Set to 1 to run the real tier. */
    static final String SWITCH = "HEPH_REAL_LAUNCHD";
    private static boolean announced;

    final String description;
    final Path launchctl;
    final Path home;
    private final Simulator sim;

    private LaunchdHost(String description, Path launchctl, Path home, Simulator sim) {
        this.description = description;
        this.launchctl = launchctl;
        this.home = home;
        this.sim = sim;
    }

    /**
     * The real launchd: aborts the test (a visible skip with its reason) unless HEPH_REAL_LAUNCHD=1. launchctl is
     * /bin/launchctl, or HEPH_LAUNCHCTL (for rehearsing the tier against {@code heph sim}'s shim on Linux).
     */
    static LaunchdHost real() {
        assumeTrue("1".equals(System.getenv(SWITCH)), "real-launchd tier: set " + SWITCH + "=1 on a Mac to run it"
                + " (it loads a throwaway LaunchAgent " + ThrowawayAgent.RUN_LABEL + " into gui/<uid>)");
        String override = System.getenv("HEPH_LAUNCHCTL");
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        boolean mac = os.contains("mac") || os.contains("darwin");
        if (!mac && (override == null || override.isBlank())) {
            fail(SWITCH + "=1 asks for the real launchd, but this is " + System.getProperty("os.name")
                    + " and HEPH_LAUNCHCTL is not set (to rehearse, point it at the shim `heph sim --dir D` prints)");
        }
        Path launchctl = Path.of(override != null && !override.isBlank() ? override : "/bin/launchctl");
        if (!Files.isExecutable(launchctl)) {
            fail("launchctl: '" + launchctl + "' is not an executable file");
        }
        String home = System.getenv("HOME");
        if (home == null || !Path.of(home).isAbsolute() || !Files.isDirectory(Path.of(home))) {
            fail("HOME: '" + home + "' is not valid; expected the absolute path of your home folder");
        }
        LaunchdHost host = new LaunchdHost("launchctl " + launchctl + ", HOME " + home, launchctl, Path.of(home),
                null);
        synchronized (LaunchdHost.class) {
            if (!announced) {
                announced = true;
                System.out.println("real-launchd tier: label " + ThrowawayAgent.RUN_LABEL + ", " + host.description);
            }
        }
        return host;
    }

    /** The launchd simulator in {@code dir}: what keeps the tier's bodies honest in every normal run. */
    static LaunchdHost simulator(Path dir) {
        Simulator sim = Simulator.start(SimOptions.in(dir).withSeed(11).withCleanupLagMs(200, 500));
        return new LaunchdHost("launchd simulator in " + dir, sim.launchctl(), sim.home(), sim);
    }

    boolean simulated() {
        return sim != null;
    }

    @Override
    public void close() {
        if (sim != null) {
            sim.close();
        }
    }
}
