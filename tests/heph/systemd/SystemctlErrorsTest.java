package heph.systemd;

import static heph.systemd.SystemctlErrors.Kind.NO_USER_BUS;
import static heph.systemd.SystemctlErrors.Kind.OTHER;
import static heph.systemd.SystemctlErrors.Kind.START_FAILED;
import static heph.systemd.SystemctlErrors.Kind.UNIT_NOT_FOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import heph.proc.ExecResult;
import java.util.List;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("unit")
class SystemctlErrorsTest {
    static final List<String> RESTART = List.of("systemctl", "--user", "restart", "heph.service");

    static ExecResult result(int exit, String stderr) {
        return new ExecResult(RESTART, exit, "", stderr, 3);
    }

    @Test
    void noUserBusInEveryVariant() {
        List<String> messages = List.of(
                // §12 "No user bus, XDG_RUNTIME_DIR/DBUS unset (newer, ~v255+)"
                "Failed to connect to user scope bus via local transport: $DBUS_SESSION_BUS_ADDRESS and "
                        + "$XDG_RUNTIME_DIR not defined (consider using --machine=<user>@.host --user to connect to "
                        + "bus of other user)",
                // §12 "same, older (~v247–v254)"
                "Failed to connect to bus: $DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined (consider "
                        + "using --machine=<user>@.host --user to connect to bus of other user)",
                // §12 "same, some versions (hint suppressed by a bug, or sudo/root)"
                "Failed to connect to bus: No medium found",
                // §12 "runtime dir set, no user manager / no socket"
                "Failed to connect to bus: No such file or directory",
                // §12 "v257 pre-fix, XDG_RUNTIME_DIR unset"
                "Failed to connect to user scope bus via local transport: No such device or address",
                // §12 "`su user` keeping root's XDG_RUNTIME_DIR"
                "Failed to connect to bus: Permission denied",
                // beyond §12: systemd before ~v230 (e.g. v219)
                "Failed to get D-Bus connection: Connection refused");
        for (String m : messages) {
            assertEquals(NO_USER_BUS, SystemctlErrors.classify(result(1, m + "\n")), m); // §12: all exit 1
        }
    }

    @Test
    void unitNotFound() {
        // §12 "restart, unknown unit": exit 5
        assertEquals(UNIT_NOT_FOUND, SystemctlErrors.classify(
                result(5, "Failed to restart heph.service: Unit heph.service not found.\n")));
        // exit 5 (EXIT_NOTINSTALLED) alone is enough
        assertEquals(UNIT_NOT_FOUND, SystemctlErrors.classify(result(5, "")));
        // beyond §12: enable / is-enabled of a unit without a file (exit 1)
        assertEquals(UNIT_NOT_FOUND, SystemctlErrors.classify(
                result(1, "Failed to enable unit: Unit file heph.service does not exist.\n")));
        assertEquals(UNIT_NOT_FOUND, SystemctlErrors.classify(
                result(1, "Failed to get unit file state for heph.service: No such file or directory\n")));
    }

    @Test
    void startFailed() {
        // §12 "restart, start fails": user-scope form, exit 1
        assertEquals(START_FAILED, SystemctlErrors.classify(result(1, """
                Job for heph.service failed because the control process exited with error code.
                See "systemctl --user status heph.service" and "journalctl --user -xe" for details.
                """)));
        // §12 same row: newer -xeu form and another cause from the explanations table
        assertEquals(START_FAILED, SystemctlErrors.classify(result(1, """
                Job for heph.service failed because start of the service was attempted too often.
                See "systemctl --user status heph.service" and "journalctl --user -xeu heph.service" for details.
                """)));
    }

    @Test
    void everythingElseIsOther() {
        assertEquals(OTHER, SystemctlErrors.classify(result(4, "Failed to restart heph.service: Access denied\n")));
        assertEquals(OTHER, SystemctlErrors.classify(result(1, "")));
        // §12 "unit file edited, no daemon-reload": a warning with exit 0 is not a failure
        assertEquals(OTHER, SystemctlErrors.classify(result(0, "Warning: The unit file, source configuration file "
                + "or drop-ins of heph.service changed on disk. Run 'systemctl --user daemon-reload' to reload units.")));
    }

    @Test
    void explainsInOneActionableLine() {
        String bus = SystemctlErrors.explain(result(1, "Failed to connect to bus: No medium found\n"), "heph.service");
        assertTrue(bus.startsWith("systemctl --user restart heph.service: no user systemd bus: XDG_RUNTIME_DIR"), bus);
        assertTrue(bus.contains("export XDG_RUNTIME_DIR=/run/user/$(id -u)"), bus);
        assertTrue(bus.contains("loginctl enable-linger $USER"), bus);

        String job = SystemctlErrors.explain(result(1, "Job for heph.service failed because a timeout was exceeded."),
                "heph.service");
        assertTrue(job.contains("heph.service failed to start: see `journalctl --user-unit heph.service`"), job);

        String missing = SystemctlErrors.explain(result(5, "Failed to restart heph.service: Unit heph.service not "
                + "found."), "heph.service");
        assertTrue(missing.contains("does not know heph.service"), missing);

        String other = SystemctlErrors.explain(result(4, "Failed to restart heph.service: Access denied\nmore\n"),
                "heph.service");
        assertEquals("systemctl --user restart heph.service: exit 4: Failed to restart heph.service: Access denied",
                other);
        assertEquals("systemctl --user restart heph.service: exit 1: (no output)",
                SystemctlErrors.explain(result(1, ""), "heph.service"));

        for (String line : List.of(bus, job, missing, other)) {
            assertFalse(line.contains("\n"), line);
        }
    }

    @Test
    void failureCarriesTheRawOutputAsDetail() {
        HephException e = SystemctlErrors.failure(result(1, "Failed to connect to bus: No medium found\n"),
                "heph.service");
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertEquals("Failed to connect to bus: No medium found", e.detail());
        assertTrue(e.getMessage().contains("no user systemd bus"));
    }
}
