package heph.race;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.SimOptions;
import heph.sim.Simulator;
import heph.sim.race.RaceCycle;
import heph.sim.race.RaceExperiment;
import heph.sim.race.RaceResult;
import heph.sim.race.RaceTable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bootout race under load (docs/facts/launchd-facts.md §1 transitional row, §2 "returns before the process is dead", §9):
 * heph's reload against the naive bootout + bootstrap, with a seeded random daemon shutdown time (0–1500 ms) and
 * launchd cleanup lag (300–3000 ms: up to the 3–5 s settle windows measured, §9) per cycle, on the simulator with
 * real daemons behind the real launchctl shim. The naive sequence needs fewer cycles to show its failures.
 */
@org.junit.jupiter.api.Tag("soak")
class SoakTest {
    static final long SEED = 20260608;
    static final int CYCLES = Integer.getInteger("heph.race.cycles", 30);
    static final int NAIVE_CYCLES = Integer.getInteger("heph.race.naive", 10);

    @TempDir
    Path dir;
    Simulator sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void hephReloadNeverFailsWhereTheNaiveSequenceDoes() {
        sim = Simulator.start(SimOptions.in(dir).withSeed(SEED));
        RaceExperiment x = new RaceExperiment(sim, RaceExperiment.Params.defaults(SEED), msg -> { });
        RaceCycle installed = x.install();
        assertTrue(installed.healthy(), RaceTable.render(List.of(installed)));
        RaceResult heph = x.run("reload", CYCLES, c -> { });
        RaceResult naive = x.run("naive", NAIVE_CYCLES, c -> { });
        System.out.println("SoakTest: " + RaceTable.summary(heph));
        System.out.println("SoakTest: " + RaceTable.summary(naive));
        String table = RaceTable.render(heph.cycles());
        assertEquals(0, heph.failures(), table);
        for (RaceCycle c : heph.cycles()) {
            // every cycle changed the interval, so every one had to unload the label and load the new plist
            assertEquals("reload", c.path(), table);
            assertTrue(c.freshPid(), c.step() + " kept its pid\n" + table);
            assertTrue(c.argvOk(), c.step() + ": daemon argv " + c.argv() + " lacks --self-update-interval-secs "
                    + c.interval());
            assertTrue(c.flagsKept(), c.step() + ": daemon argv " + c.argv() + " lost a baked flag");
            assertTrue(c.socketOk(), c.step() + ": the new daemon did not answer on its socket");
        }
        assertEquals(List.of(), x.overlaps(), "two daemons of the label were alive at the same time");
        // the naive sequence hits the transitional state: bootstrap while the label drains -> 5 (docs/facts/launchd-facts.md §1)
        assertTrue(naive.failures() > 0, RaceTable.render(naive.cycles()));
        assertEquals("Bootstrap failed: 5: Input/output error", naive.commonError());
        naive.cycles().stream().filter(c -> !c.ok()).forEach(c -> assertEquals(5, c.exitCode()));
    }
}
