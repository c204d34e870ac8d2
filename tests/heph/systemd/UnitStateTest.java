package heph.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("unit")
class UnitStateTest {
    // docs/facts/launchd-facts.md §12: show prints Key=value in D-Bus order (Service interface, then Unit interface), not -p order
    static final List<String> RUNNING_DBUS_ORDER = List.of(
            "MainPID=4242",
            "NRestarts=2",
            "ExecMainStartTimestamp=Thu 2026-08-27 17:36:49 BST",
            "LoadState=loaded",
            "ActiveState=active",
            "SubState=running",
            "FragmentPath=/home/u/.config/systemd/user/heph.service",
            "UnitFileState=enabled",
            "NeedDaemonReload=no");

    static final UnitState RUNNING = new UnitState("loaded", "active", "running", 4242, 2,
            "Thu 2026-08-27 17:36:49 BST", false, "enabled", null, "/home/u/.config/systemd/user/heph.service");

    @Test
    void lastExitComesFromExecMainCodeAndStatusOnceTheMainProcessExited() {
        String exited = "ExecMainExitTimestamp=Thu 2026-08-27 17:40:00 BST\n";
        assertEquals(null, UnitState.parse("ExecMainCode=0\nExecMainStatus=0\nExecMainExitTimestamp=\n").lastExit());
        assertEquals("75", UnitState.parse(exited + "ExecMainCode=1\nExecMainStatus=75\n").lastExit());
        assertEquals("signal 9", UnitState.parse(exited + "ExecMainCode=2\nExecMainStatus=9\n").lastExit());
    }

    @Test
    void parsesDbusOrder() {
        UnitState s = UnitState.parse(String.join("\n", RUNNING_DBUS_ORDER) + "\n");
        assertEquals(RUNNING, s);
        assertTrue(s.installed());
        assertTrue(s.running());
    }

    @Test
    void orderDoesNotMatter() {
        Random rnd = new Random(12L);
        for (int n = 0; n < 20; n++) {
            List<String> lines = new ArrayList<>(RUNNING_DBUS_ORDER);
            Collections.shuffle(lines, rnd);
            assertEquals(RUNNING, UnitState.parse(String.join("\n", lines)), lines.toString());
        }
    }

    @Test
    void unknownUnitIsNotInstalled() {
        // docs/facts/launchd-facts.md §12: show on an unknown unit exits 0 with LoadState=not-found, inactive/dead; never started ->
        // empty ExecMainStartTimestamp; MainPID=0 when not running
        UnitState s = UnitState.parse("""
                MainPID=0
                NRestarts=0
                ExecMainStartTimestamp=
                LoadState=not-found
                ActiveState=inactive
                SubState=dead
                UnitFileState=
                NeedDaemonReload=no
                """);
        assertEquals(new UnitState("not-found", "inactive", "dead", 0, 0, "", false, "", null, ""), s);
        assertFalse(s.installed());
        assertFalse(s.running());
    }

    @Test
    void needDaemonReloadAndUnknownKeys() {
        // docs/facts/launchd-facts.md §12: edited unit without daemon-reload -> NeedDaemonReload=yes; unknown keys ignored
        UnitState s = UnitState.parse("Result=success\r\nNeedDaemonReload=yes\r\nLoadState=loaded\r\nX=a=b\r\n");
        assertTrue(s.needDaemonReload());
        assertTrue(s.installed());
        assertEquals("", s.activeState());
    }

    @Test
    void missingKeysTakeDefaults() {
        UnitState s = UnitState.parse("");
        assertEquals(new UnitState("", "", "", 0, 0, "", false, "", null, ""), s);
        assertFalse(s.installed(), "no LoadState reported: not known to be installed");
        assertFalse(s.running());
    }

    @Test
    void runningNeedsAllThree() {
        // activating (auto-restart) between crashes: MainPID=0 even though the unit is wanted
        assertFalse(UnitState.parse("ActiveState=activating\nSubState=auto-restart\nMainPID=0\n").running());
        assertFalse(UnitState.parse("ActiveState=active\nSubState=running\nMainPID=0\n").running());
        assertFalse(UnitState.parse("ActiveState=active\nSubState=exited\nMainPID=7\n").running());
        assertTrue(UnitState.parse("ActiveState=active\nSubState=running\nMainPID=7\n").running());
        assertEquals(0, UnitState.parse("MainPID=[not set]\n").mainPid());
    }

    @Test
    void aOneshotIsDoneWhenItRanToSuccessOrRemainsActiveExited() {
        String ran = "Type=oneshot\nResult=success\nExecMainStartTimestamp=Mon 2026-12-07 12:00:00 UTC\n";
        assertTrue(UnitState.parse(ran + "ActiveState=inactive\nSubState=dead\n").oneshotDone());
        assertTrue(UnitState.parse(ran + "ActiveState=active\nSubState=exited\n").oneshotDone());
        assertFalse(UnitState.parse("Type=oneshot\nResult=success\nActiveState=inactive\nSubState=dead\n")
                .oneshotDone(), "never ran");
        assertFalse(UnitState.parse("Type=oneshot\nResult=exit-code\nActiveState=failed\nSubState=failed\n"
                + "ExecMainStartTimestamp=x\n").oneshotDone());
        assertFalse(UnitState.parse(ran.replace("oneshot", "simple") + "ActiveState=inactive\nSubState=dead\n")
                .oneshotDone(), "a simple unit that exited is not running, not done");
    }

    @Test
    void propertiesAreTheOnesHephAsksFor() {
        assertEquals(List.of("MainPID", "ActiveState", "SubState", "NRestarts", "ExecMainStartTimestamp",
                "LoadState", "NeedDaemonReload", "UnitFileState", "ExecMainExitTimestamp", "ExecMainCode",
                "ExecMainStatus", "FragmentPath", "Type", "Result"), UnitState.PROPERTIES);
    }
}
