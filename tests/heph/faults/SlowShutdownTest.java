package heph.faults;

import static heph.faults.FaultHarness.LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.faults.FaultHarness.Run;
import heph.sim.Call;
import heph.sim.SimOptions;
import heph.sim.Spawn;
import heph.sim.daemon.SampleDaemon;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Daemons that are slow to let go: one that ignores SIGTERM (launchd SIGKILLs it at ExitTimeOut) and a launchd
 * cleanup lag beyond 5 s. heph's wait-until-unloaded is bounded by ExitTimeOut + 5 s, so both still succeed.
 */
@org.junit.jupiter.api.Tag("faults")
class SlowShutdownTest extends FaultTest {
    @Test
    void aDaemonIgnoringSigtermIsKilledAtExitTimeOutAndHephWaitsForIt() {
        h = new FaultHarness(SimOptions.in(dir).withSeed(51).withCleanupLagMs(200, 900));
        h.sim.daemonProperty(SampleDaemon.IGNORE_SIGTERM, "true");
        assertEquals(0, h.heph("start").code());
        h.awaitAnswering(); // it ignores SIGTERM from here on, not from "running"

        // docs/facts/launchd-facts.md §2 teardown + §9: SIGTERM, then SIGKILL after ExitTimeOut (5 s when the plist has no key,
        // §9 TRUSTY-4393); the label stays registered until then, so bootstrap must wait for it.
        Run restart = h.heph("restart", "--self-update-interval-secs", "600", "--json");
        assertEquals(0, restart.code(), restart.toString());
        assertEquals("reload", restart.json().get("path"));
        assertTrue(restart.number("waited_ms") >= 4500, restart.toString());
        assertKilledAtExitTimeOut(h.spawns().get(0), lastBootout());
        assertEquals(h.plistArgs(), h.theDaemon().argv());
        h.awaitAnswering();

        Run stop = h.heph("stop", "--json");
        assertEquals(0, stop.code(), stop.toString());
        assertTrue(stop.number("waited_ms") >= 4500, stop.toString());
        assertKilledAtExitTimeOut(h.spawns().get(1), lastBootout());
        assertEquals(0, h.alive());
        assertTrue(h.sim.state(LABEL).isEmpty(), "stop returns once the label is gone (§3: print -> 113)");
        h.assertNeverTwoAtOnce();
    }

    @Test
    void aCleanupLagBeyondFiveSecondsStillEndsInARunningDaemon() {
        // docs/facts/launchd-facts.md §9: settle windows of 3-5 s were measured; 6-6.5 s here is past the seed fix's 5 s poll
        // but within heph's bound (ExitTimeOut 5 s + 5 s).
        h = new FaultHarness(SimOptions.in(dir).withSeed(52).withCleanupLagMs(6000, 6500));
        assertEquals(0, h.heph("start").code());
        Run restart = h.heph("restart", "--self-update-interval-secs", "700", "--json");
        assertEquals(0, restart.code(), restart.toString());
        assertEquals("reload", restart.json().get("path"));
        assertTrue(restart.number("waited_ms") >= 6000, restart.toString());
        assertEquals(1, restart.number("bootstrap_attempts"), "bootstrap came only after the label was gone");
        assertEquals(h.plistArgs(), h.theDaemon().argv());
        assertTrue(h.theDaemon().argv().contains("700"));
        h.assertNeverTwoAtOnce();
    }

    private Call lastBootout() {
        List<Call> bootouts = h.sim.calls().stream().filter(c -> c.verb().equals("bootout")).toList();
        return bootouts.get(bootouts.size() - 1);
    }

    /** Died of SIGKILL no earlier than ExitTimeOut (5 s) after launchd got the bootout, and not much later. */
    private static void assertKilledAtExitTimeOut(Spawn daemon, Call bootout) {
        assertEquals(9, daemon.signal(), daemon.toString());
        long afterBootout = daemon.endMs() - bootout.startMs();
        assertTrue(afterBootout >= 5000 && afterBootout < 15000, "killed " + afterBootout + " ms after bootout");
    }
}
