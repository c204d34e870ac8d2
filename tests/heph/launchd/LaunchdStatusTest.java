package heph.launchd;

import static heph.support.ScriptedRunner.out;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.service.ServiceStatus;
import heph.service.Settings;
import heph.support.FakeClock;
import heph.support.Repo;
import heph.support.ScriptedRunner;
import heph.support.TestSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `heph status` on launchd fed real `launchctl print` blocks (tests/fixtures/real-launchctl, INDEX.md section A):
 * what it reports when launchd prints a signal or an exit reason instead of an exit code, a crash loop, a spawn in
 * progress, a RunAtLoad that never fired, and a header without the domain (docs/facts/launchd-facts.md §3, §13).
 */
@org.junit.jupiter.api.Tag("unit")
class LaunchdStatusTest {
    @TempDir
    Path home;
    Settings settings;

    @BeforeEach
    void setUp() {
        settings = new TestSettings(home).launchd(501);
    }

    static String fixture(String name) {
        try {
            return Files.readString(Repo.root().resolve("tests/fixtures/real-launchctl").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ServiceStatus status(String printStdout) {
        ScriptedRunner r = new ScriptedRunner().on("print", out(printStdout));
        ServiceStatus st = new LaunchdBackend(settings, r, new FakeClock()).status();
        assertEquals(1, r.calls().size(), "status only reads: " + r.calls());
        return st;
    }

    @Test
    void headerWithoutDomainIsReadAsTheRunningJobItIs() { // §13: macOS 10.10-10.15 print `label = {`
        ServiceStatus st = status(fixture("print-11-running-system-daemon-mojave-wazuh2206-TRUNCATED.txt"));
        assertTrue(st.running());
        assertEquals(1486L, st.pid());
        assertEquals("running", st.state());
        assertEquals("0", st.lastExitCode());
        assertEquals(3L, st.runs());
        assertEquals("/Library/StartupItems/WAZUH/Wazuh-launcher", st.program());
        assertNull(st.hint(), "not `loaded but not running (last exit code )`");
    }

    @Test
    void lastTerminatingSignalReplacesTheExitCode() { // §3/§13 print-07, after kickstart -k
        ServiceStatus st = status(fixture("print-07-running-after-kickstart-k-lastsignal-TERM-gui-thirdparty-agent.txt"));
        assertTrue(st.running());
        assertEquals(16090L, st.pid());
        assertNull(st.lastExitCode());
        assertEquals("Terminated: 15", st.lastSignal());
        assertNull(st.lastExitReason());
        assertFalse(st.crashLoop());
        Map<String, Object> json = st.toJson();
        assertEquals("Terminated: 15", json.get("last_signal"));
        assertTrue(json.containsKey("last_exit_code"));
        assertNull(json.get("last_exit_code"));
        assertEquals(false, json.get("crash_loop"));
        assertEquals(true, json.get("running"));
        assertEquals(16090L, json.get("pid"));
        assertEquals("running", json.get("state"));
    }

    @Test
    void lastExitReasonIsShownWhenThereIsNoExitCode() { // §13 print-03
        ServiceStatus st = status(fixture(
                "print-03-notrunning-lastexitreason-jetsam-noexitcode-gui-mlruntimed-macos26-dumpstate.txt"));
        assertFalse(st.running());
        assertNull(st.lastExitCode());
        assertNull(st.lastSignal());
        assertEquals("JETSAM_REASON_MEMORY_IDLE_EXIT", st.lastExitReason());
        assertEquals("loaded but not running (last exit reason JETSAM_REASON_MEMORY_IDLE_EXIT); see the stderr log,"
                + " or run heph restart", st.hint());
    }

    @Test
    void spawnScheduledWithManyRunsIsACrashLoop() { // §3 Throttled, §13 print-21
        ServiceStatus st = status(fixture("print-21-spawn-scheduled-crashloop-runs17169-exit1-gui-mimi-TRIMMED.txt"));
        assertFalse(st.running());
        assertNull(st.pid());
        assertTrue(st.crashLoop());
        assertEquals("spawn scheduled", st.state());
        assertEquals(17169L, st.runs());
        assertEquals("1", st.lastExitCode());
        assertEquals(1L, st.toJson().get("last_exit_code"), "a number in JSON, not a string");
        assertEquals("crash loop: hephd keeps exiting and launchd keeps restarting it (state = spawn scheduled,"
                + " runs 17169, last exit code 1); see the stderr log, fix the cause, then run heph restart", st.hint());
        assertEquals(true, st.toJson().get("crash_loop"));
    }

    @Test
    void spawnInProgressIsStartingNotStopped() { // §13 `state = xpcproxy` (siq-agent-security PR 66)
        String out = fixture("print-22-running-neverexited-gui-mimi-TRIMMED.txt")
                .replace("state = running", "state = xpcproxy").replace("\tpid = 1478\n", "");
        ServiceStatus st = status(out);
        assertFalse(st.running());
        assertTrue(st.starting());
        assertFalse(st.crashLoop());
        assertEquals("xpcproxy", st.state());
        assertEquals("launchd is starting hephd (state = xpcproxy); run heph status again in a moment", st.hint());
        assertEquals(true, st.toJson().get("starting"));
    }

    @Test
    void pendedNondemandSpawnSaysRunAtLoadNeverFired() { // §13 print-28 (openbase PR 15: kickstart fixes it)
        ServiceStatus st = status(fixture(
                "print-28-FRAGMENT-notrunning-runs0-pended-nondemand-spawn-speculative-gui501-libydotfiles28.txt"));
        assertFalse(st.running());
        assertEquals(0L, st.runs());
        assertEquals("loaded but never started (pended nondemand spawn = speculative: RunAtLoad did not fire) — run"
                + " heph start", st.hint());
    }

    @Test
    void notRunningWithAnExitCodeNamesIt() { // §3 print-26, `last exit code = 1`, `job state = exited`
        ServiceStatus st = status(fixture(
                "print-26-notrunning-exit1-jobstate-exited-user501-thirdparty-ipados18-dumpstate.txt"));
        assertFalse(st.running());
        assertFalse(st.crashLoop());
        assertEquals("1", st.lastExitCode());
        assertEquals(1L, st.toJson().get("last_exit_code"), "a number in JSON, not a string");
        assertEquals(List.of("/var/jb/usr/bin/sh", "/var/jb/usr/libexec/shshd-wrapper"), st.arguments());
        assertEquals("loaded but not running (last exit code 1); see the stderr log, or run heph restart", st.hint());
    }

    @Test
    void jsonKeepsItsFieldsAndGainsTheNewOnes() {
        Map<String, Object> json = status(fixture("print-22-running-neverexited-gui-mimi-TRIMMED.txt")).toJson();
        for (String key : List.of("running", "pid", "state", "last_exit_code", "last_signal", "last_exit_reason",
                "crash_loop", "starting", "runs", "program", "arguments", "hint")) {
            assertTrue(json.containsKey(key), key);
        }
        assertNull(json.get("last_exit_code"), "(never exited) is null in JSON");
        assertNull(json.get("last_signal"));
        assertEquals(false, json.get("starting"));
    }
}
