package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import heph.proc.ZtExecRunner;
import heph.sim.SimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every verb end to end: heph's CLI → zt-exec → the launchctl shim → the simulator → real daemon processes. */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class LaunchdVerbsTest {
    @TempDir
    Path dir;
    HephInSim h;

    @BeforeEach
    void start() {
        h = new HephInSim(SimOptions.in(dir).withSeed(7).withCleanupLagMs(200, 500));
    }

    @AfterEach
    void close() {
        h.close();
    }

    long pid(HephInSim.Run r, String key) {
        return ((Number) r.json().get(key)).longValue();
    }

    @Test
    void theWholeLifecycleThroughTheCli() {
        HephInSim.Run status = h.heph("status", "--json");
        assertEquals(3, status.exit(), "not installed: status exits 3");
        assertEquals(false, status.json().get("installed"));

        HephInSim.Run start = h.heph("start", "--hub-url", "http://indri:8787", "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals("start", start.json().get("path"));
        long pid = pid(start, "new_pid");
        assertEquals(pid, h.sim.runningPid("org.hephaestus.hephd").getAsLong());
        assertEquals(pid, ((Number) h.daemonInfo().get("pid")).longValue(), "the socket answers");
        assertEquals(List.of("--mode", "local", "--hub-url", "http://indri:8787"), h.daemonArgv());

        // docs/facts/launchd-facts.md §1: a second bootstrap would fail with 5; start must see the job loaded and do nothing
        h.sim.clearCalls();
        HephInSim.Run again = h.heph("start", "--json");
        assertEquals("none", again.json().get("path"));
        assertTrue(h.verbs().stream().allMatch(v -> v.startsWith("print")),
                "no mutating launchctl call: " + h.verbs());

        // bare restart: kickstart -k, a fresh pid, no bootout/bootstrap (docs/facts/launchd-facts.md §4)
        h.sim.clearCalls();
        HephInSim.Run kick = h.heph("restart", "--json");
        assertEquals("kickstart", kick.json().get("path"));
        assertTrue(pid(kick, "new_pid") != pid);
        assertFalse(h.verbs().contains("bootout") || h.verbs().contains("bootstrap"), h.verbs().toString());

        // a changed flag: the reload path, the daemon's own argv shows the plist was re-read, other flags kept
        for (String interval : List.of("300", "600")) {
            h.sim.clearCalls();
            HephInSim.Run reload = h.heph("restart", "--self-update-interval-secs", interval, "--json");
            assertEquals(0, reload.exit(), reload.err());
            assertEquals("reload", reload.json().get("path"));
            assertEquals(List.of("--mode", "local", "--hub-url", "http://indri:8787", "--self-update-interval-secs",
                    interval), h.daemonArgv());
            List<String> verbs = h.verbs();
            assertTrue(verbs.indexOf("bootout") < verbs.lastIndexOf("print")
                    && verbs.indexOf("bootstrap") > verbs.indexOf("bootout"), verbs.toString());
        }
        assertEquals(1, h.alive());

        HephInSim.Run running = h.heph("status", "--json");
        assertEquals(0, running.exit());
        Map<String, Object> st = running.json();
        assertEquals(h.plist().toString(), st.get("file"));
        assertEquals(h.socket().toString(), st.get("socket"));
        assertEquals(h.sim.hephd().toString(), st.get("program"));
        assertEquals(h.sim.home().resolve("Library/Logs/heph/hephd.err.log").toString(), st.get("stderr_log"));
    }

    @Test
    void stopReturnsOnlyOnceTheLabelIsGoneAndStartStopUninstallAreIdempotent() {
        assertEquals(0, h.heph("start").exit());
        long pid = h.sim.runningPid("org.hephaestus.hephd").getAsLong();
        HephInSim.Run stop = h.heph("stop", "--json");
        assertEquals(0, stop.exit(), stop.err());
        // right after stop returns: print answers 113 and the process is gone (docs/facts/launchd-facts.md §2, §3)
        ExecResult print = new ZtExecRunner().run(List.of(h.sim.launchctl().toString(), "print", h.target()),
                Duration.ofSeconds(10));
        assertEquals(113, print.exitCode());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertTrue(pid(stop, "waited_ms") >= 0);

        HephInSim.Run stopAgain = h.heph("stop");
        assertEquals(0, stopAgain.exit());
        assertEquals("heph: hephd is already stopped", stopAgain.err().strip());
        assertEquals(0, h.heph("uninstall").exit());
        assertFalse(Files.exists(h.plist()));
        HephInSim.Run uninstallAgain = h.heph("uninstall", "--json");
        assertEquals(0, uninstallAgain.exit());
        assertEquals("none", uninstallAgain.json().get("path"));
        assertEquals(0, h.heph("start", "--wait-ready").exit());
        assertEquals(0, h.heph("start", "--wait-ready").exit());
        assertEquals(1, h.alive());
    }

    @Test
    void launchctlRefusalsReachTheUserWithTheirMeaning() {
        // docs/facts/launchd-facts.md §8 texts; raw launchctl words only with --verbose
        h.sim.knobs().failNext("bootstrap", 1, 122);
        HephInSim.Run bad = h.heph("start");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().startsWith("heph: launchctl bootstrap failed: 122: Path had bad ownership/permissions: "),
                bad.err());
        assertEquals(1, bad.err().lines().count(), "one line without --verbose");

        h.sim.knobs().failNext("bootstrap", 1, 119);
        HephInSim.Run disabled = h.heph("start", "--verbose");
        assertEquals(1, disabled.exit());
        assertTrue(disabled.err().contains("119: Service is disabled"), disabled.err());
        assertTrue(disabled.err().contains("Bootstrap failed: 119"), "--verbose shows launchctl's words");

        HephInSim.Run ok = h.heph("start", "--json");
        assertEquals(0, ok.exit(), ok.err());
        assertEquals(1, h.alive());
    }
}
