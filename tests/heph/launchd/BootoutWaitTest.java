package heph.launchd;

import static heph.support.ScriptedRunner.fail;
import static heph.support.ScriptedRunner.hang;
import static heph.support.ScriptedRunner.ok;
import static heph.support.ScriptedRunner.out;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import heph.service.Outcome;
import heph.support.FakeClock;
import heph.support.ScriptedRunner;
import heph.support.TestSettings;
import heph.support.Transcripts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bootout --wait where it exists, plain bootout + polling where not (docs/facts/launchd-facts.md §2, §13; err-05a/05b). */
@org.junit.jupiter.api.Tag("unit")
class BootoutWaitTest {
    static final String LABEL = "org.hephaestus.hephd";
    static final String TARGET = "gui/501/" + LABEL;
    /** real-launchctl err-05a: what macOS 14/15 answer to `bootout --wait`. */
    static final String UNRECOGNIZED = "Unrecognized target specifier.\n"
            + "Usage: launchctl bootout <domain-target> [service-path1, service-path2, ...] | <service-target>\n"
            + "<service-target> takes a form of <domain-target>/<service-id>.\n";
    @TempDir
    Path home;
    final FakeClock clock = new FakeClock();
    final List<Duration> timeouts = new ArrayList<>();

    BootoutWait bootouts(ScriptedRunner r) {
        ProcessRunner recording = (argv, timeout) -> {
            timeouts.add(timeout);
            return r.run(argv, timeout);
        };
        Launchctl lc = new Launchctl(recording, "launchctl", Duration.ofSeconds(10));
        return new BootoutWait(lc, new LaunchdPrimitives(lc, clock), clock, new TestSettings(home).launchd(501));
    }

    static ScriptedRunner.Reply gone() {
        return fail(113, Transcripts.notFound(LABEL, 501));
    }

    static ScriptedRunner.Reply job(String state) {
        return out(Transcripts.job(LABEL, 501, state, 4242L, "/usr/local/bin/hephd"));
    }

    static ExecResult answer(int code, String stderr) {
        return new ExecResult(List.of("launchctl", "bootout", "--wait", TARGET), code, "", stderr, 1);
    }

    @Test
    void aSixtyFourAnswerMeansAbsentAnythingElseMeansTheOptionWasParsed() {
        assertEquals(BootoutWait.Support.ABSENT, BootoutWait.fromWaitAnswer(answer(64, UNRECOGNIZED)));
        assertEquals(BootoutWait.Support.PRESENT, BootoutWait.fromWaitAnswer(answer(0, "")));
        assertEquals(BootoutWait.Support.PRESENT,
                BootoutWait.fromWaitAnswer(answer(3, "Boot-out failed: 3: No such process\n")));
        assertEquals(BootoutWait.Support.PRESENT,
                BootoutWait.fromWaitAnswer(answer(125, "Boot-out failed: 125: Domain does not support specified action\n")));
    }

    @Test
    void whereWaitExistsOneCallThenOnePrintConfirmsAndNoFailingCall() {
        ScriptedRunner r = new ScriptedRunner().on("bootout", ok()).on("print", gone());
        BootoutWait b = bootouts(r);
        BootoutWait.Sent sent = b.bootout(TARGET, Duration.ofSeconds(7));
        LaunchdPrimitives.Waited w = b.confirm(sent, TARGET, Duration.ofSeconds(7));
        assertEquals(List.of(List.of("launchctl", "bootout", "--wait", TARGET), List.of("launchctl", "print", TARGET)),
                r.calls());
        assertEquals(Duration.ofSeconds(7), timeouts.get(0), "bounded by the unload bound (shorter than --timeout)");
        assertEquals(List.of(BootoutWait.Support.PRESENT, 0, 1), List.of(b.support(), b.failedWaitCalls(), w.polls()));
        Map<String, Object> json = b.annotate(new Outcome("stop", "stop", false, 1L, null, 0, 0, "m", List.of()))
                .toJson();
        assertEquals("bootout --wait", json.get("unload_via"));
        assertEquals(1, json.get("print_polls"));
        assertEquals(true, json.get("changed"), "the common fields stay (a stop is a change)");
    }

    @Test
    void whereWaitIsAbsentOneFailingCallThenPlainBootoutsAndPollingForTheRestOfTheRun() {
        ScriptedRunner r = new ScriptedRunner().on("bootout", fail(64, UNRECOGNIZED), ok())
                .on("print", job("SIGTERMed"), gone());
        BootoutWait b = bootouts(r);
        for (int run = 0; run < 2; run++) { // e.g. a reload and its put-back in one heph run
            BootoutWait.Sent sent = b.bootout(TARGET, Duration.ofSeconds(30));
            assertEquals("poll", sent.via());
            b.confirm(sent, TARGET, Duration.ofSeconds(30));
        }
        List<List<String>> bootouts = r.calls().stream().filter(c -> c.get(1).equals("bootout")).toList();
        assertEquals(List.of(List.of("launchctl", "bootout", "--wait", TARGET), List.of("launchctl", "bootout", TARGET),
                List.of("launchctl", "bootout", TARGET)), bootouts);
        assertEquals(List.of(BootoutWait.Support.ABSENT, 1), List.of(b.support(), b.failedWaitCalls()));
        assertEquals(Duration.ofSeconds(10), timeouts.get(0), "bounded by --timeout (shorter than the unload bound)");
    }

    @Test
    void aHungWaitOnADrainingJobFallsBackToPollingAndIsNotUsedAgain() {
        ScriptedRunner r = new ScriptedRunner().on("bootout", hang(), ok())
                .on("print", job("SIGTERMed"), job("SIGKILLed"), gone());
        BootoutWait b = bootouts(r);
        BootoutWait.Sent sent = b.bootout(TARGET, Duration.ofSeconds(10));
        assertEquals("bootout --wait timed out, then poll", sent.via());
        assertEquals(2, b.confirm(sent, TARGET, Duration.ofSeconds(10)).polls());
        b.bootout(TARGET, Duration.ofSeconds(10));
        assertEquals(List.of("launchctl", "bootout", TARGET), r.calls().get(r.calls().size() - 1));
        assertEquals(0, b.failedWaitCalls());
    }

    @Test
    void aHungWaitThatLeftTheJobUntouchedIsTheTimeoutError() {
        ScriptedRunner r = new ScriptedRunner().on("bootout", hang()).on("print", job("running"));
        HephException e = assertThrows(HephException.class, () -> bootouts(r).bootout(TARGET, Duration.ofSeconds(10)));
        assertEquals(ExitCode.TIMEOUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("'launchctl bootout --wait " + TARGET + "' did not answer"), e.getMessage());
    }

    @Test
    void notLoadedIsFineAndOtherRefusalsFailWithTheirMeaning() {
        ScriptedRunner gone = new ScriptedRunner().on("bootout", fail(3, "Boot-out failed: 3: No such process\n"));
        assertEquals("bootout --wait", bootouts(gone).bootout(TARGET, Duration.ofSeconds(10)).via());
        ScriptedRunner refused = new ScriptedRunner().on("bootout",
                fail(125, "Boot-out failed: 125: Domain does not support specified action\n"));
        HephException e = assertThrows(HephException.class,
                () -> bootouts(refused).bootout(TARGET, Duration.ofSeconds(10)));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("125"), e.getMessage());
    }
}
