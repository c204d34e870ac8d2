package heph.realsystemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What heph does when the new or the on-disk definition is bad, against a real systemd --user: put-back after a
 * reload whose daemon exits at once, flags read from the loaded unit when the file is gone, and a unit folder that
 * the manager does not read (XDG_CONFIG_HOME differs).
 */
@org.junit.jupiter.api.Tag("real-systemd")
class RealSystemdRecoveryTest extends RealSystemdBase {
    @Test
    void aNewDefinitionThatExitsAtOnceIsPutBackAndTheOldOneRunsAgain() throws Exception {
        ok("start", "--wait-ready", "--self-update-interval-secs", "300");
        long before = mainPid();
        String previous = Files.readString(unitFile());
        Path broken = script("hephd-broken", "echo 'hephd: cannot start' >&2\nexit 3");
        Run r = heph("restart", "--hephd", broken.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("did not start and stay up") && r.err().contains("put the previous unit back"),
                r.err());
        assertEquals(previous, Files.readString(unitFile()), "the previous unit is on disk again");
        long after = mainPid();
        assertNotEquals(0, after);
        assertNotEquals(before, after);
        assertEquals("active/running", state());
        // systemd runs the old ExecStart again, not the broken one
        assertEquals(List.of("--mode", "local", "--self-update-interval-secs", "300"), daemonArgs(after));
        assertEquals("no", manager.property(UNIT, "NeedDaemonReload"));
        assertTrue(r.err().contains("pid " + after), r.err());
    }

    /**
     * A new definition whose daemon dies a second in: systemctl restart succeeds, a short settle sees it running,
     * systemd restarts it after RestartSec=1 (NRestarts grows). heph's watch (RestartSec + 1 s) sees that and puts
     * the previous unit back.
     */
    @Test
    void aNewDefinitionThatDiesASecondInIsPutBack() throws Exception {
        ok("start", "--self-update-interval-secs", "300");
        String previous = Files.readString(unitFile());
        Path late = script("hephd-dies-late", "sleep 1\nexit 3");
        Run r = heph("restart", "--hephd", late.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("did not start and stay up") && r.err().contains("put the previous unit back"),
                r.err());
        assertEquals(previous, Files.readString(unitFile()));
        assertEquals("active/running", state());
        assertEquals(List.of("--mode", "local", "--self-update-interval-secs", "300"), daemonArgs(mainPid()));
    }

    /**
     * The unit edited and daemon-reloaded by hand but not restarted: NeedDaemonReload=no, yet the process runs the
     * old definition. heph's copy of what it loaded differs from the file, so start restarts it.
     */
    @Test
    void aHandEditReloadedByHandButNotRestartedIsRestartedByStart() throws Exception {
        ok("start", "--self-update-interval-secs", "300");
        long before = mainPid();
        Files.writeString(unitFile(), Files.readString(unitFile()).replace("--self-update-interval-secs 300",
                "--self-update-interval-secs 301"));
        assertEquals(0, manager.run("daemon-reload").exit());
        assertEquals("no", manager.property(UNIT, "NeedDaemonReload"));
        assertEquals(before, mainPid());
        Run r = heph("start", "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"path\":\"reload\"") || r.out().contains("\"path\": \"reload\""), r.out());
        long after = mainPid();
        assertNotEquals(before, after);
        assertEquals(List.of("--mode", "local", "--self-update-interval-secs", "301"), daemonArgs(after));
    }

    @Test
    void aBareRestartWithTheUnitFileGoneReadsTheFlagsFromTheLoadedUnit() throws Exception {
        ok("start", "--mode", "server", "--hub-url", "https://hub.example");
        // a flag heph does not know, added by hand and loaded (heph keeps it verbatim)
        Files.writeString(unitFile(), Files.readString(unitFile()).replace("--hub-url https://hub.example",
                "--hub-url https://hub.example --token-file /etc/heph/token"));
        ok("restart");
        long before = mainPid();
        Files.delete(unitFile());
        assertEquals("yes", manager.property(UNIT, "NeedDaemonReload")); // still loaded, file gone
        Run r = ok("restart", "--json");
        assertTrue(r.err().contains("flags read from the loaded unit, unit file missing"), r.err());
        List<String> flags = List.of("--mode", "server", "--hub-url", "https://hub.example", "--token-file",
                "/etc/heph/token");
        long after = mainPid();
        assertNotEquals(before, after);
        assertEquals(flags, daemonArgs(after));
        assertTrue(Files.readString(unitFile()).contains("--mode server --hub-url https://hub.example --token-file"
                + " /etc/heph/token"), Files.readString(unitFile()));
        assertEquals("loaded", manager.property(UNIT, "LoadState"));
    }

    @Test
    void aUnitFolderTheManagerDoesNotReadIsReplacedByTheManagersOwn() throws Exception {
        Path elsewhere = dir.resolve("other-config");
        env.put("XDG_CONFIG_HOME", elsewhere.toString()); // heph's shell differs from the user manager's
        Run r = ok("start", "--json");
        assertTrue(r.err().contains("is not in the unit path of systemd --user"), r.err());
        assertTrue(Files.exists(unitFile()), "written where the manager reads units");
        assertEquals(false, Files.exists(elsewhere.resolve("systemd/user").resolve(UNIT)));
        assertEquals(unitFile().toString(), manager.property(UNIT, "FragmentPath"));
        assertEquals(List.of("--mode", "local"), daemonArgs(mainPid()));
        Run st = heph("status", "--json");
        assertEquals(List.of(0, unitFile().toString()), List.of(st.exit(), st.json().get("file")));
        ok("uninstall");
        assertEquals(false, Files.exists(unitFile()));
        assertEquals("not-found", manager.property(UNIT, "LoadState"));
    }
}
