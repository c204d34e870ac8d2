package heph.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.faults.FaultHarness.HephProcess;
import heph.faults.FaultHarness.Run;
import heph.sim.SimOptions;
import heph.sim.Spawn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ten `heph restart`s at once, as separate processes with different flags: the per-label lock serializes them, so
 * every one succeeds, there is never more than one daemon (two would fight over hephd's single-writer database),
 * and the survivor runs exactly what the plist says.
 */
@org.junit.jupiter.api.Tag("faults")
class ConcurrentRestartTest extends FaultTest {
    static final int RESTARTS = 10;

    @Test
    void tenConcurrentRestartsAllSucceedAndNeverRunTwoDaemons() {
        h = new FaultHarness(SimOptions.in(dir).withSeed(101).withCleanupLagMs(200, 900));
        assertEquals(0, h.heph("start").code());
        List<HephProcess> running = new ArrayList<>();
        List<String> intervals = new ArrayList<>();
        for (int i = 0; i < RESTARTS; i++) {
            intervals.add(Integer.toString(1200 + i));
            running.add(h.launch("restart", "--self-update-interval-secs", intervals.get(i), "--json"));
        }
        List<Run> runs = new ArrayList<>();
        for (HephProcess p : running) {
            runs.add(p.await(Duration.ofSeconds(150)));
        }
        for (Run r : runs) {
            assertEquals(0, r.code(), r.toString());
            assertEquals("reload", r.json().get("path"), r.toString()); // each changed the flags: bootout+bootstrap
        }

        h.assertNeverTwoAtOnce();
        Spawn survivor = h.theDaemon();
        List<String> plist = h.plistArgs();
        assertEquals(plist, survivor.argv());
        int i = plist.indexOf("--self-update-interval-secs");
        assertTrue(i >= 0 && intervals.contains(plist.get(i + 1)), plist.toString());
        assertEquals(RESTARTS + 1, h.spawns().size(), "one daemon per restart, plus the first start's");
        long waited = runs.stream().filter(r -> r.err().contains("another heph is working on")).count();
        System.out.printf("concurrent restarts: %d, all exit 0, %d waited for the lock, %d daemons in turn, never"
                + " two at once; slowest took %d ms%n", RESTARTS, waited, h.spawns().size(),
                runs.stream().mapToLong(Run::millis).max().orElse(0));
        assertTrue(waited >= 1, "the lock made someone wait");
    }
}
