package heph.sim;

import static heph.sim.SimHarness.LABEL;
import static heph.sim.SimHarness.await;
import static heph.sim.SimHarness.awaitValue;
import static heph.sim.SimHarness.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import heph.sim.daemon.SampleDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Process-level, through the real bin/launchctl shim: Daemon life cycle: kickstart -k, KeepAlive throttle,
 * ExitTimeOut, group kill, the single-writer lock (§4, §9).
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class LaunchdLifecycleTest extends SimTestSupport {
    @Test
    void kickstartKillGivesAFreshPidAndTheTwoDaemonsNeverOverlap() {
        start();
        h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString());
        long first = ((Number) h.awaitInfo().get("pid")).longValue();
        ExecResult k = h.lc("kickstart", "-k", "-p", h.target(LABEL)); // docs/facts/launchd-facts.md §4 -k running
        assertEquals(0, k.exitCode());
        long second = sim.runningPid(LABEL).orElseThrow();
        assertEquals("service spawned with pid: " + second + "\n", k.stdout());
        assertNotEquals(first, second);
        List<Spawn> spawns = sim.spawns(LABEL);
        assertEquals(2, spawns.size());
        // §4, print-07: SIGTERM first; the sample daemon handles it and exits 0 (SIGKILL only after ExitTimeOut)
        assertEquals(List.of(false, 0, 0), List.of(spawns.get(0).alive(), spawns.get(0).exitCode(),
                spawns.get(0).signal()));
        assertFalse(spawns.get(0).overlaps(spawns.get(1)), spawns.toString());
        h.awaitInfo(h.defaultSocket(), second); // the new daemon takes the lock and the socket
        String print = h.lc("print", h.target(LABEL)).stdout();
        assertTrue(print.contains("\truns = 2\n") && print.contains("\tlast exit code = 0\n"), print);
        // §4 already running, no -k: nothing restarts; -p shows the running pid
        assertEquals("service spawned with pid: " + second + "\n", h.lc("kickstart", "-p", h.target(LABEL)).stdout());
        assertEquals(2, sim.spawns(LABEL).size());
        ExecResult unknown = h.lc("kickstart", "-k", h.target("no.such")); // §4 not loaded -> 113
        assertEquals(List.of(113, "", noService("no.such")), outcome(unknown));
    }

    @Test
    void keepAliveRespawnsAnExternallyKilledDaemonAfterTheThrottle() {
        start();
        // docs/facts/launchd-facts.md §9: ThrottleInterval = minimum runtime; 2 s here to keep the test short
        h.lc("bootstrap", sim.domain(), h.plist(LABEL, List.of(), map("ThrottleInterval", 2)).toString());
        long first = sim.runningPid(LABEL).orElseThrow();
        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // killed from outside, a few ms after its start
        await("spawn scheduled", () -> sim.state(LABEL).orElse("").equals("spawn scheduled"), Duration.ofSeconds(5));
        String print = h.lc("print", h.target(LABEL)).stdout(); // §3 throttled: spawn scheduled, no pid
        assertTrue(print.contains("\tstate = spawn scheduled\n") && !print.contains("\tpid = "), print);
        assertTrue(print.contains("\tlast terminating signal = Killed: 9\n"), print);
        await("respawn", () -> sim.spawns(LABEL).size() == 2, Duration.ofSeconds(10));
        List<Spawn> s = sim.spawns(LABEL);
        // ran < 2 s, so the respawn was pushed out to (start + 2 s); 10 ms slack for the two clocks involved
        assertTrue(s.get(1).startMs() - s.get(0).startMs() >= 1990, s.toString());
        assertFalse(s.get(0).overlaps(s.get(1)));
        h.awaitInfo(h.defaultSocket(), s.get(1).pid());
    }

    @Test
    void aDaemonIgnoringSigtermIsKilledAtExitTimeOut() {
        start(SimOptions.in(dir).withCleanupLagMs(800, 800));
        sim.daemonProperty(SampleDaemon.IGNORE_SIGTERM, "true");
        h.lc("bootstrap", sim.domain(), h.plist(LABEL, List.of(), map("ExitTimeOut", 2)).toString());
        h.awaitInfo();
        assertEquals(0, h.lc("bootout", h.target(LABEL)).exitCode());
        Call bootout = sim.calls().get(sim.calls().size() - 1);
        assertTrue(h.lc("print", h.target(LABEL)).stdout().contains("\tstate = SIGTERMed\n"));
        // docs/facts/launchd-facts.md §9 / §2 teardown: SIGTERM, wait ExitTimeOut, then SIGKILL; label held until then
        await("state SIGKILLed", () -> h.lc("print", h.target(LABEL)).stdout().contains("\tstate = SIGKILLed\n"),
                Duration.ofSeconds(10));
        // print says SIGKILLed as the signal is sent; the spawn records it once the process is reaped
        Spawn s = awaitValue("reaped", () -> sim.spawns(LABEL).get(0), sp -> !sp.alive(), Duration.ofSeconds(10));
        assertEquals(9, s.signal());
        assertTrue(s.endMs() >= bootout.startMs() + 2000, "SIGKILL came before ExitTimeOut: " + s);
        await("label gone", () -> h.lc("print", h.target(LABEL)).exitCode() == 113, Duration.ofSeconds(10));
    }

    @Test
    void whatIsLeftOfTheProcessGroupIsKilledOnReap() {
        start();
        sim.daemonProperty(SampleDaemon.SPAWN_CHILD, "true");
        h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString());
        long child = ((Number) h.awaitInfo().get("child_pid")).longValue();
        long pgid = sim.runningPid(LABEL).orElseThrow();
        assertTrue(ProcessGroups.isLive(child));
        assertEquals(Set.of(pgid, child), Set.copyOf(ProcessGroups.members(pgid)));
        h.lc("bootout", h.target(LABEL)); // the daemon exits 0 leaving its child behind
        await("label gone", () -> h.lc("print", h.target(LABEL)).exitCode() == 113, Duration.ofSeconds(10));
        assertFalse(ProcessGroups.isLive(child), "child " + child + " survived its daemon"); // §2 teardown
        assertEquals(List.of(), ProcessGroups.members(pgid));
    }

    @Test
    void aSecondDaemonOnTheSameDatabaseFailsOnTheLock() {
        start();
        h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString());
        long pid = ((Number) h.awaitInfo().get("pid")).longValue();
        Path db = sim.home().resolve(".local/share/heph/heph.db");
        ExecResult second = h.runner.run(List.of(sim.hephd().toString(), "--db", db.toString(), "--socket",
                dir.resolve("other.sock").toString()), Duration.ofSeconds(20));
        // docs/facts/hephd.md §3 single-writer lock
        assertEquals(List.of(75, "hephd: database " + db + " is locked by another hephd (pid " + pid + ")\n"),
                List.of(second.exitCode(), second.stderr()));
        // through launchd: the second job keeps failing and is throttled (docs/facts/launchd-facts.md §9, §3 exit-code format)
        h.lc("bootstrap", sim.domain(), h.plist("second.job", List.of("--db", db.toString()), Map.of()).toString());
        await("second job throttled", () -> sim.state("second.job").orElse("").equals("spawn scheduled"),
                Duration.ofSeconds(20));
        assertTrue(h.lc("print", h.target("second.job")).stdout().contains("\tlast exit code = 75: EX_TEMPFAIL\n"));
        assertEquals(pid, ((Number) h.awaitInfo().get("pid")).longValue());
    }
}
