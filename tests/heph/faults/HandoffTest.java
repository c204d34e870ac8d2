package heph.faults;

import static heph.faults.FaultHarness.LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.faults.FaultHarness.Run;
import heph.sim.SimOptions;
import heph.sim.daemon.DaemonRpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Self-restart: hephd's self-update runs `heph restart` inside the job (launchd sets XPC_SERVICE_NAME to the label,
 * docs/facts/launchd-facts.md §3 "environment" of a running job). bootout would kill that heph halfway, so it hands the work to a
 * detached heph in a session of its own and returns at once; the detached one completes the reload.
 */
@org.junit.jupiter.api.Tag("faults")
class HandoffTest extends FaultTest {
    @Test
    void insideTheJobHephHandsOffAndTheDetachedHephCompletesTheRestart() {
        h = new FaultHarness(SimOptions.in(dir).withSeed(111).withCleanupLagMs(200, 600));
        assertEquals(0, h.heph("start", "--self-update-interval-secs", "1300").code());
        long oldPid = h.theDaemon().pid();
        Map<String, String> env = h.env();
        env.put("XPC_SERVICE_NAME", LABEL);
        h.sim.clearCalls();
        h.sim.knobs().hang("bootout"); // holds the reload at bootout: the caller must not wait for it

        Run caller = h.launch(env, "restart", "--self-update-interval-secs", "1301", "--json")
                .await(Duration.ofSeconds(30));
        assertEquals(0, caller.code(), caller.toString());
        assertEquals("handoff", caller.json().get("path"));
        long detached = caller.number("handoff_pid");
        h.adopt(detached);
        assertTrue(ProcessHandle.of(detached).isPresent(), "the detached heph outlives its caller");
        assertTrue(h.verbs().stream().noneMatch(v -> v.equals("bootout") || v.equals("bootstrap")), h.verbs()
                .toString());
        FaultHarness.await("the detached heph's bootout in flight", () -> h.shims().stream()
                .anyMatch(p -> p.info().commandLine().orElse("").contains(" bootout ")), Duration.ofSeconds(30));
        h.sim.knobs().release("bootout");

        FaultHarness.await("the detached heph finished", () -> ProcessHandle.of(detached).isEmpty(),
                Duration.ofSeconds(60));
        assertEquals(0, h.heph("status").code());
        assertTrue(h.theDaemon().pid() != oldPid);
        List<String> args = h.plistArgs();
        assertTrue(args.containsAll(List.of("--self-update-interval-secs", "1301")), args.toString());
        assertEquals(args, h.theDaemon().argv());
        String log = FaultHarness.read(Path.of((String) caller.json().get("log")));
        assertTrue(log.contains("\"path\":\"reload\""), log);
        h.assertNeverTwoAtOnce();
    }

    @Test
    void hephRunByTheDaemonItselfIsSeenAsADescendantOfTheJobAndHandsOff() {
        // hephd's self-update runs `heph restart` as its child, in the job's process group, which bootout kills.
        // No XPC_SERVICE_NAME here: heph must see it descends from the job's pid.
        h = new FaultHarness(SimOptions.in(dir).withSeed(112).withCleanupLagMs(200, 600));
        assertEquals(0, h.heph("start", "--self-update-interval-secs", "1400").code());
        long oldPid = h.theDaemon().pid();
        Path log = dir.resolve("self-update.log");
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        params.put("argv", List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "heph.cli.Main", "restart", "--self-update-interval-secs",
                "1401"));
        params.put("env", h.env());
        params.put("unset", List.of("XPC_SERVICE_NAME"));
        params.put("log", log.toString());
        Path socket = h.sim.home().resolve(".local/share/heph/hephd.sock");
        h.awaitAnswering(); // "running" comes before the daemon's socket is bound, by seconds on a loaded machine
        Map<String, Object> spawned = heph.sim.daemon.DaemonRpc.call(socket, "daemon.spawn", params, Duration.ofSeconds(10))
                .orElseThrow(() -> new AssertionError("the daemon did not run heph"));
        h.adopt(((Number) spawned.get("pid")).longValue());

        FaultHarness.await("the new definition running", () -> h.spawns().stream().anyMatch(sp -> sp.alive()
                && sp.argv().contains("1401")), Duration.ofSeconds(60));
        String said = FaultHarness.read(log);
        assertTrue(said.contains("running inside " + LABEL + "; handed the work to a detached heph"), said);
        assertTrue(h.theDaemon().pid() != oldPid);
        // a spawn shows `state = xpcproxy` for a moment first (docs/facts/launchd-facts.md §13), which status calls starting (3)
        FaultHarness.await("status running", () -> h.heph("status").code() == 0, Duration.ofSeconds(10));
        h.assertNeverTwoAtOnce();
    }
}
