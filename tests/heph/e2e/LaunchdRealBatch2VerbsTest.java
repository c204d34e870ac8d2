package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.SimHarness;
import heph.sim.SimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What heph's verbs, status and doctor say when the simulated launchd behaves as the second batch of real
 * launchctl outputs shows (tests/fixtures/real-launchctl/INDEX.md section E): no gui domain at all (err-51, 64),
 * spawns that fail with an exit reason and {@code job state = spawn failed} (print-43, section D), a KeepAlive
 * respawn after exit 0 (print-41), print-disabled in true/false (print-32/33) and an invalid plist's 133 (err-52).
 */
@org.junit.jupiter.api.Tag("simulator")
class LaunchdRealBatch2VerbsTest {
    static final String LABEL = "org.hephaestus.hephd";
    @TempDir
    Path dir;
    HephInSim h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    HephInSim sim(SimOptions o) {
        h = new HephInSim(o.withSeed(17).withCleanupLagMs(200, 400));
        return h;
    }

    static String both(HephInSim.Run r) {
        return r.out() + r.err();
    }

    @Test
    void noGuiDomainAtAllIsSaidAsSuchWithTheUserDomainAsWayOut() {
        sim(SimOptions.in(dir)).sim.knobs().guiDomainUnrecognized(true);
        HephInSim.Run status = h.heph("status");
        assertEquals(1, status.exit(), both(status));
        assertEquals(1, status.err().strip().lines().count(), status.err());
        for (String part : List.of("Unrecognized domain-target specifier", "no GUI login session",
                "`heph --domain user <verb>`")) {
            assertTrue(status.err().contains(part), "missing " + part + ": " + status.err());
        }
        assertFalse(status.err().contains("heph bug"), status.err());
        HephInSim.Run start = h.heph("start");
        assertEquals(1, start.exit(), both(start));
        assertTrue(start.err().contains("no GUI login session") && start.err().contains("--domain user"), start.err());
        assertTrue(h.sim.spawns(LABEL).isEmpty(), "nothing started");
        HephInSim.Run doctor = h.heph("doctor");
        assertNotEquals(0, doctor.exit());
        String d = both(doctor);
        assertTrue(d.contains(h.sim.domain() + " is missing (launchctl print answers 64: Unrecognized domain-target"
                + " specifier.): no GUI login session for this user"), d);
        assertTrue(d.contains("heph --domain user <verb>"), d);
        HephInSim.Run user = h.heph("--domain", "user", "start");
        assertEquals(0, user.exit(), both(user));
        assertTrue(h.sim.runningPid(LABEL).isPresent());
    }

