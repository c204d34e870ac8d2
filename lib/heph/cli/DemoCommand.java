package heph.cli;

import heph.ExitCode;
import heph.HephException;
import heph.sim.SimOptions;
import heph.sim.Simulator;
import heph.sim.Spawn;
import heph.sim.race.RaceCycle;
import heph.sim.race.RaceExperiment;
import heph.sim.race.RaceResult;
import heph.sim.race.RaceTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * `heph demo`: replays the race and its fix against the launchd simulator in a throwaway folder: heph start, three
 * bare restarts (kickstart -k, fresh pids), reloads alternating --self-update-interval-secs 300/600 (the daemon's
 * own argv must show the new value), then the naive bootout + bootstrap failing with 5: Input/output error. The
 * table goes to stdout, progress to stderr. Every process it started is killed and the folder deleted, also on
 * Ctrl-C. Exit 0 when all of heph's steps held; the naive failures are the expected outcome.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "On any machine: start the launchd simulator and a sample daemon in a throwaway folder,"
                + " replay the verification, show the naive race failing, clean up. With --backend systemd: the"
                + " same against the systemctl fake, and the naive edit-without-daemon-reload.")
final class DemoCommand implements Callable<Integer> {
    static final int KICKSTARTS = 3;
    static final int MAX_CYCLES = 100;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the random shutdown times and cleanup lags (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--cycles", paramLabel = "N", defaultValue = "2",
            description = "heph reloads and naive restarts to run, each (1-" + MAX_CYCLES + ", default ${DEFAULT-VALUE}).")
    int cycles;

    @Option(names = "--keep", description = "Keep the folder (logs, plist) instead of deleting it.")
    boolean keep;

    /** launchd (default), or systemd with the global --backend / HEPH_BACKEND: the systemctl fake instead. */
    private String backend() {
        Main root = (Main) spec.root().userObject();
        String b = root.global.backend != null ? root.global.backend : root.env.get("HEPH_BACKEND");
        if (b == null || b.isBlank() || b.equals("launchd")) {
            return "launchd";
        }
        if (b.equals("systemd")) {
            return b;
        }
        throw HephException.usage("--backend: '" + b + "' is not valid; expected launchd or systemd");
    }

    @Override
    public Integer call() {
        if (cycles < 1 || cycles > MAX_CYCLES) {
            throw HephException.usage("--cycles: '" + cycles + "' is not valid; expected 1 to " + MAX_CYCLES);
        }
        String backend = backend();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = tempDir();
        AtomicReference<Simulator> sim = new AtomicReference<>();
        AtomicBoolean cleaned = new AtomicBoolean();
        Thread hook = new Thread(() -> cleanUp(sim.get(), dir, cleaned), "heph-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            say(err, "simulator folder " + dir + (keep ? " (kept)" : " (deleted at the end)"));
            sim.set(Simulator.start(SimOptions.in(dir).withSeed(seed)));
            List<RaceCycle> rows = new ArrayList<>();
            boolean good;
            try {
                good = replay(sim.get(), backend, rows, err);
            } catch (RuntimeException e) {
                if (cleaned.get()) { // Ctrl-C: the shutdown hook closed the simulator under the running step
                    throw HephException.failed("demo: interrupted; every process it started was stopped");
                }
                throw e;
            }
            out.print(RaceTable.render(rows));
            out.println();
            RaceResult reloads = new RaceResult("heph reload", of(rows, "reload"));
            RaceResult naive = new RaceResult(backend.equals("systemd") ? "naive edit+restart (no daemon-reload)"
                    : "naive bootout+bootstrap", of(rows, "naive"));
            out.println(RaceTable.summary(reloads));
            out.println(RaceTable.summary(naive));
            out.flush();
            if (!good) {
                throw HephException.failed("demo: some of heph's steps did not hold (rows marked FAIL above)");
            }
            say(err, "heph restarted hephd " + (KICKSTARTS + cycles) + " times without a failure; the naive"
                    + " sequence failed " + naive.failures() + " of " + naive.count() + " times");
            return ExitCode.OK.code;
        } finally {
            cleanUp(sim.get(), dir, cleaned);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running or has run
            }
        }
    }

    /** The seed's verification, then the naive sequence; true when every heph step held. */
    private boolean replay(Simulator sim, String backend, List<RaceCycle> rows, PrintWriter err) {
        RaceExperiment x = new RaceExperiment(sim, RaceExperiment.Params.defaults(seed), msg -> say(err, msg),
                backend);
        say(err, "heph start: installing the sample hephd with --self-update-interval-secs "
                + RaceExperiment.FIRST_INTERVAL);
        rows.add(progress(err, x.install()));
        boolean good = rows.get(0).healthy();
        for (int i = 1; i <= KICKSTARTS && good; i++) {
            RaceCycle c = progress(err, x.kickstart(i));
            rows.add(c);
            good = c.healthy() && c.freshPid() && c.path().equals(x.inPlacePath());
        }
        if (good) {
            for (RaceCycle c : x.run("reload", cycles, c -> progress(err, c)).cycles()) {
                rows.add(c);
                good &= c.healthy() && c.freshPid() && c.path().equals("reload");
            }
        }
        good &= x.overlaps().isEmpty();
        say(err, backend.equals("systemd")
                ? "now the naive restart: edit the unit, then systemctl --user restart without daemon-reload"
                : "now the naive restart: launchctl bootout, then bootstrap at once");
        rows.addAll(x.run("naive", cycles, c -> progress(err, c)).cycles());
        return good;
    }

    private static RaceCycle progress(PrintWriter err, RaceCycle c) {
        say(err, c.step() + ": " + String.join("  ", RaceTable.row(c).subList(1, RaceTable.HEADER.size()))
                .strip());
        return c;
    }

    private static List<RaceCycle> of(List<RaceCycle> rows, String kind) {
        return rows.stream().filter(c -> c.kind().equals(kind)).toList();
    }

    private static void say(PrintWriter err, String msg) {
        err.println("heph: demo: " + msg);
        err.flush();
    }

    private Path tempDir() {
        try {
            return Files.createTempDirectory("heph-demo-");
        } catch (IOException e) {
            throw HephException.failed("demo: cannot create a temporary folder: " + e.getMessage());
        }
    }

    /** Kills every simulated process (waiting, bounded, until each is reaped) and deletes the folder. Once. */
    private void cleanUp(Simulator sim, Path dir, AtomicBoolean cleaned) {
        if (!cleaned.compareAndSet(false, true)) {
            return;
        }
        if (sim != null) {
            sim.close();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (sim.spawns(null).stream().anyMatch(Spawn::alive) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (!keep) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // best effort: a temp folder
            }
        }
    }
}
