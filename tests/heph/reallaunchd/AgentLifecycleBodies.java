package heph.reallaunchd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import heph.reallaunchd.ThrowawayAgent.Run;
import heph.sim.daemon.DaemonRpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * heph's verbs on a throwaway LaunchAgent, asserting only what a real launchd lets one observe: heph's JSON,
 * {@code launchctl print}'s exit code, the daemon's own answer on its socket (pid, argv) and whether a pid is alive.
 * No test here looks at which launchctl verbs ran (only the simulator can tell; heph.e2e.LaunchdVerbsTest does).
 * Subclasses say where launchctl comes from ({@link LaunchdHost}).
 */
abstract class AgentLifecycleBodies {
    static final String HUB = "http://indri:8787";
    LaunchdHost host;
    ThrowawayAgent a;

    /** The host for one test; may abort the test with an assumption (a visible skip with its reason). */
    abstract LaunchdHost openHost() throws Exception;

    @BeforeEach
    void open() throws Exception {
        host = openHost();
        a = ThrowawayAgent.create(host);
    }

    @AfterEach
    void close() {
        try {
            if (a != null) {
                a.close(); // bootout, wait for 113, kill leftovers, remove plist, lock, temp folder; throws if any stay
            }
        } finally {
            if (host != null) {
                host.close();
            }
        }
    }

    @AfterAll
    static void safetyNet() {
        List<String> problems = ThrowawayAgent.closeAll();
        assertTrue(problems.isEmpty(), problems.toString());
    }

    List<String> baseArgv() {
        return List.of("--mode", "local", "--hub-url", HUB, "--db", a.db.toString(), "--socket", a.socket.toString());
    }

    static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (ThrowawayAgent.alive(pid) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(ThrowawayAgent.alive(pid), "pid " + pid + " is still alive");
    }

