package heph.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.faults.FaultHarness.Run;
import heph.sim.Call;
import heph.sim.SimOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each launchctl verb heph uses hangs in turn: heph gives up after --timeout (exit 124) naming the command, kills
 * the launchctl process (no shim is left behind), and once launchctl answers again `heph start` converges.
 */
@org.junit.jupiter.api.Tag("faults")
class HangTest extends FaultTest {
    static final long TIMEOUT_MS = 2000;
    /** What may pass between the call before the hung one finishing and heph returning, beyond the timeout. */
    static final long SLACK_MS = 5000; // generous for a loaded CI box, still well below the 10 s default

    @ParameterizedTest(name = "launchctl {0} hangs")
    @ValueSource(strings = {"print", "bootout", "enable", "bootstrap", "kickstart"})
    void hephGivesUpAfterTheTimeoutNamingTheCommandAndLeavesNoShim(String verb) {
        h = new FaultHarness(SimOptions.in(dir).withSeed(81).withCleanupLagMs(200, 400));
        List<String> args = new ArrayList<>(List.of("--timeout", "2"));
        if (verb.equals("print")) {
            args.add("start"); // the very first call
        } else {
            assertEquals(0, h.heph("start", "--self-update-interval-secs", "800").code());
            args.add("restart");
            if (!verb.equals("kickstart")) {
                args.addAll(List.of("--self-update-interval-secs", "801")); // changed: the reload path
            } // unchanged: kickstart -k (docs/facts/launchd-facts.md §4)
        }
        h.sim.clearCalls();
        h.sim.knobs().hang(verb);

        Run r = h.heph(args.toArray(String[]::new));
        long returned = System.currentTimeMillis();

        assertEquals(124, r.code(), r.toString());
        String first = r.err().lines().filter(l -> l.contains("did not answer")).findFirst().orElse(r.err());
        assertTrue(first.startsWith("heph: '" + h.sim.launchctl() + " " + verb + " "), first);
        assertTrue(first.contains("' did not answer within " + TIMEOUT_MS + " ms and was killed"), first);
        List<Call> before = h.sim.calls(); // the hung call is not among them: it never finished
        long lastAnswer = before.isEmpty() ? returned - r.millis() : before.get(before.size() - 1).endMs();
        assertTrue(returned - lastAnswer < TIMEOUT_MS + SLACK_MS, "gave up " + (returned - lastAnswer)
                + " ms after launchctl's last answer");
        FaultHarness.await("the hung launchctl killed", () -> h.shims().isEmpty(), Duration.ofSeconds(3));

        h.sim.knobs().release(verb);
        // the released call still does its work (a real launchctl killed mid-call may have, too): let it finish
        FaultHarness.await("the released " + verb + " answered", () -> h.called(verb), Duration.ofSeconds(5));
        Run repair = h.heph("start");
        assertEquals(0, repair.code(), repair.toString());
        assertEquals(h.plistArgs(), h.theDaemon().argv());
        assertEquals(0, h.heph("status").code());
        h.assertNeverTwoAtOnce();
    }
}
