///usr/bin/env bash -c 'exec "$(dirname "$0")/../../jbang" "$0" "$@"' ; exit $?
//JAVA 17+
//SOURCES ../../lib/**.java
//JAVAC_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -XX:+UseSerialGC
//MAIN RestartStrategies

import heph.sim.SimOptions;
import heph.sim.Simulator;
import heph.sim.race.RaceExperiment;
import heph.sim.race.StrategyBench;
import heph.sim.race.StrategyRun;
import heph.sim.race.StrategyTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * heph's reload against the restart sequences of other tools, on the launchd simulator, in one run with the same
 * seed: naive bootout+bootstrap; Homebrew (bootout, print every 1 s until gone, enable, one bootstrap);
 * home-manager before macOS 26 (bootout, sleep 1, one bootstrap); the seed's Rust fix (print every 100 ms for at
 * most 5 s, bootstrap with 5 tries 200 ms apart). Daemon shutdown 0-1500 ms and cleanup lag 300-3000 ms, drawn per
 * cycle from the seed (cycle i is the same for every strategy). Not part of the test suite.
 * Usage: ./jbang tests/bench/restart-strategies.java [--cycles N] [--seed S] [--no-bootout-wait]
 * (--no-bootout-wait: a launchd without {@code bootout --wait}, macOS before 26, where heph polls print)
 * The table goes to stdout (lag = from launchd dropping the label to the start of the bootstrap that succeeded,
 * as the simulator saw both; calls = launchctl calls per restart), one line per restart to stderr.
 */
class RestartStrategies {
    public static void main(String[] args) throws IOException {
        int cycles = 10;
        long seed = 1;
        boolean bootoutWait = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--no-bootout-wait")) {
                bootoutWait = false; // launchd before macOS 26: heph polls print
            } else if ((a.equals("--cycles") || a.equals("--seed")) && i + 1 < args.length && args[i + 1].matches("\\d{1,9}")) {
                if (a.equals("--cycles")) {
                    cycles = Integer.parseInt(args[++i]);
                } else {
                    seed = Long.parseLong(args[++i]);
                }
            } else {
                System.err.println("restart-strategies: '" + a + "' is not valid; expected --cycles N and --seed S"
                        + " (non-negative integers) or --no-bootout-wait");
                System.exit(2);
            }
        }
        Path dir = Files.createTempDirectory("heph-strategies-");
        try (Simulator sim = Simulator.start(SimOptions.in(dir).withSeed(seed).withBootoutWait(bootoutWait))) {
            RaceExperiment x = new RaceExperiment(sim, RaceExperiment.Params.defaults(seed), msg -> { });
            if (!x.install().healthy()) {
                System.err.println("restart-strategies: heph could not install the sample daemon in " + dir);
                System.exit(1);
            }
            StrategyBench bench = new StrategyBench(sim, seed);
            Map<String, List<StrategyRun>> results = new LinkedHashMap<>();
            long start = System.nanoTime();
            for (StrategyBench.Strategy s : StrategyBench.Strategy.values()) {
                results.put(s.title, bench.run(s, cycles, r -> System.err.printf("%s %d: %s, %d ms, lag %s, %d calls%s%n",
                        r.strategy(), r.index(), r.ok() ? "ok" : "FAIL", r.millis(),
                        r.lagMs() == null ? "-" : r.lagMs() + " ms", r.calls(),
                        r.error().isEmpty() ? "" : " (" + r.error() + ")")));
            }
            long secs = (System.nanoTime() - start) / 1_000_000_000;
            System.out.printf("restart strategies: %d cycles each, seed %d, shutdown 0-1500 ms, cleanup lag"
                    + " 300-3000 ms, %d s%n", cycles, seed, secs);
            System.out.println("# launchd " + (bootoutWait ? "with bootout --wait (macOS 26)"
                    : "without bootout --wait (before macOS 26): heph polls print"));
            System.out.print(StrategyTable.render(results));
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
