package heph.realsystemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Type=oneshot units against a real systemd --user: systemctl start waits for the command, so heph takes a
 * oneshot that exited 0 as started (inactive with Result=success, or active/exited with RemainAfterExit=yes), and
 * a failing one as a failed start naming its exit status. The systemd simulator is checked against the same cases
 * (tests/heph/e2e/OneshotSystemdTest).
 */
@org.junit.jupiter.api.Tag("real-systemd")
class RealSystemdOneshotTest extends RealSystemdBase {
    Path unit(String name, String service) throws IOException {
        Path p = dir.resolve("units").resolve(name + ".service");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "[Service]\nType=oneshot\n" + service + "\n[Install]\nWantedBy=default.target\n");
        return p;
    }

    @Test
    void oneshotsThatExitZeroAreStartedAndStatusExitsZero() throws IOException {
        Run ran = ok("start", "--unit-file", unit("os1", "ExecStart=/bin/true").toString());
        assertTrue(ran.err().contains("ran and exited 0"), ran.err());
        assertEquals(java.util.List.of("inactive", "success"), java.util.List.of(
                manager.property("os1.service", "ActiveState"), manager.property("os1.service", "Result")));
        Run st1 = heph("status", "--unit", "os1.service");
        assertEquals(0, st1.exit(), st1.out() + st1.err());
        assertTrue(st1.out().contains("ran, exited 0"), st1.out());

        ok("start", "--unit-file", unit("os2", "ExecStart=/bin/true\nRemainAfterExit=yes").toString());
        assertEquals("active", manager.property("os2.service", "ActiveState"));
        assertEquals("exited", manager.property("os2.service", "SubState"));
        Run st2 = heph("status", "--unit", "os2.service");
        assertEquals(0, st2.exit(), st2.out() + st2.err());
        assertTrue(st2.out().contains("active (exited)"), st2.out());
    }

    @Test
    void aFailingOneshotFailsTheStartNamingItsExitStatus() throws IOException {
        Run r = heph("start", "--unit-file", unit("os3", "ExecStart=/bin/sh -c 'exit 7'").toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("exited with status 7"), r.err());
        assertFalse(Files.exists(manager.home.resolve(".config/systemd/user/os3.service")),
                "a unit new to systemd that failed is put back to not installed");
    }
}
