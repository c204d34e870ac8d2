package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Type=oneshot units through the CLI and the systemd simulator: systemctl start waits for the command, so a
 * oneshot that exited 0 is started (inactive with Result=success, or active/exited with RemainAfterExit=yes) and
 * status says it ran; one that exits non-zero fails the start naming its exit status. No MainPID is expected.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class OneshotSystemdTest extends SystemdHephBaseTest {
    Path unit(String name, String service) throws IOException {
        Path p = dir.resolve("units").resolve(name + ".service");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "[Service]\nType=oneshot\n" + service + "\n[Install]\nWantedBy=default.target\n");
        return p;
    }

    Path installed(String name) {
        return sim.home().resolve(".config/systemd/user").resolve(name + ".service");
    }

    @Test
    void aOneshotThatExitsZeroIsStartedAndStatusSaysItRan() throws IOException {
        Path marker = dir.resolve("ran");
        Path file = unit("os1", "ExecStart=/bin/sh -c 'echo once >> " + marker + "'");
        Run start = heph("start", "--unit-file", file.toString());
        assertEquals(0, start.exit(), start.out() + start.err());
        assertTrue(start.err().contains("ran and exited 0"), start.out() + start.err());
        assertEquals("once\n", Files.readString(marker), "the start waited for the command");
        assertTrue(Files.exists(installed("os1")), "the unit stays installed");
        assertEquals("inactive/dead", sim.systemd().state("os1.service").orElse(""));
        Run status = heph("status", "--unit", "os1.service");
        assertEquals(0, status.exit(), status.out() + status.err());
        assertTrue(status.out().contains("ran, exited 0"), status.out());
        assertFalse(status.out().contains("not running"), status.out());
    }

    @Test
    void remainAfterExitStaysActiveExitedAndStopEndsIt() throws IOException {
        Path file = unit("os2", "ExecStart=/bin/true\nRemainAfterExit=yes");
        Run start = heph("start", "--unit-file", file.toString(), "--json");
        assertEquals(0, start.exit(), start.out() + start.err());
        assertEquals(true, start.json().get("ok"), start.out());
        assertEquals("active/exited", sim.systemd().state("os2.service").orElse(""));
        Run status = heph("status", "--unit", "os2.service");
        assertEquals(0, status.exit(), status.out() + status.err());
        assertTrue(status.out().contains("active (exited)"), status.out());
        Run stop = heph("stop", "--unit", "os2.service");
        assertEquals(0, stop.exit(), stop.out() + stop.err());
        assertEquals("inactive/dead", sim.systemd().state("os2.service").orElse(""));
    }

    @Test
    void aFailingOneshotFailsTheStartNamingItsExitStatus() throws IOException {
        Path file = unit("os3", "ExecStart=/bin/sh -c 'exit 7'");
        Run start = heph("start", "--unit-file", file.toString());
        assertEquals(1, start.exit(), start.out() + start.err());
        assertTrue(start.err().contains("exited with status 7"), start.err());
        assertFalse(Files.exists(installed("os3")), "a unit new to systemd that failed is put back to not installed");
    }
}
