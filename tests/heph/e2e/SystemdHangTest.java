package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A systemctl that stops answering: heph gives up after --timeout with exit 124,
 * naming the command, and leaves no systemctl process behind. An explicit --timeout bounds even the calls that
 * otherwise wait for systemd's stop job.
 */
@org.junit.jupiter.api.Tag("faults")
class SystemdHangTest extends SystemdHephBaseTest {
    @ParameterizedTest(name = "systemctl {0} hangs")
    @ValueSource(strings = {"show", "daemon-reload", "restart"})
    void hephGivesUpAfterTheTimeoutNamingTheCommand(String verb) throws Exception {
        assertEquals(0, heph("start", "--self-update-interval-secs", "300").exit());
        sim.knobs().hang(verb);
        try {
            Run r = heph("--timeout", "2", "restart", "--self-update-interval-secs", "600");
            assertEquals(124, r.exit(), r.toString());
            String line = r.err().lines().filter(l -> l.contains("did not answer")).findFirst().orElse(r.err());
            assertTrue(line.startsWith("heph: '" + sim.bin("systemctl") + " --user " + verb), line);
            assertTrue(line.contains("did not answer within 2000 ms and was killed"), line);
            String shim = sim.bin("systemctl").toString();
            List<String> left = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().orElse("").contains(shim))
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
            assertEquals(List.of(), left, "no systemctl left running");
        } finally {
            sim.knobs().release(verb);
        }
    }
}
