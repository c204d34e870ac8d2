package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.dd.plist.NSDictionary;
import com.dd.plist.XMLPropertyListWriter;
import heph.launchd.plist.LaunchdPlist;
import heph.proc.ZtExecRunner;
import heph.sim.Call;
import heph.sim.SimOptions;
import heph.sim.Spawn;
import heph.sim.daemon.SampleDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * heph's verbs against the simulator's fidelity knobs (docs/facts/launchd-facts.md §2, §4, §11, §13): the pre-Big Sur
 * print format, a launchd that does not create log folders, bootout --wait present and absent, the transitional
 * xpcproxy state, kickstart -k by SIGTERM.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class LaunchdFidelityVerbsTest {
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
        h = new HephInSim(o.withSeed(8).withCleanupLagMs(200, 400));
        return h;
    }

    long num(HephInSim.Run r, String key) {
        return ((Number) r.json().get(key)).longValue();
    }

    List<Call> bootouts() {
        return h.sim.calls().stream().filter(c -> c.verb().equals("bootout")).toList();
    }

    String print() {
        return new ZtExecRunner().run(List.of(h.sim.launchctl().toString(), "print", h.target()),
                Duration.ofSeconds(10)).stdout();
    }

    Spawn lastSpawn() {
        List<Spawn> s = h.sim.spawns(LABEL);
        return s.get(s.size() - 1);
    }

    Path logs() {
        return h.sim.home().resolve("Library/Logs/heph");
    }

    @Test
    void preBigSurPrintStatusReadsThePidAndABareRestartKickstarts() {
        // docs/facts/launchd-facts.md §13, print-11/print-17: `org.hephaestus.hephd = {` without `gui/<uid>/`.
        // DEPENDS ON the `transcripts` branch (PrintInfo reading a header without a domain): until that is merged
        // heph reads no field of this format, so start's verification already fails here.
        sim(SimOptions.in(dir).withLegacyPrint(true));
        HephInSim.Run start = h.heph("start", "--json");
        assertEquals(0, start.exit(), start.err()); // depends on transcripts
        long pid = h.sim.runningPid(LABEL).getAsLong();
        HephInSim.Run status = h.heph("status", "--json");
        assertEquals(0, status.exit(), status.err()); // depends on transcripts
        assertEquals(pid, num(status, "pid")); // depends on transcripts
        h.sim.clearCalls();
        HephInSim.Run restart = h.heph("restart", "--json");
        assertEquals(0, restart.exit(), restart.err());
        assertEquals("kickstart", restart.json().get("path")); // depends on transcripts (arguments read from print)
        assertFalse(h.verbs().contains("bootout"), h.verbs().toString());
    }

    @Test
    void hephCreatesTheMissingLogFolder0700AndStartSucceeds() throws Exception {
        sim(SimOptions.in(dir)); // default: the simulated launchd does not create log folders (§11, §13)
        assertFalse(Files.exists(logs()));
        HephInSim.Run start = h.heph("start", "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(logs())));
        assertTrue(Files.exists(logs().resolve("hephd.out.log")), "launchd opened the log heph prepared");
        assertEquals(num(start, "new_pid"), h.sim.runningPid(LABEL).getAsLong());
        // put back deleted: the next reload creates it again before bootstrap
        Files.delete(logs().resolve("hephd.out.log"));
        Files.delete(logs().resolve("hephd.err.log"));
        Files.delete(logs());
        HephInSim.Run reload = h.heph("restart", "--self-update-interval-secs", "600", "--json");
        assertEquals(0, reload.exit(), reload.err());
        assertEquals("reload", reload.json().get("path"));
        assertTrue(Files.isDirectory(logs()));
    }

    @Test
    void anUnusableLogPathFailsBeforeAnythingIsUnloadedAndLeavesTheJobRunning() throws Exception {
        sim(SimOptions.in(dir));
        assertEquals(0, h.heph("start").exit());
        long pid = h.sim.runningPid(LABEL).getAsLong();
        Path blocker = Files.writeString(h.sim.home().resolve("blocker"), "a file, not a folder");
        NSDictionary plist = LaunchdPlist.read(h.plist());
        plist.put("StandardErrorPath", blocker.resolve("hephd.err.log").toString());
        XMLPropertyListWriter.write(plist, h.plist().toFile());
        h.sim.clearCalls();
        HephInSim.Run r = h.heph("restart", "--self-update-interval-secs", "900");
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("heph: hephd's log " + blocker.resolve("hephd.err.log")
                + " (StandardErrorPath) is not usable: " + blocker + " is a file, not a folder;"), r.err());
        assertFalse(h.verbs().contains("bootout") || h.verbs().contains("kickstart"), h.verbs().toString());
        assertEquals(pid, h.sim.runningPid(LABEL).getAsLong(), "the running job is left alone");
    }

    @Test
    void anUnwritableLogFolderFailsEarlyToo() throws Exception {
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root writes into any folder");
        sim(SimOptions.in(dir));
        assertEquals(0, h.heph("start").exit());
        long pid = h.sim.runningPid(LABEL).getAsLong();
        Files.setPosixFilePermissions(logs(), PosixFilePermissions.fromString("r-x------"));
        try {
            HephInSim.Run r = h.heph("restart", "--self-update-interval-secs", "900");
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains("its folder " + logs() + " is not writable"), r.err());
            assertEquals(pid, h.sim.runningPid(LABEL).getAsLong());
        } finally {
            Files.setPosixFilePermissions(logs(), PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void withBootoutWaitAReloadWaitsInsideItAndPrintConfirms() {
        sim(SimOptions.in(dir)); // default: macOS 26, --wait exists (§2, §13)
        assertEquals(0, h.heph("start").exit());
        h.sim.clearCalls();
        HephInSim.Run reload = h.heph("restart", "--self-update-interval-secs", "600", "--json");
        assertEquals(0, reload.exit(), reload.err());
        assertEquals("reload", reload.json().get("path"));
        assertEquals("bootout --wait", reload.json().get("unload_via"));
        assertEquals(1L, num(reload, "print_polls"), "one print confirms the label is gone");
        List<Call> bootouts = bootouts();
        assertEquals(1, bootouts.size());
        assertEquals(List.of("bootout", "--wait", h.target(), "0"), List.of(bootouts.get(0).argv().get(0),
                bootouts.get(0).argv().get(1), bootouts.get(0).argv().get(2), "" + bootouts.get(0).exitCode()));
        List<Call> calls = h.sim.calls();
        int out = calls.indexOf(bootouts.get(0));
        assertEquals(List.of("print", "113"), List.of(calls.get(out + 1).verb(), "" + calls.get(out + 1).exitCode()),
                "print -> 113 right after, before enable/bootstrap");
        assertTrue(num(reload, "waited_ms") > 0);
        assertEquals(List.of(h.sim.hephd().toString(), "--mode", "local", "--self-update-interval-secs", "600"),
                lastSpawn().argv(), "the new daemon runs the new plist");
        HephInSim.Run stop = h.heph("stop", "--json");
        assertEquals(List.of(0, "bootout --wait"), List.of(stop.exit(), stop.json().get("unload_via")));
    }

    @Test
    void withoutBootoutWaitAReloadMakesOneFailingCallThenPolls() {
        sim(SimOptions.in(dir).withBootoutWait(false)); // macOS 14/15 (err-05a/05b)
        assertEquals(0, h.heph("start").exit());
        h.sim.clearCalls();
        HephInSim.Run reload = h.heph("restart", "--self-update-interval-secs", "600", "--json");
        assertEquals(0, reload.exit(), reload.err());
        assertEquals("reload", reload.json().get("path"));
        assertEquals("poll", reload.json().get("unload_via"));
        assertTrue(num(reload, "print_polls") >= 1);
        List<Call> bootouts = bootouts();
        assertEquals(1, bootouts.stream().filter(c -> c.argv().contains("--wait") && c.exitCode() == 64).count(),
                "at most one failing --wait call per run");
        assertEquals(List.of(List.of("bootout", h.target())), bootouts.stream().filter(c -> c.exitCode() == 0)
                .map(Call::argv).toList());
        assertEquals(List.of(h.sim.hephd().toString(), "--mode", "local", "--self-update-interval-secs", "600"),
                lastSpawn().argv(), "the new daemon runs the new plist");
    }

    @Test
    void verificationWaitsThroughXpcproxy() {
        sim(SimOptions.in(dir).withXpcproxyMs(1500));
        HephInSim.Run start = h.heph("start", "--json");
        assertEquals(0, start.exit(), start.err());
        assertTrue(h.sim.calls().stream().anyMatch(c -> c.verb().equals("print")
                && c.stdout().contains("\tstate = xpcproxy\n")), "heph saw xpcproxy and kept waiting");
        assertEquals("running", h.sim.state(LABEL).orElseThrow());
        assertEquals(num(start, "new_pid"), h.sim.runningPid(LABEL).getAsLong());
        HephInSim.Run restart = h.heph("restart", "--json"); // kickstart -k: xpcproxy again, then running
        assertEquals(0, restart.exit(), restart.err());
        assertEquals("kickstart", restart.json().get("path"));
        assertEquals(1, h.alive());
    }

    @Test
    void kickstartKillSendsSigtermAndPrintShowsTheSignal() {
        sim(SimOptions.in(dir));
        h.sim.daemonProperty(SampleDaemon.DIE_OF_SIGTERM, "true");
        HephInSim.Run start = h.heph("start", "--json");
        assertEquals(0, start.exit(), start.err());
        long old = num(start, "new_pid");
        HephInSim.Run restart = h.heph("restart", "--json");
        assertEquals(0, restart.exit(), restart.err());
        assertEquals("kickstart", restart.json().get("path"));
        Spawn first = h.sim.spawns(LABEL).get(0);
        assertEquals(List.of(old, 15), List.of(first.pid(), first.signal()), "SIGTERM, not SIGKILL (print-07)");
        assertTrue(print().contains("\tlast terminating signal = Terminated: 15\n"), print());
        HephInSim.Run status = h.heph("status", "--json");
        assertEquals(0, status.exit(), status.err());
        assertEquals(num(restart, "new_pid"), num(status, "pid"));
        // heph status does not show the last signal yet (LaunchdStatus, owned by the transcripts branch)
    }

    @Test
    void aKickstartThatReturnsBeforeTheRespawnIsVerifiedToo() {
        sim(SimOptions.in(dir).withKickstartAsync(true));
        h.sim.daemonProperty(SampleDaemon.SHUTDOWN_MS, "700");
        assertEquals(0, h.heph("start").exit());
        long old = h.sim.runningPid(LABEL).getAsLong();
        HephInSim.Run restart = h.heph("restart", "--json");
        assertEquals(0, restart.exit(), restart.err());
        assertEquals("kickstart", restart.json().get("path"));
        assertNotEquals(old, num(restart, "new_pid"));
        assertEquals(num(restart, "new_pid"), h.sim.runningPid(LABEL).getAsLong());
        assertEquals(1, h.alive());
    }
}
