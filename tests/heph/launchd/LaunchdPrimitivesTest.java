package heph.launchd;

import static heph.support.ScriptedRunner.fail;
import static heph.support.ScriptedRunner.ok;
import static heph.support.ScriptedRunner.out;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import heph.support.FakeClock;
import heph.support.ScriptedRunner;
import heph.support.Transcripts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@org.junit.jupiter.api.Tag("unit")
class LaunchdPrimitivesTest {
    static final String LABEL = "org.hephaestus.hephd";
    static final String TARGET = "gui/501/" + LABEL;
    static final String EIO = "Bootstrap failed: 5: Input/output error\nTry re-running the command as root for richer errors.\n";
    final FakeClock clock = new FakeClock();

    LaunchdPrimitives primitives(ScriptedRunner r) {
        return new LaunchdPrimitives(new Launchctl(r, "launchctl", Duration.ofSeconds(10)), clock);
    }

    static ScriptedRunner.Reply draining() {
        // docs/facts/launchd-facts.md §2/§3: after bootout, print still answers 0 with state = SIGTERMed until the job is reaped
        return out(Transcripts.job(LABEL, 501, "SIGTERMed", 4242L, "/usr/local/bin/hephd", "--mode", "local"));
    }

    static ScriptedRunner.Reply gone() {
        return fail(113, Transcripts.notFound(LABEL, 501));
    }

    @Test
    void waitUntilUnloadedPollsUntilPrintAnswers113() {
        ScriptedRunner r = new ScriptedRunner().on("print", draining(), draining(), draining(), gone());
        LaunchdPrimitives.Waited w = primitives(r).waitUntilUnloaded(TARGET, Duration.ofSeconds(10));
        assertEquals(4, w.polls());
        assertEquals(List.of("print", "print", "print", "print"), r.verbs());
        // the first checks come within tens of milliseconds, then back off
        assertEquals(List.of(10L, 20L, 40L), clock.sleeps());
        assertEquals(70, w.millis());
    }

