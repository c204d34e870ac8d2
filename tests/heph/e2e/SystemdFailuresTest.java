package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.systemd.SystemdSim;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** heph's systemd backend when systemd says no (docs/facts/launchd-facts.md §12): no user bus, a unit that does not start. */
@org.junit.jupiter.api.Tag("faults")
class SystemdFailuresTest extends SystemdHephBaseTest {
    @Test
    void noUserBusIsExplainedAndChangesNothing() {
        for (SystemdSim.NoBus kind : List.of(SystemdSim.NoBus.NOT_DEFINED, SystemdSim.NoBus.NO_MEDIUM,
                SystemdSim.NoBus.NO_SUCH_FILE)) {
            sim.systemd().noBus(kind); // §12 "Failed to connect to bus…", exit 1
            for (String verb : List.of("start", "restart", "stop", "uninstall", "status")) {
                Run r = heph(verb);
                assertEquals(1, r.exit(), kind + " " + verb + ": " + r.err());
                String err = r.err();
                assertEquals(1, err.strip().lines().count(), err); // one line
                for (String hint : List.of("no user systemd bus", "XDG_RUNTIME_DIR", "ssh", "sudo",
                        "loginctl enable-linger")) {
                    assertTrue(err.contains(hint), kind + " " + verb + " lacks '" + hint + "': " + err);
                }
            }
        }
        assertFalse(Files.exists(unitFile())); // start failed before writing anything
        assertTrue(sim.spawns(UNIT).isEmpty());
        Run verbose = heph("status", "-v");
        assertTrue(verbose.err().contains(SystemdSim.NoBus.NO_SUCH_FILE.message), verbose.err());
        sim.systemd().noBus(null);
        assertEquals(0, heph("start").exit()); // the bus is back: heph works again
    }

    @Test
    void aDaemonThatExitsAtOnceFailsTheStartAndPointsAtTheJournal() throws Exception {
        env.put("HEPH_HEPHD", script("hephd-broken", "echo 'hephd: cannot open database' >&2\nexit 1").toString());
        Run r = heph("start");
        // the fake fails the job when the process exits within its start grace (§12 "start fails", exit 1); a slower
        // machine lets start succeed and heph's own verification catch the exit: either way exit 1 and the journal
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("journalctl --user-unit heph.service"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(Files.readString(sim.systemd().journal(UNIT)).contains("hephd: cannot open database"));
        Run st = heph("status", "--json");
        assertEquals(List.of(3, false), List.of(st.exit(), st.json().get("running")));
    }

    @Test
    void aDaemonThatDiesWithinTheSettleTimeFailsTheStartToo() throws Exception {
        env.put("HEPH_HEPHD", script("hephd-dies", "sleep 0.15\nexit 3").toString());
        Run r = heph("start");
        assertEquals(1, r.exit(), r.err()); // systemctl said yes (Type=simple, §12); heph's verification says no
        assertTrue(r.err().contains("journalctl --user-unit heph.service"), r.err());
        assertTrue(r.err().contains("exited") || r.err().contains("failed"), r.err());
        assertTrue(calls().contains("enable --now heph.service"));
    }
}