    @Test
    void spawnsThatFailWithAnExitReasonAreACrashLoopInStatusAndDoctor() {
        sim(SimOptions.in(dir).withDefaultThrottleSec(1)).sim.knobs().spawnFailureReason("OS_REASON_CODESIGNING");
        HephInSim.Run start = h.heph("start");
        assertEquals(1, start.exit(), both(start));
        assertTrue(start.err().startsWith("heph: launchd cannot start hephd: its spawn failed (job state = spawn"
                + " failed; macOS rejected the program's code signature: sign it again or rebuild it) (state = "),
                start.err());
        assertTrue(start.err().contains("last exit reason = OS_REASON_CODESIGNING"), start.err());
        // a brand-new agent that fails is put back to not installed; loaded by hand, launchd keeps respawning it
        assertTrue(start.err().contains("it was not installed before"), start.err());
        Path kept;
        try (var files = java.nio.file.Files.list(h.sim.home().resolve(".local/state/heph/failed"))) {
            kept = files.findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            java.nio.file.Files.copy(kept, h.plist());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(0, new heph.proc.ZtExecRunner().run(List.of(h.sim.launchctl().toString(), "bootstrap",
                h.sim.domain(), h.plist().toString()), Duration.ofSeconds(15)).exitCode());
        SimHarness.await("a second failed spawn", () -> runs(h.heph("status", "--json")) >= 2,
                Duration.ofSeconds(30));
        HephInSim.Run status = h.heph("status", "--json");
        Map<String, Object> j = status.json();
        assertEquals(true, j.get("crash_loop"), status.out());
        assertEquals("OS_REASON_CODESIGNING", j.get("last_exit_reason"));
        assertNull(j.get("last_exit_code"), "launchd printed no exit code");
        String hint = (String) j.get("hint");
        assertTrue(hint.startsWith("crash loop: launchd cannot start hephd, each spawn fails (state = spawn"
                + " scheduled, job state = spawn failed, runs "), hint);
        assertTrue(hint.contains("last exit reason OS_REASON_CODESIGNING (macOS rejected the program's code"
                + " signature"), hint);
        HephInSim.Run text = h.heph("status");
        assertTrue(text.out().contains("(crash loop: runs "), text.out());
        assertTrue(text.out().contains("exit reason OS_REASON_CODESIGNING"), text.out());
        String d = both(h.heph("doctor"));
        assertTrue(d.contains("crash loop: state = spawn scheduled, job state = spawn failed, runs "), d);
        assertTrue(d.contains("last exit reason OS_REASON_CODESIGNING (macOS rejected the program's code signature"),
                d);
        assertTrue(d.contains("launchd cannot start hephd, each spawn fails"), d);
    }

    static long runs(HephInSim.Run status) {
        Object r = status.json().get("runs");
        return r == null ? 0 : ((Number) r).longValue();
    }

    @Test
    void aKeepAliveRespawnAfterExitZeroIsNotACrashLoop() {
        sim(SimOptions.in(dir).withDefaultThrottleSec(600));
        assertEquals(0, h.heph("start").exit());
        long pid = ((Number) h.daemonInfo().get("pid")).longValue(); // the daemon's own pid, not its wrapper's
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: the sample daemon exits 0
        SimHarness.await("spawn scheduled", () -> h.sim.state(LABEL).orElse("").equals("spawn scheduled"),
                Duration.ofSeconds(20));
        HephInSim.Run status = h.heph("status", "--json");
        Map<String, Object> j = status.json();
        assertEquals(false, j.get("crash_loop"), status.out());
        assertNotNull(j.get("last_exit_code"), status.out());
        assertEquals(0L, ((Number) j.get("last_exit_code")).longValue(), status.out());
        assertEquals("hephd exited cleanly and launchd starts it again shortly (KeepAlive; state = spawn scheduled, job"
                + " state = exited, runs 1, last exit code 0); run heph status again in a moment", j.get("hint"));
        String d = both(h.heph("doctor"));
        assertFalse(d.contains("crash loop"), d);
        assertTrue(d.contains("not running: it exited cleanly and launchd starts it again shortly"), d);
    }

    @Test
    void printDisabledInTrueFalseIsReadByDoctor() {
        sim(SimOptions.in(dir)).sim.knobs().printDisabledTrueFalse(true);
        assertEquals(0, h.heph("start").exit());
        SimHarness lc = new SimHarness(h.sim);
        assertTrue(lc.lc("print-disabled", h.sim.domain()).stdout().contains("\t\"" + LABEL + "\" => false\n"));
        assertTrue(both(h.heph("doctor")).contains(LABEL + " is enabled"));
        assertEquals(0, lc.lc("disable", h.target()).exitCode());
        assertTrue(lc.lc("print-disabled", h.sim.domain()).stdout().contains("\t\"" + LABEL + "\" => true\n"));
        String d = both(h.heph("doctor"));
        assertTrue(d.contains(LABEL + " is disabled in launchd's override database"), d);
    }

    @Test
    void anInvalidPlistAt133IsAClearErrorAndNotRetried() throws Exception {
        sim(SimOptions.in(dir)).sim.knobs().invalidPlistExit133(true).hang("bootstrap");
        CompletableFuture<HephInSim.Run> start = CompletableFuture.supplyAsync(() -> h.heph("start"));
        // heph writes its plist, enables the label, then bootstraps (which hangs): spoil the file in between
        SimHarness.await("enable", () -> h.verbs().contains("enable"), Duration.ofSeconds(60));
        Files.writeString(h.plist(), "<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict>\n");
        h.sim.knobs().release("bootstrap");
        HephInSim.Run r = start.get(120, TimeUnit.SECONDS);
        assertEquals(1, r.exit(), both(r));
        assertTrue(r.err().contains("launchctl bootstrap failed: 133: Multiple errors were returned (\"" + h.plist()
                + ": Invalid property list\")"), r.err());
        assertTrue(r.err().contains("is not a valid property list (launchd answers 133 at once; heph does not retry"
                + " it)"), r.err());
        assertEquals(1, h.verbs().stream().filter("bootstrap"::equals).count(), "133 is not retried: " + h.verbs());
        assertTrue(h.sim.spawns(LABEL).isEmpty());
    }
}
