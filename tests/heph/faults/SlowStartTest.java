package heph.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.faults.FaultHarness.Run;
import heph.service.SocketProbe;
import heph.sim.SimOptions;
import heph.sim.daemon.SampleDaemon;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A daemon that is slow to open its socket (docs/facts/hephd.md: hephd takes its database lock, then listens): `--wait-ready`
 * returns only once the socket accepts, and gives up after its bound with one line, leaving the daemon running.
 */
@org.junit.jupiter.api.Tag("faults")
class SlowStartTest extends FaultTest {
    @Test
    void waitReadyReturnsOnlyOnceTheSocketAcceptsAndIsBounded() {
        h = new FaultHarness(SimOptions.in(dir).withSeed(121).withCleanupLagMs(200, 400));
        assertEquals(0, h.heph("start").code());
        Path socket = h.sim.home().resolve(".local/share/heph/hephd.sock"); // hephd's default under launchd
        h.sim.daemonProperty(SampleDaemon.STARTUP_MS, "1500");

        Run ready = h.heph("restart", "--self-update-interval-secs", "1400", "--wait-ready", "--json");
        assertEquals(0, ready.code(), ready.toString());
        assertTrue(SocketProbe.accepts(socket), "accepting when heph returns");
        long pid = h.theDaemon().pid(); // the only daemon alive, so the socket is the new one's

        h.sim.daemonProperty(SampleDaemon.STARTUP_MS, "5000");
        Run late = h.heph("restart", "--self-update-interval-secs", "1401", "--wait-ready", "1");
        assertEquals(1, late.code(), late.toString());
        assertEquals("heph: hephd is running but its socket " + socket + " did not accept a connection within 1000"
                + " ms; see the daemon's log", late.err().strip());
        assertFalse(SocketProbe.accepts(socket));
        assertTrue(h.theDaemon().pid() != pid, "the reload itself went through");
        assertEquals(h.plistArgs(), h.theDaemon().argv());
        h.assertNeverTwoAtOnce();
    }
}
