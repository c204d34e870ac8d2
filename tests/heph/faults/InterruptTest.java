package heph.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import heph.faults.FaultHarness.HephProcess;
import heph.faults.FaultHarness.Run;
import heph.sim.SimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGINT or SIGTERM during the reload path (between bootout and a running daemon): heph finishes the reload, then
 * exits 128 + signal, and hephd runs the new definition without any later `heph start`.
 */
@org.junit.jupiter.api.Tag("faults")
class InterruptTest extends FaultTest {
    static final Duration EXIT_BOUND = Duration.ofSeconds(60);

    @ParameterizedTest(name = "SIG{0} -> exit {1}")
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalRightAfterBootoutIsHeldUntilTheNewDaemonRuns(String signal, int exit) {
        // a long cleanup lag keeps the window between bootout and bootstrap wide open for the signal
        h = new FaultHarness(SimOptions.in(dir).withSeed(61).withCleanupLagMs(1500, 2000));
        assertEquals(0, h.heph("start").code());
        long oldPid = h.theDaemon().pid();
        h.sim.clearCalls();

        HephProcess heph = h.launch("restart", "--self-update-interval-secs", "900");
        // docs/facts/launchd-facts.md §2: bootout returns before the label is gone; the signal lands in the wait that follows
        FaultHarness.await("bootout seen", () -> h.called("bootout"), EXIT_BOUND);
        heph.signal(signal);
        Run run = heph.await(EXIT_BOUND);

        assertEquals(exit, run.code(), run.toString());
        assertTrue(run.err().contains("got SIG" + signal + " during the reload; finishing it first"), run.err());
        assertNewDefinitionRuns(oldPid, "900");
    }

    /**
     * A Ctrl-C in a terminal reaches the whole foreground process group: heph and the launchctl it is running.
     * The launchctl call dies of the signal (exit 130 as Java sees it); heph must run it again, not give up with
     * hephd unloaded. Made deterministic with the simulator's hang knob: the call is in flight when the signal lands.
     */
    @ParameterizedTest(name = "Ctrl-C while launchctl {0} runs")
    @ValueSource(strings = {"enable", "bootstrap"})
    void ctrlCToTheProcessGroupKillsTheLaunchctlCallAndHephRunsItAgain(String verb) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "needs setsid(1) for a process group of its own");
        h = new FaultHarness(SimOptions.in(dir).withSeed(62).withCleanupLagMs(200, 400));
        assertEquals(0, h.heph("start").code());
        long oldPid = h.theDaemon().pid();
        h.sim.knobs().hang(verb);

        HephProcess heph = h.launchInOwnGroup("restart", "--self-update-interval-secs", "901");
        ProcessHandle call = FaultHarness.awaitValue("launchctl " + verb + " in flight", () -> h.shims().stream()
                .filter(p -> p.info().commandLine().orElse("").contains(" " + verb + " ")).findFirst(), EXIT_BOUND);
        FaultHarness.signal("INT", -heph.pid()); // the group, as the terminal does
        FaultHarness.await("the launchctl call killed", () -> !call.isAlive(), EXIT_BOUND);
        h.sim.knobs().release(verb); // heph's second run of the call (hung until now) goes through
        Run run = heph.await(EXIT_BOUND);

        assertEquals(130, run.code(), run.toString());
        assertTrue(run.err().contains(" " + verb + " " + h.sim.domain()) && run.err().contains("' was killed by the"
                + " signal (exit 130); running it again"), run.err());
        assertNewDefinitionRuns(oldPid, "901");
    }

    @Test
    void withoutASignalTheReloadExitsZero() {
        // the control for the two tests above: same reload, no signal
        h = new FaultHarness(SimOptions.in(dir).withSeed(63).withCleanupLagMs(200, 400));
        assertEquals(0, h.heph("start").code());
        long oldPid = h.theDaemon().pid();
        Run run = h.launch("restart", "--self-update-interval-secs", "902").await(EXIT_BOUND);
        assertEquals(0, run.code(), run.toString());
        assertNewDefinitionRuns(oldPid, "902");
    }

    private void assertNewDefinitionRuns(long oldPid, String interval) {
        List<String> args = h.plistArgs();
        assertTrue(args.containsAll(List.of("--self-update-interval-secs", interval)), args.toString());
        assertEquals(args, h.theDaemon().argv());
        assertTrue(h.theDaemon().pid() != oldPid);
        assertEquals(0, h.heph("status").code());
        h.assertNeverTwoAtOnce();
    }
}
