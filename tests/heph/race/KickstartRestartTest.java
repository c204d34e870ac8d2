package heph.race;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.Call;
import heph.sim.SimOptions;
import heph.sim.Simulator;
import heph.sim.race.RaceCycle;
import heph.sim.race.RaceExperiment;
import heph.sim.race.RaceTable;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bare heph restart with the plist unchanged restarts hephd in place (docs/facts/launchd-facts.md §4 kickstart -k; §10 cc-connect). */
@org.junit.jupiter.api.Tag("simulator")
class KickstartRestartTest {
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
    void threeBareRestartsGiveFreshPidsWithoutUnloadingTheLabel() {
        sim = Simulator.start(SimOptions.in(dir).withSeed(3));
        RaceExperiment x = new RaceExperiment(sim, RaceExperiment.Params.defaults(3), msg -> { });
        RaceCycle installed = x.install();
        assertTrue(installed.healthy(), RaceTable.render(List.of(installed)));
        sim.clearCalls();
        Set<Long> pids = new HashSet<>(Set.of(installed.newPid()));
        for (int i = 1; i <= 3; i++) {
            RaceCycle c = x.kickstart(i);
            String row = RaceTable.render(List.of(c));
            assertTrue(c.ok(), row);
            assertEquals("kickstart", c.path(), row);
            assertTrue(pids.add(c.newPid()), "pid " + c.newPid() + " seen before: " + row);
            assertTrue(c.socketOk(), "the daemon did not answer after " + c.step());
            assertTrue(c.argvOk() && c.flagsKept(), "argv changed by a bare restart: " + c.argv());
        }
        List<String> verbs = sim.calls().stream().map(Call::verb).toList();
        // no unload/load at all: the race cannot happen on this path
        assertFalse(verbs.contains("bootout") || verbs.contains("bootstrap"), verbs.toString());
        assertEquals(3, verbs.stream().filter("kickstart"::equals).count(), verbs.toString());
        assertEquals(4, sim.spawns(RaceExperiment.LABEL).size());
        assertEquals(List.of(), x.overlaps());
    }
}