    @Test
    void startLoadsTheAgentAndTheDaemonAnswersOnItsSocket() {
        Run none = a.heph("status", "--json");
        assertEquals(3, none.exit(), "nothing installed: status exits 3; " + none.err());
        assertEquals(false, none.json().get("installed"));

        a.seedPlist();
        Run seeded = a.heph("status", "--json");
        assertEquals(3, seeded.exit(), "installed but not loaded: status exits 3");
        assertEquals(true, seeded.json().get("installed"));
        assertEquals(false, seeded.json().get("loaded"));

        // not loaded: write, enable, bootstrap, verify (docs/using.md "Verbs")
        Run start = a.heph("start", "--hub-url", HUB, "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals("start", start.json().get("path"));
        long pid = start.pid("new_pid");
        Map<String, Object> info = a.daemon(pid);
        assertEquals(baseArgv(), info.get("argv"), "the flags seeded in the plist are kept, --hub-url added");
        assertEquals(0, a.launchctl("print", a.target()).exitCode(), "launchd knows the label");

        // docs/facts/launchd-facts.md §1: a second bootstrap would fail; start sees the job loaded and running and does nothing
        Run again = a.heph("start", "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals("none", again.json().get("path"));
        assertTrue(ThrowawayAgent.alive(pid));

        Run status = a.heph("status", "--json");
        assertEquals(0, status.exit(), "running: status exits 0");
        Map<String, Object> st = status.json();
        assertEquals(pid, ((Number) st.get("pid")).longValue());
        assertEquals(true, st.get("loaded"));
        assertEquals(a.plist().toString(), st.get("file"));
        assertEquals(a.wrapper.toString(), st.get("program"));
        assertEquals(a.socket.toString(), st.get("socket"));
        assertEquals(a.errLog.toString(), st.get("stderr_log"), "the seeded log path is kept");
    }

    @Test
    void bareRestartKickstartsAndAChangedFlagReloads() throws InterruptedException {
        a.seedPlist();
        Run start = a.heph("start", "--hub-url", HUB, "--json");
        assertEquals(0, start.exit(), start.err());
        long pid = start.pid("new_pid");

        // unchanged: kickstart -k, a fresh pid, same argv (docs/facts/launchd-facts.md §4)
        Run kick = a.heph("restart", "--json");
        assertEquals(0, kick.exit(), kick.err());
        assertEquals("kickstart", kick.json().get("path"));
        long kicked = kick.pid("new_pid");
        assertNotEquals(pid, kicked);
        assertEquals(baseArgv(), a.argv(kicked));
        awaitGone(pid);

        // a changed flag: bootout, wait until print answers 113, bootstrap; the daemon's own argv shows the new plist
        long previous = kicked;
        for (String interval : List.of("300", "600")) {
            Run reload = a.heph("restart", "--self-update-interval-secs", interval, "--json");
            assertEquals(0, reload.exit(), reload.err());
            assertEquals("reload", reload.json().get("path"));
            long fresh = reload.pid("new_pid");
            assertNotEquals(previous, fresh);
            List<String> expected = new java.util.ArrayList<>(baseArgv());
            expected.addAll(List.of("--self-update-interval-secs", interval));
            assertEquals(expected, a.argv(fresh));
            assertFalse(ThrowawayAgent.alive(previous), "bootout had finished before bootstrap");
            previous = fresh;
        }

        // a bare restart afterwards keeps every baked flag
        Run bare = a.heph("restart", "--json");
        assertEquals("kickstart", bare.json().get("path"));
        assertTrue(a.argv(bare.pid("new_pid")).contains("600"));
        assertEquals(1, a.leftovers().size(), "exactly one daemon of this run is alive: " + a.leftovers());
    }

    @Test
    void stopReturnsOnceTheLabelIsGoneAndUninstallRemovesThePlist() throws InterruptedException {
        a.seedPlist();
        Run start = a.heph("start", "--hub-url", HUB, "--json");
        assertEquals(0, start.exit(), start.err());
        long pid = start.pid("new_pid");
        a.daemon(pid);

        Run stop = a.heph("stop", "--json");
        assertEquals(0, stop.exit(), stop.err());
        // right after stop returns: print answers 113, the process is gone (docs/facts/launchd-facts.md §2, §3)
        ExecResult print = a.launchctl("print", a.target());
        assertEquals(113, print.exitCode(), print.stdout() + print.stderr());
        assertFalse(ThrowawayAgent.alive(pid), "the daemon is gone when stop returns");
        assertTrue(DaemonRpc.info(a.socket, Duration.ofSeconds(1)).isEmpty(), "nobody answers on the socket");

        Run stopAgain = a.heph("stop");
        assertEquals(0, stopAgain.exit());
        assertEquals("heph: hephd is already stopped", stopAgain.err().strip());

        Run stopped = a.heph("status", "--json");
        assertEquals(3, stopped.exit(), "stopped: status exits 3");
        assertEquals(true, stopped.json().get("installed"));
        assertEquals(false, stopped.json().get("loaded"));

        Run uninstall = a.heph("uninstall", "--json");
        assertEquals(0, uninstall.exit(), uninstall.err());
        assertFalse(Files.exists(a.plist()));
        Run uninstallAgain = a.heph("uninstall", "--json");
        assertEquals(0, uninstallAgain.exit());
        assertEquals("none", uninstallAgain.json().get("path"));
        Run gone = a.heph("status", "--json");
        assertEquals(3, gone.exit());
        assertEquals(false, gone.json().get("installed"));
    }

    @Test
    void cleanupLeavesNothingBehindEvenWithTheDaemonRunning() {
        a.seedPlist();
        Run start = a.heph("start", "--hub-url", HUB, "--json");
        assertEquals(0, start.exit(), start.err());
        long pid = start.pid("new_pid");
        a.daemon(pid);
        assertTrue(Files.exists(a.lockFile()), "heph took its lock: " + a.lockFile());
        Path tmp = a.dir;

        a.close(); // as after a test that failed halfway: loaded, running, KeepAlive on
        assertEquals(113, a.launchctl("print", a.target()).exitCode(), "the label is gone from launchd");
        assertFalse(ThrowawayAgent.alive(pid));
        assertEquals(List.of(), a.leftovers());
        assertFalse(Files.exists(a.plist()));
        assertFalse(Files.exists(a.lockFile()));
        assertFalse(Files.exists(tmp));
        for (Path d : a.missingBefore()) {
            assertFalse(Files.exists(d), d + " was created by the run and is removed by its cleanup");
        }
        a.close(); // idempotent
    }
}
