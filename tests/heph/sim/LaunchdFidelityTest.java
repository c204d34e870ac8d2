package heph.sim;

import static heph.sim.SimHarness.LABEL;
import static heph.sim.SimHarness.await;
import static heph.sim.SimHarness.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import heph.sim.daemon.SampleDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Process-level, through the real bin/launchctl shim: the fidelity knobs (docs/facts/launchd-facts.md §2, §4, §11, §13) —
 * xpcproxy after a spawn, kickstart -k by SIGTERM (and when it returns), bootout --wait present or absent,
 * a launchd that does not create log folders, the pre-Big Sur print header.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class LaunchdFidelityTest extends SimTestSupport {
    @Test
    void eachSpawnShowsXpcproxyForTheConfiguredTimeThenRunning() {
        start(SimOptions.in(dir).withXpcproxyMs(700));
        h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString());
        long pid = sim.runningPid(LABEL).orElseThrow();
        String print = h.lc("print", h.target(LABEL)).stdout(); // §13: transitional state, its pid already shown
        assertTrue(print.contains("\tstate = xpcproxy\n") && print.contains("\tpid = " + pid + "\n"), print);
        await("running", () -> h.lc("print", h.target(LABEL)).stdout().contains("\tstate = running\n"),
                Duration.ofSeconds(5));
        sim.knobs().xpcproxyMs(0);
        h.lc("kickstart", "-k", h.target(LABEL));
        assertEquals("running", sim.state(LABEL).orElseThrow(), "0 ms: straight to running");
    }

    @Test
    void kickstartKillSendsSigtermAndPrintShowsTheSignalTheDaemonDiedOf() {
        start(SimOptions.in(dir).withXpcproxyMs(0));
        sim.daemonProperty(SampleDaemon.DIE_OF_SIGTERM, "true");
        h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString());
        long first = ((Number) h.awaitInfo().get("pid")).longValue();
        assertEquals(0, h.lc("kickstart", "-k", h.target(LABEL)).exitCode());
        // default: kickstart -k returns once the successor runs (what the simulator always did)
        long second = sim.runningPid(LABEL).orElseThrow();
        assertNotEquals(first, second);
        assertEquals(15, sim.spawns(LABEL).get(0).signal(), "SIGTERM, not SIGKILL (print-07)");
        String print = h.lc("print", h.target(LABEL)).stdout();
        assertTrue(print.contains("\tlast terminating signal = Terminated: 15\n")
                && !print.contains("\tlast exit code = "), print);
        assertTrue(read(sim.logs().resolve(LABEL + ".out.log")).contains("hephd[" + first + "]: SIGTERM"));
    }

    @Test
    void aDaemonIgnoringSigtermIsKilledByKickstartOnlyAfterItsExitTimeOut() {
        start(SimOptions.in(dir).withXpcproxyMs(0));
        sim.daemonProperty(SampleDaemon.IGNORE_SIGTERM, "true");
        h.lc("bootstrap", sim.domain(), h.plist(LABEL, List.of(), map("ExitTimeOut", 1)).toString());
        h.awaitInfo();
        long before = System.currentTimeMillis();
        assertEquals(0, h.lc("kickstart", "-k", h.target(LABEL)).exitCode());
        Spawn old = sim.spawns(LABEL).get(0);
        assertEquals(9, old.signal());
        assertTrue(old.endMs() - before >= 1000, "SIGKILL came before ExitTimeOut: " + old);
        assertTrue(h.lc("print", h.target(LABEL)).stdout().contains("\tlast terminating signal = Killed: 9\n"));
    }

    @Test
    void asynchronousKickstartReturnsBeforeTheRespawn() {
        start(SimOptions.in(dir).withXpcproxyMs(0).withKickstartAsync(true));
        sim.daemonProperty(SampleDaemon.SHUTDOWN_MS, "800");
        h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString());
        long first = ((Number) h.awaitInfo().get("pid")).longValue();
        ExecResult k = h.lc("kickstart", "-k", "-p", h.target(LABEL));
        assertEquals(List.of(0, ""), List.of(k.exitCode(), k.stdout()), "no new pid to print yet");
        // the old daemon still shuts down: print shows it, running (§4: what launchd shows meanwhile is unknown)
        assertEquals(first, sim.runningPid(LABEL).orElseThrow());
        assertTrue(h.lc("print", h.target(LABEL)).stdout().contains("\tpid = " + first + "\n"));
        await("the successor", () -> sim.runningPid(LABEL).orElse(first) != first, Duration.ofSeconds(10));
        List<Spawn> s = sim.spawns(LABEL);
        assertEquals(2, s.size());
        assertFalse(s.get(0).overlaps(s.get(1)), s.toString());
        h.awaitInfo(h.defaultSocket(), s.get(1).pid());
    }

    @Test
    void bootoutWaitReturnsOnceTheLabelIsGoneAndHelpListsIt() {
        start(SimOptions.in(dir).withCleanupLagMs(600, 600));
        sim.daemonProperty(SampleDaemon.SHUTDOWN_MS, "300");
        h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString());
        h.awaitInfo();
        ExecResult help = h.lc("help", "bootout"); // §13: macOS 26 lists --wait
        assertEquals(0, help.exitCode());
        assertTrue((help.stdout() + help.stderr()).contains("--wait"), help.toString());
        ExecResult out = h.lc("bootout", "--wait", h.target(LABEL));
        assertEquals(List.of(0, "", ""), outcome(out));
        assertTrue(out.millis() >= 850, "returned before shutdown + cleanup lag: " + out.millis() + " ms");
        assertEquals(113, h.lc("print", h.target(LABEL)).exitCode(), "synchronous: the label is gone");
        assertEquals(List.of(3, "", "Boot-out failed: 3: No such process\n"),
                outcome(h.lc("bootout", "--wait", h.target(LABEL))));
        assertEquals(List.of(64, "", "--wait can only be used for booting-out a single service.\n"),
                outcome(h.lc("bootout", "--wait", sim.domain(), h.plist(LABEL).toString())));
    }

    @Test
    void withoutBootoutWaitItIsAnUnrecognizedTargetSpecifierAndNothingHappens() {
        start(SimOptions.in(dir).withBootoutWait(false));
        h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString());
        long pid = sim.runningPid(LABEL).orElseThrow();
        // real-launchctl err-05a/05b (macOS 14/15): three lines, exit 64 (§13)
        assertEquals(List.of(64, "", "Unrecognized target specifier.\n"
                + "Usage: launchctl bootout <domain-target> [service-path1, service-path2, ...] | <service-target>\n"
                + "<service-target> takes a form of <domain-target>/<service-id>.\n"),
                outcome(h.lc("bootout", "--wait", h.target(LABEL))));
        assertEquals(pid, sim.runningPid(LABEL).orElseThrow());
        ExecResult help = h.lc("help", "bootout");
        assertFalse((help.stdout() + help.stderr()).contains("--wait"), help.toString());
        assertTrue(help.stderr().startsWith("Usage: launchctl bootout "), help.toString());
    }

    @Test
    void aMissingLogFolderFailsTheSpawnWith78UnlessLaunchdCreatesIt() {
        start(SimOptions.in(dir).withXpcproxyMs(0));
        Path folder = sim.home().resolve("Library/Logs/nowhere");
        Path plist = h.plist(LABEL, List.of(), map("StandardOutPath", folder.resolve("o.log").toString(),
                "KeepAlive", false));
        assertEquals(0, h.lc("bootstrap", sim.domain(), plist.toString()).exitCode());
        String print = h.lc("print", h.target(LABEL)).stdout(); // §11, §13; MATTSTACK: 78 EX_CONFIG, no pid
        assertTrue(print.contains("\tlast exit code = 78: EX_CONFIG\n") && !print.contains("\tpid = ")
                && print.contains("\tstate = not running\n"), print);
        assertTrue(sim.spawns(LABEL).isEmpty(), "no process at all");
        assertFalse(Files.exists(folder), "the simulated launchd does not create log folders by default");
        sim.knobs().createsLogFolders(true);
        assertEquals(0, h.lc("kickstart", h.target(LABEL)).exitCode());
        assertTrue(Files.isDirectory(folder));
        assertEquals(1, sim.spawns(LABEL).size());
    }

    @Test
    void aFileWhereTheLogFolderShouldBeFailsTheSpawnToo() throws Exception {
        start(SimOptions.in(dir).withXpcproxyMs(0).withCreatesLogFolders(true));
        Path blocker = sim.home().resolve("blocker");
        Files.writeString(blocker, "not a folder");
        Path plist = h.plist(LABEL, List.of(), map("StandardErrorPath", blocker.resolve("e.log").toString(),
                "KeepAlive", false));
        assertEquals(0, h.lc("bootstrap", sim.domain(), plist.toString()).exitCode());
        assertTrue(h.lc("print", h.target(LABEL)).stdout().contains("\tlast exit code = 78: EX_CONFIG\n"));
    }

    @Test
    void theLegacyPrintHeaderHasNoDomain() {
        start(SimOptions.in(dir).withLegacyPrint(true).withXpcproxyMs(0));
        h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString());
        long pid = sim.runningPid(LABEL).orElseThrow();
        String print = h.lc("print", h.target(LABEL)).stdout(); // §13, print-11/print-17
        assertTrue(print.startsWith(LABEL + " = {\n\tactive count = 1\n\tcopy count = 0\n"), print);
        assertTrue(print.contains("\tpid = " + pid + "\n") && print.contains("\tsuccessive crashes = 0\n"), print);
        sim.knobs().legacyPrint(false);
        assertTrue(h.lc("print", h.target(LABEL)).stdout().startsWith(h.target(LABEL) + " = {\n"));
    }
}
