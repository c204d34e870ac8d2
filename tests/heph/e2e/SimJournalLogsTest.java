package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.SimHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * heph logs under the systemd simulator, heph as its own JVM: the simulator's bin/journalctl (HEPH_JOURNALCTL, as
 * heph-sim exports it) answers from the simulated journal, where the user manager writes its services' output.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class SimJournalLogsTest extends SystemdHephBaseTest {
    @Test
    void logsShowsTheLastLinesAUnitWroteToTheSimulatedJournal() throws Exception {
        env.put("HEPH_JOURNALCTL", sim.bin("journalctl").toString());
        Path file = dir.resolve("units/ua.service");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[Service]\nExecStart=/bin/sh -c 'for i in 1 2 3 4 5; do echo line-$i; done;"
                + " echo oops-on-err >&2; exec sleep 600'\n[Install]\nWantedBy=default.target\n");
        Run start = hephProcess("start", "--unit-file", file.toString());
        assertEquals(0, start.exit(), start.out() + start.err());
        SimHarness.awaitValue("the unit's output in the journal", () -> {
            try {
                return Files.readString(sim.systemd().journal("ua.service"));
            } catch (java.io.IOException e) {
                return "";
            }
        }, t -> t.contains("oops-on-err"), Duration.ofSeconds(20));

        Run logs = hephProcess("logs", "--unit", "ua.service", "-n", "3");
        assertEquals(0, logs.exit(), logs.out() + logs.err());
        assertFalse(logs.err().contains("no lines"), logs.err());
        assertTrue(logs.out().contains("line-5") && logs.out().contains("oops-on-err"), logs.out());
        assertFalse(logs.out().contains("line-3"), "-n 3 shows the last three lines only: " + logs.out());

        Run none = hephProcess("logs", "--unit", "never.service");
        assertEquals(0, none.exit(), none.out() + none.err());
        assertTrue(none.err().contains("the journal has no lines for never.service"), none.err());
    }
}