    @Test
    void waitUntilUnloadedBacksOffToACapAndFailsAtTheBoundNamingTheState() {
        ScriptedRunner r = new ScriptedRunner().on("print", draining());
        HephException e = assertThrows(HephException.class,
                () -> primitives(r).waitUntilUnloaded(TARGET, Duration.ofSeconds(3)));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("still registered after 3000 ms (state = SIGTERMed, pid 4242)"),
                e.getMessage());
        assertTrue(clock.sleeps().stream().allMatch(s -> s <= LaunchdPrimitives.MAX_POLL_MS));
        assertEquals(3000, clock.millis());
    }

    @Test
    void waitUntilUnloadedPollsFastThroughTheUsualTeardownWindowThenSlowsDown() {
        // bootstrap within ~50 ms of the label being gone while teardown normally ends (docs/facts/launchd-facts.md
        // §9: exit + 3-5 s cleanup); past that window a slow daemon is not polled in a busy loop
        ScriptedRunner r = new ScriptedRunner().on("print", draining());
        assertThrows(HephException.class, () -> primitives(r).waitUntilUnloaded(TARGET, Duration.ofSeconds(20)));
        List<Long> sleeps = clock.sleeps();
        assertEquals(List.of(10L, 20L, 40L, 50L, 50L), sleeps.subList(0, 5));
        long fast = sleeps.stream().filter(ms -> ms == LaunchdPrimitives.FAST_POLL_MS).count();
        long slow = sleeps.stream().filter(ms -> ms == LaunchdPrimitives.MAX_POLL_MS).count();
        assertTrue(fast >= 190 && fast <= 200, "fast polls in the first 10 s: " + fast);
        assertTrue(slow >= 38 && slow <= 40, "polls every 250 ms for the next 10 s: " + slow);
        assertTrue(r.count("print") < 250, "print calls for a 20 s wait: " + r.count("print"));
    }

    @Test
    void unloadBoundCoversExitTimeoutPlusCleanupWithTheSeedFiveSecondsAsFloor() {
        // docs/facts/launchd-facts.md §9: default ExitTimeOut 5 s, settle windows 3-5 s; the seed's 5 s is the floor
        assertEquals(Duration.ofSeconds(10), LaunchdPrimitives.unloadBound(5));
        assertEquals(Duration.ofSeconds(35), LaunchdPrimitives.unloadBound(30));
        assertEquals(Duration.ofSeconds(5), LaunchdPrimitives.unloadBound(-1));
        // launchd.plist(5) via docs/facts/launchd-facts.md §9: "The value zero is interpreted as infinity" -- no ExitTimeOut to
        // derive a bound from, so heph waits the long default (--max-wait overrides it)
        assertEquals(Duration.ofSeconds(120), LaunchdPrimitives.unloadBound(0));
    }

    @Test
    void bootstrapRetriesTransient5UntilTheLabelIsFree() {
        // docs/facts/launchd-facts.md §1 "Transitional": bootstrap while the label drains -> 5 + hint
        ScriptedRunner r = new ScriptedRunner()
                .on("bootstrap", fail(5, EIO), fail(5, EIO), fail(37, ""), ok())
                .on("print", draining(), draining(), gone());
        LaunchdPrimitives.Bootstrapped b = primitives(r).bootstrapWithRetry("gui/501", "/p.plist", TARGET,
                Duration.ofSeconds(10));
        assertEquals(4, b.attempts());
        assertEquals(List.of("bootstrap", "print", "bootstrap", "print", "bootstrap", "print", "bootstrap"), r.verbs());
        assertTrue(clock.sleeps().stream().allMatch(s -> s >= 200), "attempts at least 200 ms apart");
    }

    @Test
    void bootstrapGivesUpAfterTheDeadlineWithAtLeastFiveAttempts() {
        ScriptedRunner r = new ScriptedRunner().on("bootstrap", fail(5, EIO)).on("print", gone())
                .on("print-disabled", out(""));
        HephException e = assertThrows(HephException.class, () -> primitives(r).bootstrapWithRetry("gui/501",
                "/p.plist", TARGET, Duration.ofMillis(100)));
        assertEquals(5, r.count("bootstrap"), "a tiny deadline still gets the minimum of 5 attempts");
        assertTrue(e.getMessage().startsWith("launchctl bootstrap failed: 5: Input/output error: "), e.getMessage());
        // after the last attempt heph probes and names what it found (here: the plist is missing)
        assertTrue(e.getMessage().endsWith(" (after 5 attempts); heph looked: the plist /p.plist does not exist;"
                + " fix: `heph start` writes it"), e.getMessage());
    }

    @Test
    void bootstrapKeepsTryingForTheWholeDeadline() {
        ScriptedRunner r = new ScriptedRunner().on("bootstrap", fail(5, EIO)).on("print", gone())
                .on("print-disabled", out(""));
        assertThrows(HephException.class, () -> primitives(r).bootstrapWithRetry("gui/501", "/p.plist", TARGET,
                Duration.ofSeconds(10)));
        assertEquals(41, r.count("bootstrap"), "attempts at 0, 250, ..., 10000 ms");
        assertTrue(clock.millis() <= 10_000);
    }

    @Test
    void aFiveWhosePrintShowsTheJobLoadedCountsAsBootstrapped() {
        // someone else finished the load (nix-installer's retry_bootstrap check, docs/facts/launchd-facts.md §10)
        ScriptedRunner r = new ScriptedRunner().on("bootstrap", fail(37, ""))
                .on("print", out(Transcripts.job(LABEL, 501, "running", 77L, "/bin/hephd")));
        assertEquals(1, primitives(r).bootstrapWithRetry("gui/501", "/p.plist", TARGET, Duration.ofSeconds(10))
                .attempts());
    }

    @ParameterizedTest
    @ValueSource(ints = {112, 119, 122, 125, 2, 133})
    void nonTransientCodesFailAtOnceWithTheirMeaning(int code) {
        ScriptedRunner r = new ScriptedRunner().on("bootstrap", fail(code, "Bootstrap failed: " + code + ": x\n"));
        HephException e = assertThrows(HephException.class, () -> primitives(r).bootstrapWithRetry("gui/501",
                "/p.plist", TARGET, Duration.ofSeconds(10)));
        assertEquals(1, r.count("bootstrap"));
        assertEquals(List.of(), clock.sleeps());
        assertTrue(e.getMessage().startsWith("launchctl bootstrap failed: "), e.getMessage());
        assertTrue(e.getMessage().contains(LaunchctlErrors.meaning(code)) || code == 2, e.getMessage());
        assertTrue(e.detail().contains("Bootstrap failed: " + code), "raw text kept for --verbose");
    }

    @Test
    void kickstartFailureNamesTheCode() {
        ScriptedRunner r = new ScriptedRunner().on("kickstart", fail(113, Transcripts.notFound(LABEL, 501)));
        HephException e = assertThrows(HephException.class, () -> primitives(r).kickstart(TARGET, true));
        assertEquals(List.of(List.of("launchctl", "kickstart", "-k", TARGET)), r.calls());
        assertTrue(e.getMessage().contains("113"), e.getMessage());
    }
}
