package heph.sim.systemd;

import static heph.sim.SimHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import heph.sim.Call;
import heph.sim.ProcessGroups;
import heph.sim.Spawn;
import heph.sim.daemon.SampleDaemon;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Process-level, through the real bin/systemctl shim: the service life cycle of the systemctl fake — synchronous
 * restart, TimeoutStopSec, Restart=always with NRestarts, failing starts and the start rate limit (§12).
 */
@org.junit.jupiter.api.Tag("simulator")
class SystemdSimLifecycleTest extends SystemdSimBaseTest {
    @Test
    void restartIsSynchronousAndTheTwoDaemonsNeverOverlap() {
        start();
        unit(List.of());
        user("start", UNIT);
        long first = ((Number) info().get("pid")).longValue();
        assertEquals(List.of(0, "", ""), outcome(user("restart", UNIT)));
        // §12 restart is synchronous: when it returns the old process is gone and the new one forked
        List<Spawn> spawns = sim.spawns(UNIT);
        assertEquals(2, spawns.size());
        // stop phase (§12): SIGTERM, which the sample daemon answers with a clean exit 0
        assertEquals(List.of(false, 0, 0), List.of(spawns.get(0).alive(), spawns.get(0).exitCode(),
                spawns.get(0).signal()));
        assertTrue(read(sim.systemd().journal(UNIT)).contains("hephd[" + first + "]: SIGTERM: shutting down"));
        assertFalse(spawns.get(0).overlaps(spawns.get(1)), spawns.toString());
        long second = pid();
        assertNotEquals(first, second);
        assertEquals(second, ((Number) info().get("pid")).longValue());
        // a manual restart is not an automatic one: NRestarts stays 0
        assertEquals(List.of("0", "active", "running", "success"), List.of(show("NRestarts"), show("ActiveState"),
                show("SubState"), show("Result")));
        assertEquals(List.of(0, "", ""), outcome(user("stop", UNIT)));
        assertEquals(List.of("inactive", "dead", "0"), List.of(show("ActiveState"), show("SubState"), show("MainPID")));
        assertFalse(ProcessGroups.isLive(second));
        assertEquals(List.of(0, "", ""), outcome(user("stop", UNIT))); // stopping a stopped unit is fine
    }

    @Test
    void stopWaitsTimeoutStopSecThenKillsTheGroup() {
        start();
        sim.daemonProperty(SampleDaemon.IGNORE_SIGTERM, "true");
        sim.daemonProperty(SampleDaemon.SPAWN_CHILD, "true");
        unit(UNIT, List.of(), "TimeoutStopSec=1\n");
        user("start", UNIT);
        long child = ((Number) info().get("child_pid")).longValue();
        long pid = pid();
        assertEquals(Set.of(pid, child), Set.copyOf(ProcessGroups.members(pid)));
        assertEquals("1s", show("TimeoutStopUSec"));
        ExecResult stop = user("stop", UNIT);
        assertEquals(0, stop.exitCode());
        // §12 stop phase: SIGTERM (ignored), TimeoutStopSec, then SIGKILL; the stop job waits for all of it
        Spawn s = sim.spawns(UNIT).get(0);
        assertEquals(9, s.signal());
        Call call = sim.calls().get(sim.calls().size() - 1);
        assertTrue(s.endMs() >= call.startMs() + 990, "SIGKILL before TimeoutStopSec: " + s + " " + call);
        assertTrue(call.endMs() >= s.endMs(), "stop returned before the process was gone");
        assertFalse(ProcessGroups.isLive(child), "the group's other process survived");
        assertEquals(List.of("failed", "failed", "timeout"), List.of(show("ActiveState"), show("SubState"),
                show("Result")));
    }

    @Test
    void restartAlwaysRespawnsAfterRestartSecAndCountsNRestarts() {
        start();
        unit(List.of());
        user("start", UNIT);
        long first = ((Number) info().get("pid")).longValue();
        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // killed from outside
        await("auto-restart", () -> sim.systemd().state(UNIT).orElse("").equals("activating/auto-restart")
                || sim.spawns(UNIT).size() == 2, Duration.ofSeconds(5));
        await("respawn", () -> sim.spawns(UNIT).size() == 2, Duration.ofSeconds(10));
        List<Spawn> s = sim.spawns(UNIT);
        assertEquals(9, s.get(0).signal());
        // RestartSec=1 counted from the reap; 10 ms slack for the two clocks involved
        assertTrue(s.get(1).startMs() - s.get(0).endMs() >= 990, "respawned before RestartSec=1: " + s);
        long second = ((Number) info().get("pid")).longValue();
        assertEquals(s.get(1).pid(), second);
        // NRestarts counts automatic restarts; ExecMain* describe the new main process (exec_status_start)
        assertEquals(List.of("1", "active", "running", Long.toString(second), "0"), List.of(show("NRestarts"),
                show("ActiveState"), show("SubState"), show("ExecMainPID"), show("ExecMainCode")));
    }

    @Test
    void aProcessThatCannotStartFailsTheJob() {
        start();
        writeUnit(UNIT, "[Service]\nExecStart=" + dir.resolve("no-such-hephd") + " --mode local\n");
        ExecResult r = user("start", UNIT);
        // §12 "restart, start fails" (exit 1); 203 = systemd's EXIT_EXEC
        assertEquals(List.of(1, "", jobFailed(UNIT, "the control process exited with error code")), outcome(r));
        assertEquals(List.of("failed", "failed", "exit-code", "1", "203"), List.of(show("ActiveState"),
                show("SubState"), show("Result"), show("ExecMainCode"), show("ExecMainStatus")));
        assertEquals(3, user("is-active", UNIT).exitCode());
        assertEquals(List.of(0, "failed\n"), List.of(user("is-failed", UNIT).exitCode(),
                user("is-failed", UNIT).stdout()));
    }

    @Test
    void aCrashLoopHitsTheStartLimit() {
        start();
        writeUnit(UNIT, "[Unit]\nStartLimitBurst=3\n\n[Service]\nExecStart=/bin/false\nRestart=always\n"
                + "RestartSec=50ms\n");
        int code = user("start", UNIT).exitCode(); // 1 when /bin/false dies within the start grace, else 0
        assertTrue(code == 0 || code == 1, "start: " + code);
        await("start-limit-hit", () -> "start-limit-hit".equals(prop("Result")), Duration.ofSeconds(10));
        assertEquals(List.of("failed", "failed", "2", "1", "1"), List.of(show("ActiveState"), show("SubState"),
                show("NRestarts"), show("ExecMainCode"), show("ExecMainStatus")));
        assertEquals(3, sim.spawns(UNIT).size());
        // a manual start is refused too until reset-failed
        assertEquals(List.of(1, "", jobFailed(UNIT, "start of the service was attempted too often")),
                outcome(user("start", UNIT)));
        assertEquals(List.of(0, "", ""), outcome(user("reset-failed", UNIT)));
        assertEquals(List.of("inactive", "dead"), List.of(show("ActiveState"), show("SubState")));
    }

    @Test
    void closingTheSimulatorKillsItsServices() {
        start();
        unit(List.of());
        user("start", UNIT);
        long pid = ((Number) info().get("pid")).longValue();
        sim.close();
        assertFalse(ProcessGroups.isLive(pid));
    }
}
