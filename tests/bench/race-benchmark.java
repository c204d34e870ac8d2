///usr/bin/env bash -c 'exec "$(dirname "$0")/../../jbang" "$0" "$@"' ; exit $?
//JAVA 17+
//SOURCES ../../lib/**.java
//JAVAC_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -XX:+UseSerialGC
//MAIN RaceBenchmark

import heph.sim.SimOptions;
import heph.sim.Simulator;
import heph.sim.race.RaceExperiment;
import heph.sim.race.RaceResult;
import heph.sim.race.RaceTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The bootout race, measured: N heph reloads (interval 300 <-> 600) and N naive bootout+bootstrap restarts on the
 * launchd simulator, with a seeded random daemon shutdown time (0-1500 ms) and cleanup lag (300-3000 ms).
 * Not part of the test suite. Usage: ./jbang tests/bench/race-benchmark.java [--cycles N] [--seed S]
 * Prints both failure rates and p50/p95 of heph's restart time on stdout; progress on stderr.
 */
class RaceBenchmark {
    public static void main(String[] args) throws IOException {
        int cycles = 30;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--cycles") || a.equals("--seed")) && i + 1 < args.length && args[i + 1].matches("\\d+")) {
                if (a.equals("--cycles")) {
                    cycles = Integer.parseInt(args[++i]);
                } else {
                    seed = Long.parseLong(args[++i]);
                }
            } else {
                System.err.println("race-benchmark: '" + a + "' is not valid; expected --cycles N and --seed S"
                        + " (non-negative integers)");
                System.exit(2);
            }
        }
        Path dir = Files.createTempDirectory("heph-race-bench-");
        try (Simulator sim = Simulator.start(SimOptions.in(dir).withSeed(seed))) {
            RaceExperiment x = new RaceExperiment(sim, RaceExperiment.Params.defaults(seed), msg -> { });
            if (!x.install().healthy()) {
                System.err.println("race-benchmark: heph could not install the sample daemon in " + dir);
                System.exit(1);
            }
            long start = System.nanoTime();
            RaceResult heph = x.run("reload", cycles, c -> System.err.println(String.join("  ", RaceTable.row(c))));
            RaceResult naive = x.run("naive", cycles, c -> System.err.println(String.join("  ", RaceTable.row(c))));
            long secs = (System.nanoTime() - start) / 1_000_000_000;
            System.out.printf("race benchmark: %d cycles each, seed %d, shutdown 0-1500 ms, cleanup lag 300-3000 ms,"
                    + " %d s%n", cycles, seed, secs);
            System.out.println("heph " + RaceTable.summary(heph) + "; unhealthy cycles " + heph.unhealthy());
            System.out.println(RaceTable.summary(new RaceResult("naive bootout+bootstrap", naive.cycles())));
            System.out.println("overlapping daemons: " + x.overlaps().size());
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
