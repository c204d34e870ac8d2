package heph.realsystemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * heph's verbs against a real systemd --user (docs/facts/systemd.md): what the systemctl fake can only imitate — unit
 * loading, daemon-reload and NeedDaemonReload, Restart=always, enable links, LoadState=not-found after removal —
 * done by systemd 252 itself, with the daemon's argv checked in /proc.
 */
@org.junit.jupiter.api.Tag("real-systemd")
class RealSystemdLifecycleTest extends RealSystemdBase {
    @Test
    void startBareRestartAndRestartAfterAFlagChange() {
        Run start = ok("start", "--json", "--wait-ready", "--hub-url", "http://hub.example:8787");
        long first = mainPid();
        assertEquals(List.of("start", true, first), List.of(start.json().get("path"), start.json().get("changed"),
                ((Number) start.json().get("new_pid")).longValue()));
        List<String> baked = List.of("--mode", "local", "--hub-url", "http://hub.example:8787");
        assertEquals(baked, daemonArgs(first));
        assertEquals(List.of("loaded", "enabled", "active/running"), List.of(manager.property(UNIT, "LoadState"),
                manager.property(UNIT, "UnitFileState"), state()));
        assertTrue(Files.isSymbolicLink(manager.home.resolve(".config/systemd/user/default.target.wants")
                .resolve(UNIT)), "enable linked the unit into default.target.wants");

        manager.clearCalls();
        Run bare = ok("restart", "--json");
        long second = mainPid();
        assertNotEquals(first, second);
        assertFalse(alive(first), "the old hephd is gone");
        assertEquals(List.of("restart", true), List.of(bare.json().get("path"), bare.json().get("changed")));
        assertFalse(manager.calls().contains("daemon-reload"), manager.calls().toString());
        assertTrue(manager.calls().contains("restart heph.service"), manager.calls().toString());
        assertEquals(baked, daemonArgs(second), "a bare restart keeps the baked flags");

        manager.clearCalls();
        Run changed = ok("restart", "--json", "--self-update-interval-secs", "600");
        long third = mainPid();
        assertNotEquals(second, third);
        assertEquals(List.of("reload", true), List.of(changed.json().get("path"), changed.json().get("changed")));
        List<String> calls = manager.calls();
        assertTrue(calls.indexOf("daemon-reload") >= 0 && calls.indexOf("daemon-reload")
                < calls.indexOf("restart heph.service"), calls.toString());
        // systemd runs the new ExecStart: the process's own argv, not just the file
        assertEquals(List.of("--mode", "local", "--hub-url", "http://hub.example:8787", "--self-update-interval-secs",
                "600"), daemonArgs(third));
        assertEquals("no", manager.property(UNIT, "NeedDaemonReload"));
    }

    @Test
    void restartAlwaysRespawnsAfterKill9AndStatusFollows() {
        ok("start", "--wait-ready");
        long first = mainPid();
        Run running = heph("status", "--json");
        assertEquals(0, running.exit(), running.err());
        Map<String, Object> j = running.json();
        assertEquals(List.of(true, "active/running", first), List.of(j.get("running"), j.get("state"),
                ((Number) j.get("pid")).longValue()));
        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // SIGKILL
        // Restart=always, RestartSec=1: systemd starts a new main process about a second later
        await(Duration.ofSeconds(15), "the respawn of hephd after kill -9", () -> {
            long pid = mainPid();
            return pid != 0 && pid != first && state().equals("active/running");
        });
        long respawned = mainPid();
        assertEquals(List.of("--mode", "local"), daemonArgs(respawned));
        assertEquals("1", manager.property(UNIT, "NRestarts"));
        Run after = heph("status", "--json");
        assertEquals(0, after.exit(), after.err());
        // runs = NRestarts + 1; systemd resets ExecMain* for the new process, so the killed run's signal is not kept
        assertEquals(List.of(respawned, 2L, "active/running"), List.of(((Number) after.json().get("pid")).longValue(),
                ((Number) after.json().get("runs")).longValue(), after.json().get("state")));
    }

    @Test
    void stopStatusAndUninstallLeaveTheUnitNotFound() {
        ok("start");
        long pid = mainPid();
        Run stop = ok("stop", "--json");
        assertEquals(List.of("stop", pid), List.of(stop.json().get("path"),
                ((Number) stop.json().get("old_pid")).longValue()));
        assertFalse(alive(pid), "stop returns once hephd is gone");
        assertEquals("inactive/dead", state());
        Run stopped = heph("status", "--json");
        assertEquals(List.of(3, false, "inactive/dead"), List.of(stopped.exit(), stopped.json().get("running"),
                stopped.json().get("state")));
        assertEquals("none", ok("stop", "--json").json().get("path"));

        ok("start");
        long again = mainPid();
        assertNotEquals(pid, again);
        Run u = ok("uninstall", "--json");
        assertEquals(List.of("uninstall", true), List.of(u.json().get("path"), u.json().get("changed")));
        assertFalse(alive(again));
        assertFalse(Files.exists(unitFile()));
        assertEquals("not-found", manager.property(UNIT, "LoadState"));
        assertFalse(Files.exists(manager.home.resolve(".config/systemd/user/default.target.wants").resolve(UNIT)));
        Run st = heph("status", "--json");
        assertEquals(List.of(3, false, "not loaded"), List.of(st.exit(), st.json().get("installed"),
                st.json().get("state")));
        assertEquals("none", ok("uninstall", "--json").json().get("path"));
    }
}
