package heph.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.faults.FaultHarness.Run;
import heph.sim.SimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** launchctl refusing: bootstrap's transient 5, a missing GUI domain (112/125), 125 in the middle of a reload. */
@org.junit.jupiter.api.Tag("faults")
class LaunchctlFailuresTest extends FaultTest {
    private void startSim(long seed) {
        h = new FaultHarness(SimOptions.in(dir).withSeed(seed).withCleanupLagMs(200, 500));
    }

    @Test
    void bootstrapFailingWithFiveThreeTimesIsRetriedUntilItLoads() {
        startSim(71);
        assertEquals(0, h.heph("start").code());
        // docs/facts/launchd-facts.md §1 transitional row: `Bootstrap failed: 5: Input/output error` while the label drains;
        // heph retries 5 (and 37) only (§10: every tool that fixed the race retries bootstrap).
        h.sim.knobs().failNext("bootstrap", 3, 5);
        Run r = h.heph("restart", "--self-update-interval-secs", "710", "--json");
        assertEquals(0, r.code(), r.toString());
        assertEquals("reload", r.json().get("path"));
        assertEquals(4, r.number("bootstrap_attempts"));
        assertEquals(4, h.verbs().stream().filter("bootstrap"::equals).count() - 1); // minus the first start's
        assertEquals(h.plistArgs(), h.theDaemon().argv());
        h.assertNeverTwoAtOnce();
    }

    @Test
    void withoutAGuiDomainStartFailsInOneLineAndWritesNothing() {
        startSim(72);
        h.sim.knobs().noGuiDomain(true); // docs/facts/launchd-facts.md §3: print -> 112 "Could not find domain for user gui"
        Run r = h.heph("start");
        assertEquals(1, r.code(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("heph: launchctl print failed: 112: Could not find specified domain: "),
                lines.get(0));
        assertTrue(lines.get(0).contains("no GUI login session (over ssh"), lines.get(0));
        assertFalse(Files.exists(h.plistPath()), "nothing is written when the domain is missing");
        assertTrue(h.verbs().stream().allMatch(v -> v.startsWith("print")), "only read: " + h.verbs());

        // status cannot tell whether hephd runs: exit 1 with the same explanation (as a missing user bus on systemd)
        Run status = h.heph("status", "--json");
        assertEquals(1, status.code(), status.toString());
        assertEquals(lines.get(0), status.err().strip());
        // --json: the same reason as one object on stdout (docs/json.md)
        java.util.Map<?, ?> json = (java.util.Map<?, ?>) heph.json.Json.parse(status.out().strip());
        assertEquals(java.util.List.of(false, 1L, lines.get(0).substring("heph: ".length()), "status"),
                java.util.List.of(json.get("ok"), json.get("exit_code"), json.get("error"), json.get("action")));
    }

    @Test
    void bootstrapAnswering125FailsAtOnceWithTheSshHint() {
        startSim(73);
        // docs/facts/launchd-facts.md §1: `Bootstrap failed: 125: Domain does not support specified action` (ssh, no GUI login)
        h.sim.knobs().failNext("bootstrap", 1, 125);
        Run r = h.heph("start", "--json");
        assertEquals(1, r.code(), r.toString());
        assertEquals("heph: launchctl bootstrap failed: 125: Domain does not support specified action: no GUI login"
                + " session for this user (over ssh?): log in at the Mac's console, or run heph from a Terminal in"
                + " the GUI session; or use `heph --domain user <verb>`: user/$(id -u) works over ssh without a GUI login,"
                + " but launchd does not restore it at the next login", r.err().strip());
        assertEquals(1, h.verbs().stream().filter("bootstrap"::equals).count(), "125 is not retried");
        assertEquals(0, h.alive());
        assertEquals(0, h.heph("start").code(), "the next start loads it");
        assertEquals(h.plistArgs(), h.theDaemon().argv());
    }

    @Test
    void aBootstrapFailureAfterBootoutPutsThePreviousPlistBackAndLoadsIt() {
        startSim(74);
        assertEquals(0, h.heph("start", "--self-update-interval-secs", "720").code());
        byte[] before = read(h.plistPath());
        long oldPid = h.theDaemon().pid();
        h.sim.knobs().failNext("bootstrap", 1, 125);
        Run r = h.heph("restart", "--self-update-interval-secs", "721");
        assertEquals(1, r.code(), r.toString());
        String line = r.err().lines().filter(l -> l.startsWith("heph: launchctl bootstrap failed: 125"))
                .findFirst().orElse(r.err());
        long newPid = h.theDaemon().pid();
        assertTrue(line.endsWith("; put the previous " + FaultHarness.LABEL + ".plist back and hephd runs it again"
                + " (pid " + newPid + ")"), line);
        assertTrue(newPid != oldPid);
        assertEquals(new String(before), new String(read(h.plistPath())), "the previous plist, byte for byte");
        assertTrue(h.theDaemon().argv().contains("720"), h.theDaemon().argv().toString());
        assertEquals(0, h.heph("status").code());
        h.assertNeverTwoAtOnce();
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
