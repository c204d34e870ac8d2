package heph.systemd;

import static heph.support.ScriptedRunner.out;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.service.ServiceStatus;
import heph.support.FakeClock;
import heph.support.ScriptedRunner;
import heph.support.TestSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `heph status --json` fields shared with launchd, on systemd: {@code last_signal} from ExecMainCode/ExecMainStatus
 * (docs/facts/launchd-facts.md §12: the Service interface's ExecMainCode 1 exited, 2 killed, 3 dumped), {@code crash_loop} from
 * NRestarts with SubState auto-restart or ActiveState failed, {@code starting} from ActiveState activating.
 */
@org.junit.jupiter.api.Tag("unit")
class SystemdStatusFieldsTest {
    @TempDir
    Path home;

    ServiceStatus status(String active, String sub, long pid, long restarts, String code, String status) {
        String exited = code == null ? "" : "Mon 2026-09-07 10:00:05 CEST";
        String show = "MainPID=" + pid + "\nNRestarts=" + restarts + "\nExecMainStartTimestamp=Mon 2026-09-07 10:00:00"
                + " CEST\nExecMainExitTimestamp=" + exited + "\nExecMainCode=" + (code == null ? "0" : code)
                + "\nExecMainStatus=" + (status == null ? "0" : status) + "\nLoadState=loaded\nActiveState=" + active
                + "\nSubState=" + sub + "\nNeedDaemonReload=no\nUnitFileState=enabled\n";
        ScriptedRunner r = new ScriptedRunner().on("show", out(show));
        TestSettings ts = new TestSettings(home);
        return new SystemdBackend(ts.settings("systemd", 1000, "systemctl"), r, new FakeClock()).status();
    }

    @Test
    void killedBySignalGivesLastSignal() {
        ServiceStatus st = status("activating", "auto-restart", 0, 3, "2", "15");
        assertEquals("Terminated: 15", st.lastSignal());
        assertEquals("signal 15", st.lastExitCode(), "last_exit_code keeps its systemd form");
        assertTrue(st.crashLoop());
        assertFalse(st.starting(), "auto-restart is waiting, not starting");
        Map<String, Object> json = st.toJson();
        assertEquals("Terminated: 15", json.get("last_signal"));
        assertEquals(true, json.get("crash_loop"));
        assertEquals("Killed: 9", status("failed", "failed", 0, 5, "2", "9").lastSignal());
        assertEquals("Segmentation fault: 11", status("failed", "failed", 0, 5, "3", "11").lastSignal());
    }

    @Test
    void exitCodeIsNoSignal() {
        ServiceStatus st = status("failed", "failed", 0, 4, "1", "1");
        assertNull(st.lastSignal());
        assertEquals("1", st.lastExitCode());
        assertTrue(st.crashLoop(), "restarted, then given up (start limit)");
        assertNull(st.lastExitReason());
    }

    @Test
    void oneExitWithoutRestartsOrARunningUnitIsNoCrashLoop() {
        assertFalse(status("activating", "auto-restart", 0, 0, "1", "1").crashLoop(), "first exit, first restart");
        assertFalse(status("active", "running", 42, 3, "1", "1").crashLoop(), "running again");
        assertFalse(status("inactive", "dead", 0, 2, "1", "0").crashLoop(), "stopped");
        assertNull(status("active", "running", 42, 0, null, null).lastSignal());
    }

    @Test
    void activatingIsStarting() {
        ServiceStatus st = status("activating", "start", 0, 0, null, null);
        assertTrue(st.starting());
        assertFalse(st.running());
    }
}
