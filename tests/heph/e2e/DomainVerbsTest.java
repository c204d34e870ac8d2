package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.Call;
import heph.sim.SimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every verb in both launchd domains: gui/&lt;uid&gt; (default) and, with {@code --domain user} or
 * HEPH_DOMAIN=user, user/&lt;uid&gt; while the simulator has no GUI session (docs/facts/launchd-facts.md §13: gui/ answers 125/112
 * over ssh, {@code bootstrap user/<uid>} succeeds silently).
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class DomainVerbsTest {
    static final String LABEL = "org.hephaestus.hephd";
    @TempDir
    Path dir;
    HephInSim h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gui", "user"})
    void everyVerbWorksInTheDomain(String kind) {
        h = new HephInSim(SimOptions.in(dir).withSeed(11).withCleanupLagMs(100, 300));
        if (kind.equals("user")) {
            h.sim.knobs().noGuiDomain(true); // over ssh: gui/<uid> is unusable, user/<uid> works
            h.env.put("HEPH_DOMAIN", "user");
        }
        String domain = kind + "/" + h.sim.uid();
        String target = domain + "/" + LABEL;

        HephInSim.Run start = h.heph("start", "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals("start", start.json().get("path"));
        long pid = ((Number) start.json().get("new_pid")).longValue();
        assertEquals(pid, h.sim.runningPid(LABEL).getAsLong());
        assertEquals(pid, ((Number) h.daemonInfo().get("pid")).longValue(), "the socket answers");
        assertTrue(called("bootstrap", domain), "bootstrap " + domain + ": " + calls());

        HephInSim.Run status = h.heph("status", "--json");
        assertEquals(0, status.exit(), status.err());
        assertEquals(pid, ((Number) status.json().get("pid")).longValue());

        h.sim.clearCalls();
        HephInSim.Run kick = h.heph("restart", "--json");
        assertEquals(0, kick.exit(), kick.err());
        assertEquals("kickstart", kick.json().get("path"));
        assertTrue(called("kickstart", target), calls().toString());
        long kicked = ((Number) kick.json().get("new_pid")).longValue();
        assertNotEquals(pid, kicked);

        h.sim.clearCalls();
        HephInSim.Run reload = h.heph("restart", "--self-update-interval-secs", "600", "--json");
        assertEquals(0, reload.exit(), reload.err());
        assertEquals("reload", reload.json().get("path"));
        assertTrue(called("bootout", target) && called("bootstrap", domain), calls().toString());
        assertTrue(h.daemonArgv().contains("600"), h.daemonArgv().toString());

        HephInSim.Run stop = h.heph("stop", "--json");
        assertEquals(0, stop.exit(), stop.err());
        assertEquals("stop", stop.json().get("path"));
        assertTrue(h.sim.state(LABEL).isEmpty(), "unloaded");
        assertEquals(3, h.heph("status").exit());

        assertEquals(0, h.heph("start").exit());
        HephInSim.Run uninstall = h.heph("uninstall", "--json");
        assertEquals(0, uninstall.exit(), uninstall.err());
        assertFalse(Files.exists(h.plist()));
        assertTrue(h.sim.state(LABEL).isEmpty());
        assertEquals(0, h.alive());
        // the other domain is only asked (one instance across both: is the label loaded there?), never changed
        String other = kind.equals("gui") ? "user/" : "gui/";
        assertTrue(h.sim.calls().stream().filter(c -> c.argv().stream().anyMatch(a -> a.startsWith(other)))
                .allMatch(c -> c.verb().equals("print")), "only " + domain + " is used: " + calls());
        assertTrue(h.sim.calls().stream().anyMatch(c -> c.verb().equals("print") && c.argv().contains(other
                + h.sim.uid() + "/" + LABEL)), "the other domain was asked: " + calls());
    }

    @Test
    void withoutAGuiSessionTheErrorNamesDomainUserAndTheFlagWorks() {
        h = new HephInSim(SimOptions.in(dir).withSeed(12).withNoGuiDomain(true));
        HephInSim.Run gui = h.heph("start");
        assertEquals(1, gui.exit());
        assertTrue(gui.err().contains("no GUI login session") && gui.err().contains("--domain user")
                && gui.err().contains("does not restore it at the next login"), gui.err());
        HephInSim.Run user = h.heph("--domain", "user", "start", "--json");
        assertEquals(0, user.exit(), user.err());
        assertEquals(0, h.heph("status", "--domain", "user").exit());
        // without --domain user, heph still asks gui/<uid>, which is missing: not loaded there (exit 3), and the
        // hint names user/<uid>, where it is loaded
        HephInSim.Run status = h.heph("status");
        assertEquals(3, status.exit(), status.err());
        assertTrue(status.out().contains("`heph --domain user status`") && status.out().contains("does not exist"),
                status.out());
        assertEquals(0, h.heph("--domain", "user", "stop").exit());
        // loaded nowhere: heph cannot tell more than that gui/<uid> is missing: exit 1 with the same hint as start
        HephInSim.Run nowhere = h.heph("status");
        assertEquals(1, nowhere.exit());
        assertTrue(nowhere.err().contains("--domain user"), nowhere.err());
    }

    @Test
    void aBadDomainIsAUsageError() {
        h = new HephInSim(SimOptions.in(dir).withSeed(13));
        HephInSim.Run bad = h.heph("--domain", "system", "status");
        assertEquals(2, bad.exit());
        assertEquals("heph: --domain: 'system' is not valid; expected gui or user", bad.err().strip());
        h.env.put("HEPH_DOMAIN", "login");
        assertEquals("heph: HEPH_DOMAIN: 'login' is not valid; expected gui or user", h.heph("status").err().strip());
    }

    private boolean called(String verb, String arg) {
        return h.sim.calls().stream().anyMatch(c -> c.verb().equals(verb) && c.argv().contains(arg) && c.exitCode() == 0);
    }

    private List<String> calls() {
        return h.sim.calls().stream().map(Call::commandLine).toList();
    }
}
