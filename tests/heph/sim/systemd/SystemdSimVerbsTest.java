package heph.sim.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import heph.sim.Call;
import heph.sim.ProcessGroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Process-level, through the real bin/systemctl shim: the verbs, their texts and exit codes (docs/facts/launchd-facts.md §12). */
@org.junit.jupiter.api.Tag("simulator")
class SystemdSimVerbsTest extends SystemdSimBaseTest {
    @Test
    void startRunsTheUnitWithTheManagersEnvironment() {
        start();
        unit(UNIT, List.of("--mode", "local", "--hub-url", "http://hub:8787/a b"), "Environment=\"GREETING=hi there\"\n");
        // a unit never loaded before is read from disk on first reference: no daemon-reload needed
        assertEquals(List.of(0, "", ""), outcome(user("start", "heph"))); // name mangled to heph.service
        Map<String, Object> info = info();
        // ExecStart split by systemd's quoting rules
        assertEquals(List.of("--mode", "local", "--hub-url", "http://hub:8787/a b"), info.get("argv"));
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) info.get("env");
        assertEquals(List.of(sim.home().toString(), sim.systemd().runtimeDir().toString(), "hi there"),
                List.of(env.get("HOME"), env.get("XDG_RUNTIME_DIR"), env.get("GREETING")));
        assertEquals(socket().toString(), info.get("socket")); // hephd resolves $XDG_RUNTIME_DIR/heph/hephd.sock
        assertEquals(List.of(0, "active\n"), List.of(user("is-active", UNIT).exitCode(), user("is-active", UNIT)
                .stdout()));
        assertEquals(List.of(0, "", ""), outcome(user("start", UNIT))); // already active: nothing happens
        assertEquals(1, sim.spawns(UNIT).size());
        assertTrue(read(sim.systemd().journal(UNIT)).contains("listening on " + socket()));
    }

    @Test
    void showPrintsDbusOrderNotArgumentOrder() {
        start();
        unit(List.of());
        user("start", UNIT);
        long pid = pid();
        ExecResult r = user("show", "-p", "UnitFileState", "-p", "ActiveState", "-p", "NeedDaemonReload",
                "-p", "LoadState", "-p", "SubState", "-p", "NRestarts", "-p", "MainPID", "-p", "NoSuchProperty",
                "--property=ExecMainStartTimestamp", UNIT);
        // §12: Service-interface properties before Unit-interface ones; unknown property silently omitted
        String[] lines = r.stdout().split("\n");
        assertEquals(List.of("MainPID=" + pid, "NRestarts=0"), List.of(lines[0], lines[1]));
        assertTrue(lines[2].matches("ExecMainStartTimestamp=[A-Z][a-z]{2} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+"),
                lines[2]);
        assertEquals(List.of("LoadState=loaded", "ActiveState=active", "SubState=running",
                "UnitFileState=disabled", "NeedDaemonReload=no"), List.of(lines).subList(3, lines.length));
        assertEquals(0, r.exitCode());
        // §12 --value: values only, in the same bus order (MainPID, a Service property, before ActiveState)
        assertEquals(pid + "\nactive\n", user("show", "--value", "-p", "ActiveState,MainPID", UNIT).stdout());
    }

    @Test
    void unknownUnitsAnswerAsSystemdDoes() {
        start();
        ExecResult show = user("show", "-p", "LoadState", "-p", "ActiveState", "-p", "SubState", "-p", "MainPID",
                "-p", "ExecMainStartTimestamp", "no-such.service");
        // §12 show on unknown unit: exit 0, not-found/inactive/dead; never started -> empty timestamp
        assertEquals(List.of(0, "MainPID=0\nExecMainStartTimestamp=\nLoadState=not-found\nActiveState=inactive\n"
                + "SubState=dead\n", ""), outcome(show));
        assertEquals(List.of(4, "inactive\n", ""), outcome(user("is-active", "no-such.service"))); // §12 is-active 4
        assertEquals(List.of(5, "", "Failed to restart no-such.service: Unit no-such.service not found.\n"),
                outcome(user("restart", "no-such.service"))); // §12 restart, unknown unit
        assertEquals(List.of(5, "", "Failed to start no-such.service: Unit no-such.service not found.\n"),
                outcome(user("start", "no-such.service")));
        assertEquals(List.of(5, "", "Failed to stop no-such.service: Unit no-such.service not loaded.\n"),
                outcome(user("stop", "no-such.service")));
        assertEquals(List.of(1, "", "Failed to get unit file state for no-such.service: No such file or directory\n"),
                outcome(user("is-enabled", "no-such.service")));
        assertEquals(List.of(1, "", "Failed to enable unit: Unit file no-such.service does not exist.\n"),
                outcome(user("enable", "--now", "no-such.service")));
        assertEquals(List.of(1, "", "Unknown command verb 'frobnicate'.\n"), outcome(user("frobnicate")));
        assertEquals(List.of(1, "", "systemctl: unrecognized option '--frob'\n"), outcome(user("--frob", "show")));
        assertEquals(List.of(1, "", "Too few arguments.\n"), outcome(user("restart")));
    }

    @Test
    void anEditedUnitKeepsRunningTheLoadedDefinitionUntilDaemonReload() throws Exception {
        start();
        Path file = unit(List.of("--mode", "local"));
        assertEquals(0, user("start", UNIT).exitCode());
        long first = pid();
        assertEquals(List.of("--mode", "local"), daemonArgv());
        FileTime loaded = Files.getLastModifiedTime(file);
        unit(List.of("--mode", "local", "--self-update"));
        // systemd compares the file's mtime with the one it loaded; make it differ on any file system granularity
        Files.setLastModifiedTime(file, FileTime.fromMillis(loaded.toMillis() + 1000));
        assertEquals("yes", show("NeedDaemonReload")); // §12 NeedDaemonReload=yes
        // §12: the warning on stderr, exit 0, and the OLD loaded definition runs
        assertEquals(List.of(0, "", warning(UNIT)), outcome(user("restart", UNIT)));
        long second = pid();
        assertTrue(second != first);
        assertEquals(List.of("--mode", "local"), daemonArgv());
        assertEquals(List.of(0, "", ""), outcome(user("daemon-reload")));
        assertEquals("no", show("NeedDaemonReload"));
        assertEquals(second, pid()); // daemon-reload does not touch the running process
        assertEquals(List.of(0, "", ""), outcome(user("restart", UNIT)));
        assertEquals(List.of("--mode", "local", "--self-update"), daemonArgv());
    }

    @Test
    void enableLinksIntoDefaultTargetAndDisableRemovesTheLink() {
        start();
        Path file = unit(List.of());
        Path link = sim.systemd().unitDir().resolve("default.target.wants").resolve(UNIT);
        assertEquals(List.of(1, "disabled\n"), List.of(user("is-enabled", UNIT).exitCode(),
                user("is-enabled", UNIT).stdout()));
        ExecResult enable = user("enable", "--now", UNIT);
        assertEquals(List.of(0, "", "Created symlink " + link + " \u2192 " + file + ".\n"), outcome(enable));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("active", show("ActiveState"));
        assertEquals(List.of(0, "enabled\n", ""), outcome(user("is-enabled", UNIT)));
        assertEquals("enabled", show("UnitFileState"));
        assertEquals(List.of(0, "", ""), outcome(user("enable", "--now", UNIT))); // nothing left to do
        long pid = pid();
        ExecResult disable = user("disable", "--now", UNIT);
        assertEquals(List.of(0, "", "Removed \"" + link + "\".\n"), outcome(disable));
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of("inactive", "dead", "disabled"), List.of(show("ActiveState"), show("SubState"),
                show("UnitFileState")));
        assertFalse(ProcessGroups.isLive(pid));
        assertEquals(List.of(3, "inactive\n", ""), outcome(user("is-active", UNIT))); // §12 is-active 3
    }

    @Test
    void noUserBusFailsEveryCallWithTheChosenMessage() {
        start();
        unit(List.of());
        for (SystemdSim.NoBus kind : SystemdSim.NoBus.values()) {
            sim.systemd().noBus(kind);
            for (String[] call : List.of(new String[] {"show", "-p", "MainPID", UNIT}, new String[] {"daemon-reload"},
                    new String[] {"restart", UNIT}, new String[] {"is-active", UNIT})) {
                assertEquals(List.of(1, "", kind.message + "\n"), outcome(user(call)), kind + " " + call[0]); // §12
            }
        }
        assertEquals("Failed to connect to bus: No medium found", SystemdSim.NoBus.NO_MEDIUM.message);
        assertTrue(sim.spawns(UNIT).isEmpty());
        sim.systemd().noBus(null);
        assertEquals(List.of(0, "", ""), outcome(user("start", UNIT)));
    }

    @Test
    void withoutUserItIsTheSystemManagerRefusingAnUnprivilegedCaller() {
        start();
        unit(List.of());
        assertEquals(List.of(1, "", "Failed to restart heph.service: Interactive authentication required.\n"
                + "See system logs and 'systemctl status heph.service' for details.\n"), outcome(sc("restart", UNIT)));
        assertEquals(List.of(1, "", "Failed to reload daemon: Interactive authentication required.\n"),
                outcome(sc("daemon-reload")));
        assertEquals(List.of(0, "LoadState=not-found\n", ""), outcome(sc("show", "-p", "LoadState", UNIT)));
        assertEquals(4, sc("is-active", UNIT).exitCode());
        assertTrue(sim.spawns(UNIT).isEmpty());
        // the user manager still knows nothing either until asked
        assertEquals("LoadState=loaded\n", user("show", "-p", "LoadState", UNIT).stdout());
    }

    @Test
    void failNextAndCallsAreRecordedPerVerb() {
        start();
        unit(List.of());
        sim.knobs().failNext("restart", 1, 1);
        assertEquals(List.of(1, "", jobFailed(UNIT, "the control process exited with error code")),
                outcome(user("restart", UNIT)));
        assertTrue(sim.spawns(UNIT).isEmpty());
        assertEquals(0, user("restart", UNIT).exitCode());
        List<Call> calls = sim.calls().stream().filter(c -> c.tool().equals("systemctl")).toList();
        assertEquals(List.of("systemctl --user restart heph.service", "systemctl --user restart heph.service"),
                calls.stream().map(Call::commandLine).toList());
        assertEquals(List.of(1, 0), calls.stream().map(Call::exitCode).toList());
    }
}
