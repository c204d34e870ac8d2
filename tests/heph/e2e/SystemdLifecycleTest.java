package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.Call;
import heph.systemd.UnitState;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every verb of heph's systemd backend, end to end through the systemctl fake (docs/facts/launchd-facts.md §12): start from
 * nothing, idempotent start, restart with and without a flag change, stop, uninstall.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class SystemdLifecycleTest extends SystemdHephBaseTest {
    @Test
    void startFromNothingInstallsEnablesAndStartsThenAgainChangesNothing() throws Exception {
        Run r = hephProcess("start", "--json", "--wait-ready"); // heph as its own process
        assertEquals(0, r.exit(), r.err());
        long pid = mainPid();
        assertEquals(List.of("start", "start", true, pid), List.of(r.json().get("action"), r.json().get("path"),
                r.json().get("changed"), ((Number) r.json().get("new_pid")).longValue()));
        String unit = Files.readString(unitFile());
        assertTrue(unit.contains("\nExecStart=" + sim.hephd() + " --mode local\n"), unit);
        assertTrue(unit.contains("\nRestart=always\nRestartSec=1\n") && unit.contains("\nWantedBy=default.target\n"));
        // not known to systemd -> write, daemon-reload, enable --now; then verify (running, and still after settle)
        assertEquals(List.of("show", "daemon-reload", "enable --now heph.service", "show", "show"), calls());
        List<String> showArgv = new ArrayList<>(List.of("--user", "show"));
        UnitState.PROPERTIES.forEach(p -> showArgv.addAll(List.of("-p", p)));
        showArgv.add(UNIT);
        assertEquals(showArgv, sim.calls().get(0).argv());
        assertTrue(Files.isSymbolicLink(sim.systemd().unitDir().resolve("default.target.wants").resolve(UNIT)));
        Map<String, Object> info = daemonInfo(); // --wait-ready: the socket already answers
        assertEquals(List.of(List.of("--mode", "local"), socket().toString()), List.of(info.get("argv"),
                info.get("socket")));
        sim.clearCalls();
        Run again = heph("start", "--json");
        assertEquals(List.of(0, "none", false), List.of(again.exit(), again.json().get("path"),
                again.json().get("changed")));
        assertEquals(List.of("show"), calls()); // nothing mutating
        assertEquals(1, sim.spawns(UNIT).size());
        assertEquals(pid, mainPid());
    }

    @Test
    void restartAfterAFlagChangeReloadsFirstAndABareRestartOnlyRestarts() {
        assertEquals(0, heph("start", "--hub-url", "http://hub.example:8787").exit());
        long first = mainPid();
        sim.clearCalls();
        Run changed = heph("restart", "--self-update", "--json");
        assertEquals(0, changed.exit(), changed.err());
        // §12: an edited unit needs daemon-reload before restart, or the old definition runs
        assertEquals(List.of("show", "daemon-reload", "restart heph.service", "show", "show"), calls());
        long second = mainPid();
        assertNotEquals(first, second);
        assertEquals(List.of("reload", true, first, second), List.of(changed.json().get("path"),
                changed.json().get("changed"), ((Number) changed.json().get("old_pid")).longValue(),
                ((Number) changed.json().get("new_pid")).longValue()));
        List<String> argv = List.of("--mode", "local", "--hub-url", "http://hub.example:8787", "--self-update");
        assertEquals(argv, daemonArgv()); // the new flag, the earlier ones kept
        assertTrue(sim.calls().stream().allMatch(c -> c.stderr().isEmpty())); // no §12 "changed on disk" warning
        sim.clearCalls();
        Run bare = heph("restart", "--json");
        assertEquals(List.of(0, "restart", true), List.of(bare.exit(), bare.json().get("path"),
                bare.json().get("changed")));
        assertEquals(List.of("show", "restart heph.service", "show", "show"), calls());
        long third = mainPid();
        assertNotEquals(second, third);
        assertEquals(argv, daemonArgv());
        assertEquals(3, sim.spawns(UNIT).size());
    }

    @Test
    void aHandEditedUnitIsReloadedBeforeTheRestart() throws Exception {
        assertEquals(0, heph("start").exit());
        Path file = unitFile();
        FileTime loaded = Files.getLastModifiedTime(file);
        Files.writeString(file, Files.readString(file).replace("[Service]\n", "[Service]\nEnvironment=MARK=edited\n"));
        // systemd compares the file's mtime with the one it loaded; make it differ on any file system granularity
        Files.setLastModifiedTime(file, FileTime.fromMillis(loaded.toMillis() + 1000));
        Run st = heph("status", "--json");
        assertEquals("the unit file changed since systemd loaded it — run heph restart", st.json().get("hint"));
        sim.clearCalls();
        Run r = heph("restart");
        assertEquals(0, r.exit(), r.err());
        // unchanged by heph (it keeps the user's lines) but NeedDaemonReload=yes: reload, then restart
        assertEquals(List.of("show", "daemon-reload", "restart heph.service", "show", "show"), calls());
        @SuppressWarnings("unchecked")
        Map<String, Object> daemonEnv = (Map<String, Object>) daemonInfo().get("env");
        assertEquals("edited", daemonEnv.get("MARK"));
        assertTrue(Files.readString(file).contains("\nEnvironment=MARK=edited\n"));
    }

    @Test
    void stopThenStatusThenStartAgain() {
        assertEquals(0, heph("start").exit());
        long pid = mainPid();
        Run running = heph("status", "--json");
        assertEquals(0, running.exit());
        Map<String, Object> j = running.json();
        assertEquals(List.of("systemd", UNIT, true, true, true, "active/running", pid, 1L),
                List.of(j.get("backend"), j.get("name"), j.get("installed"), j.get("loaded"), j.get("running"),
                        j.get("state"), ((Number) j.get("pid")).longValue(), ((Number) j.get("runs")).longValue()));
        assertEquals(List.of(sim.hephd().toString(), List.of(sim.hephd().toString(), "--mode", "local"),
                unitFile().toString(), socket().toString(), "journalctl --user-unit heph.service"),
                List.of(j.get("program"), j.get("arguments"), j.get("file"), j.get("socket"), j.get("stdout_log")));
        sim.clearCalls();
        Run stop = heph("stop", "--json");
        assertEquals(List.of(0, "stop", pid), List.of(stop.exit(), stop.json().get("path"),
                ((Number) stop.json().get("old_pid")).longValue()));
        assertEquals(List.of("show", "stop heph.service"), calls());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        Run stopped = heph("status", "--json");
        assertEquals(List.of(3, false, "inactive/dead", true), List.of(stopped.exit(), stopped.json().get("running"),
                stopped.json().get("state"), stopped.json().get("installed")));
        assertEquals(3, heph("status").exit());
        sim.clearCalls();
        Run stopAgain = heph("stop", "--json");
        assertEquals(List.of(0, "none"), List.of(stopAgain.exit(), stopAgain.json().get("path")));
        assertEquals(List.of("show"), calls());
        sim.clearCalls();
        Run again = heph("start", "--json");
        assertEquals(List.of(0, "start"), List.of(again.exit(), again.json().get("path")));
        assertEquals(List.of("show", "start heph.service", "show", "show"), calls()); // enabled: plain start
        assertNotEquals(pid, mainPid());
    }

    @Test
    void uninstallRemovesEverythingAndIsIdempotent() {
        assertEquals(0, heph("start").exit());
        long pid = mainPid();
        Path link = sim.systemd().unitDir().resolve("default.target.wants").resolve(UNIT);
        sim.clearCalls();
        Run u = heph("uninstall", "--json");
        assertEquals(List.of(0, "uninstall", true), List.of(u.exit(), u.json().get("path"), u.json().get("changed")));
        assertEquals(List.of("show", "disable --now heph.service", "daemon-reload"), calls());
        assertFalse(Files.exists(unitFile()));
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        Run st = heph("status", "--json");
        assertEquals(List.of(3, false, false, "not loaded"), List.of(st.exit(), st.json().get("installed"),
                st.json().get("loaded"), st.json().get("state")));
        sim.clearCalls();
        Run again = heph("uninstall", "--json");
        assertEquals(List.of(0, "none"), List.of(again.exit(), again.json().get("path")));
        assertEquals(List.of("show"), calls());
        Call show = sim.calls().get(0);
        assertTrue(show.stdout().contains("LoadState=not-found\n"), show.stdout()); // §12 show on unknown unit
    }
}
