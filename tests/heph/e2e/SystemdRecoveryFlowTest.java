package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 end to end through the systemctl fake: a bare restart with the unit file gone keeps the flags of the
 * loaded unit; a reload whose new daemon exits at once is put back; a unit folder the manager does not read is
 * replaced by the manager's own. (RealSystemdRecoveryTest does the same against a real systemd --user.)
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class SystemdRecoveryFlowTest extends SystemdHephBaseTest {
    /** As {@link #calls}, but a show other than heph's status query is spelled out. */
    List<String> detailedCalls() {
        return sim.calls().stream().filter(c -> c.tool().equals("systemctl")).map(c -> c.argv().contains("MainPID")
                ? "show" : String.join(" ", c.argv().subList(1, c.argv().size()))).toList();
    }

    @Test
    void aBareRestartWithTheUnitFileGoneKeepsTheLoadedFlags() throws Exception {
        assertEquals(0, heph("start", "--mode", "server", "--hub-url", "https://hub.example").exit());
        long first = mainPid();
        Files.delete(unitFile());
        sim.clearCalls();
        Run r = heph("restart", "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("flags read from the loaded unit, unit file missing"), r.err());
        assertEquals(List.of("show", "show -p ExecStart heph.service", "daemon-reload", "restart heph.service", "show",
                "show"), detailedCalls());
        assertNotEquals(first, mainPid());
        assertEquals(List.of("--mode", "server", "--hub-url", "https://hub.example"), daemonArgv());
        assertTrue(Files.exists(unitFile()));
    }

    @Test
    void aReloadWhoseNewDaemonExitsAtOnceIsPutBack() throws Exception {
        assertEquals(0, heph("start", "--self-update-interval-secs", "300").exit());
        long first = mainPid();
        String previous = Files.readString(unitFile());
        Path broken = script("hephd-broken", "exit 3");
        sim.clearCalls();
        Run r = heph("restart", "--hephd", broken.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("put the previous unit back"), r.err());
        assertEquals(previous, Files.readString(unitFile()));
        List<String> calls = calls();
        assertEquals(List.of("daemon-reload", "restart heph.service", "daemon-reload", "reset-failed heph.service",
                "restart heph.service"), calls.stream().filter(c -> !c.equals("show")).toList());
        long now = mainPid();
        assertNotEquals(first, now);
        assertEquals(List.of("--mode", "local", "--self-update-interval-secs", "300"), daemonArgv());
    }

    /**
     * A hand edit of the unit that fails (the daemon exits at once): heph puts back its copy of the unit it last
     * loaded (~/.local/state/heph/loaded/heph.service), not the broken edit onto itself, and keeps the edit aside.
     */
    @Test
    void aFailingHandEditIsKeptAsideAndTheLoadedCopyPutBack() throws Exception {
        assertEquals(0, heph("start", "--self-update-interval-secs", "300").exit());
        String loaded = Files.readString(unitFile());
        Path copy = sim.home().resolve(".local/state/heph/loaded/heph.service");
        assertEquals(loaded, Files.readString(copy));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(copy)));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(copy.getParent())));
        long first = mainPid();
        // a JVM option that does not exist: the (Java) stand-in hephd exits at once, as hephd does on a port it
        // cannot bind (heph carries the user's Environment= lines over as written)
        String edit = loaded.replace("[Service]\n", "[Service]\nEnvironment=JAVA_TOOL_OPTIONS=-XX:+NoSuchOption\n");
        assertNotEquals(loaded, edit);
        Files.writeString(unitFile(), edit); // by hand, as an editor would

        Run r = heph("restart");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("kept the refused heph.service as "), r.err());
        assertTrue(r.err().contains("put the previous unit back"), r.err());
        assertEquals(loaded, Files.readString(unitFile()));
        List<Path> refused;
        try (var files = Files.list(unitFile().getParent())) {
            refused = files.filter(f -> f.getFileName().toString().startsWith("heph.service.refused-")).toList();
        }
        assertEquals(1, refused.size(), refused.toString());
        assertEquals(edit, Files.readString(refused.get(0)));
        assertNotEquals(first, mainPid());
        assertEquals(List.of("--mode", "local", "--self-update-interval-secs", "300"), daemonArgv());
        assertEquals(0, heph("status").exit());
        Run again = heph("start", "--json"); // the put-back unit is what runs: nothing to do
        assertEquals("none", again.json().get("path"), again.out());
    }

    /**
     * The unit edited and {@code systemctl --user daemon-reload} run by hand, the service not restarted: systemd
     * asks for no reload (NeedDaemonReload=no) but the running process predates the loaded definition. heph's copy
     * of the unit it last loaded differs from the file, so start restarts it (path reload, changed) — once.
     */
    @Test
    void aHandEditLoadedByHandButNotRestartedIsRestartedByStart() throws Exception {
        assertEquals(0, heph("start").exit());
        long first = mainPid();
        String loaded = Files.readString(unitFile());
        Files.writeString(unitFile(), loaded.replace("[Service]\n", "[Service]\nEnvironment=HEPH_EDITED=1\n"));
        systemctl("daemon-reload");
        assertEquals("no", sim.systemd().properties(UNIT).get("NeedDaemonReload"));
        assertEquals(first, mainPid());

        Run r = heph("start", "--json");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("reload", true), List.of(r.json().get("path"), r.json().get("changed")), r.out());
        assertTrue(r.err().contains("predates the unit systemd has loaded"), r.err());
        assertNotEquals(first, mainPid());
        assertTrue(calls().contains("restart heph.service"), calls().toString());
        Run again = heph("start", "--json");
        assertEquals(List.of("none", false), List.of(again.json().get("path"), again.json().get("changed")));
    }

    /** The fake's systemctl, as a user would type it (HOME and XDG_RUNTIME_DIR of the test). */
    private void systemctl(String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(sim.bin("systemctl").toString(), "--user"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    /**
     * A new definition whose daemon dies a second after starting: systemctl restart succeeds and a 300 ms settle
     * sees it running, but the watch (RestartSec=1 + 1 s) sees the MainPID change / NRestarts grow, and heph puts
     * the previous unit back.
     */
    @Test
    void aReloadWhoseNewDaemonDiesAfterASecondIsPutBack() throws Exception {
        env.remove("HEPH_SETTLE"); // the real window
        assertEquals(0, heph("start", "--self-update-interval-secs", "300").exit());
        String previous = Files.readString(unitFile());
        Path late = script("hephd-dies-late", "sleep 1\nexit 3");
        Run r = heph("restart", "--hephd", late.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("did not start and stay up"), r.err());
        assertTrue(r.err().contains("put the previous unit back"), r.err());
        assertEquals(previous, Files.readString(unitFile()));
        assertEquals(List.of("--mode", "local", "--self-update-interval-secs", "300"), daemonArgv());
    }

    @Test
    void aUnitFolderTheManagerDoesNotReadIsReplacedByItsOwn() throws Exception {
        Path other = dir.resolve("other-config");
        env.put("XDG_CONFIG_HOME", other.toString());
        Run r = heph("start", "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("is not in the unit path of systemd --user"), r.err());
        assertTrue(Files.exists(unitFile()));
        assertFalse(Files.exists(other.resolve("systemd/user/heph.service")));
        assertEquals(List.of("show", "show -p UnitPath", "daemon-reload", "enable --now heph.service", "show",
                "show"), detailedCalls());
        assertEquals(List.of("--mode", "local"), daemonArgv());
    }
}
