package heph.sim;

import heph.proc.Signals;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a {@link Simulator} in the foreground for rehearsing heph without a Mac:
 * {@code java -cp <cp> heph.sim.SimMain --dir D [--seed N] [--cleanup-lag-ms 200-900] [--no-gui-domain]}.
 * Prints {@code export} lines for the shell, then waits; SIGINT/SIGTERM kill its daemons and exit 0.
 */
@Command(name = "heph-sim", mixinStandardHelpOptions = true,
        description = "Runs the heph launchd simulator in the foreground until SIGINT/SIGTERM.")
public final class SimMain implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Folder for bin/, home/, state/, logs/.")
    Path dir;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of all simulated randomness (${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--cleanup-lag-ms", defaultValue = "200-900", paramLabel = "MIN-MAX",
            description = "How long a booted-out label stays registered after its process is reaped (${DEFAULT-VALUE}).")
    String cleanupLag;

    @Option(names = "--no-gui-domain", description = "Simulate a session without a GUI login (bootstrap -> 125).")
    boolean noGuiDomain;

    @Option(names = "--already-loaded-code", defaultValue = "5",
            description = "Exit code of bootstrap for a loaded label: 5 (modern) or 37 (older macOS).")
    int alreadyLoadedCode;

    @Option(names = "--default-exit-timeout", defaultValue = "5",
            description = "ExitTimeOut in seconds for plists without the key (${DEFAULT-VALUE}).")
    int exitTimeOut;

    @Option(names = "--default-throttle", defaultValue = "10",
            description = "ThrottleInterval in seconds for plists without the key (${DEFAULT-VALUE}).")
    int throttle;

    @Option(names = "--legacy-print",
            description = "Print services as macOS 10.10-10.15 did: header without the gui/<uid>/ prefix.")
    boolean legacyPrint;

    @Option(names = "--xpcproxy-ms", defaultValue = "" + SimOptions.DEFAULT_XPCPROXY_MS,
            description = "How long `state = xpcproxy` shows after each spawn, in ms (${DEFAULT-VALUE}).")
    long xpcproxyMs;

    @Option(names = "--kickstart-returns", defaultValue = "after-respawn", paramLabel = "after-respawn|at-once",
            description = "When `kickstart -k` returns: once the new process runs, or right after the SIGTERM"
                    + " (${DEFAULT-VALUE}).")
    String kickstartReturns;

    @Option(names = "--no-bootout-wait",
            description = "launchctl without `bootout --wait` (macOS 14/15: a usage error, exit 64).")
    boolean noBootoutWait;

    @Option(names = "--creates-log-folders",
            description = "launchd creates a missing StandardOutPath/StandardErrorPath folder (default: the spawn"
                    + " fails with 78 EX_CONFIG).")
    boolean createsLogFolders;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        String[] lag = cleanupLag.split("-", 2);
        if (lag.length != 2 || !lag[0].matches("\\d+") || !lag[1].matches("\\d+")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--cleanup-lag-ms: expected MIN-MAX in milliseconds, e.g. 200-900, got '" + cleanupLag + "'");
        }
        if (!kickstartReturns.equals("after-respawn") && !kickstartReturns.equals("at-once")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--kickstart-returns: expected after-respawn or at-once, got '" + kickstartReturns + "'");
        }
        SimOptions o;
        try {
            o = SimOptions.in(dir).withSeed(seed).withCleanupLagMs(Long.parseLong(lag[0]), Long.parseLong(lag[1]))
                    .withNoGuiDomain(noGuiDomain).withAlreadyLoadedCode(alreadyLoadedCode)
                    .withDefaultExitTimeOutSec(exitTimeOut).withDefaultThrottleSec(throttle)
                    .withLegacyPrint(legacyPrint).withXpcproxyMs(xpcproxyMs)
                    .withKickstartAsync(kickstartReturns.equals("at-once")).withBootoutWait(!noBootoutWait)
                    .withCreatesLogFolders(createsLogFolders);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (Simulator sim = Simulator.start(o)) {
            Signals.trap(java.util.List.of("INT", "TERM"), sig -> stop.countDown());
            System.out.println("# heph launchd simulator: " + sim.domain() + " on 127.0.0.1:" + sim.port() + ", folder "
                    + sim.dir() + " (Ctrl-C or SIGTERM stops it and kills its daemons)");
            System.out.println("export HEPH_LAUNCHCTL=" + Shims.quote(sim.launchctl().toString()));
            System.out.println("export HEPH_SYSTEMCTL=" + Shims.quote(sim.bin("systemctl").toString()));
            System.out.println("export HEPH_JOURNALCTL=" + Shims.quote(sim.bin("journalctl").toString()));
            System.out.println("export HEPH_HEPHD=" + Shims.quote(sim.hephd().toString()));
            System.out.println("export HEPH_BACKEND=launchd   # or systemd, for the systemctl fake");
            System.out.println("# the daemons run with this HOME (and XDG_RUNTIME_DIR under systemd): heph must too");
            System.out.println("export HOME=" + Shims.quote(sim.home().toString()));
            System.out.println("export XDG_RUNTIME_DIR=" + Shims.quote(sim.systemd().runtimeDir().toString()));
            System.out.flush();
            stop.await();
        }
        System.err.println("heph-sim: stopped; every daemon it started was killed");
        return 0;
    }
}
