package heph.launchd;

import static heph.support.ScriptedRunner.fail;
import static heph.support.ScriptedRunner.hang;
import static heph.support.ScriptedRunner.out;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.HephException;
import heph.service.ServiceStatus;
import heph.service.Settings;
import heph.support.ScriptedRunner;
import heph.support.TestSettings;
import heph.support.Transcripts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The probe of the other per-user domain (docs/facts/launchd-facts.md §13): one bounded print; only "no such service or domain"
 * (113; 112/125 no GUI session; 64 with `Unrecognized domain-target specifier.`) is "not loaded there", any other
 * answer is "unknown" and stops a mutating verb; the refusal and status lines.
 */
@org.junit.jupiter.api.Tag("unit")
class OtherDomainTest {
    static final String LABEL = Settings.DEFAULT_LABEL;
    @TempDir
    Path home;

    OtherDomain other(Settings s, ScriptedRunner r, boolean hephd) {
        return new OtherDomain(s, new Launchctl(r, "launchctl", Duration.ofSeconds(10)), hephd);
    }

    Settings gui() {
        return new TestSettings(home).launchd(501);
    }

    @Test
    void fromGuiItAsksUserOnceAndNotLoadedThereIsFine() {
        ScriptedRunner r = new ScriptedRunner();
        other(gui(), r, true).requireNotElsewhere("start");
        assertEquals(List.of(List.of("launchctl", "print", "user/501/" + LABEL)), r.elsewhere());
        assertEquals(List.of(), r.calls(), "nothing else asked");
    }

    @ParameterizedTest(name = "print gui/ answers {0}")
    @ValueSource(ints = {113, 112, 125, 64})
    void overSshAMissingGuiDomainIsNotLoadedThere(int code) {
        // over ssh: `Could not find domain for user gui: 501` (112/113), or an older launchctl's usage error (64)
        ScriptedRunner r = new ScriptedRunner().on("print", fail(code, code == 64
                ? "Unrecognized domain-target specifier.\n" : "Could not find domain for user gui: 501\n"));
        OtherDomain o = other(gui().withDomain("user"), r, true);
        assertEquals("gui/501", o.domain());
        assertEquals(Optional.empty(), o.probe());
        o.requireNotElsewhere("uninstall");
        List<String> print = List.of("launchctl", "print", "gui/501/" + LABEL);
        assertEquals(List.of(print, print), r.calls(), "one print each, nothing else");
    }

    @Test
    void loadedThereEveryMutatingVerbIsRefusedNamingTheDomainPidAndWhatToDo() {
        ScriptedRunner r = new ScriptedRunner()
                .on("print", out(Transcripts.job(LABEL, 501, "running", 123L, "/opt/hephd")))
                .on("print user/", fail(113, Transcripts.notFound(LABEL, 501)));
        OtherDomain o = other(gui().withDomain("user"), r, true);
        for (String verb : List.of("start", "restart", "stop", "uninstall")) {
            HephException e = assertThrows(HephException.class, () -> o.requireNotElsewhere(verb));
            assertEquals(1, e.exitCode().code, verb);
            assertEquals(LABEL + " is loaded in gui/501 (pid 123); you asked for user/501: stop it there first"
                    + " (`heph --domain gui stop` at the console) or keep using gui/501", e.getMessage(), verb);
        }
        assertTrue(r.verbs().stream().allMatch("print"::equals), r.verbs().toString());
    }

    @Test
    void anAgentsCommandsNameItsLabelAndANotRunningJobSaysSo() {
        Settings s = gui().withLabel("org.example.sync");
        ScriptedRunner r = new ScriptedRunner()
                .on("print user/", out(Transcripts.job("org.example.sync", 501, "not running", null, "/bin/sync")))
                .on("print", fail(113, Transcripts.notFound("org.example.sync", 501)));
        HephException e = assertThrows(HephException.class, () -> other(s, r, false).requireNotElsewhere("start"));
        assertEquals("org.example.sync is loaded in user/501 (not running); you asked for gui/501: stop it there"
                + " first (`heph --domain user stop --label org.example.sync`) or keep using user/501",
                e.getMessage());
    }

    @Test
    void loadedInBothStopUnloadsThisCopyAndEverythingElseIsRefused() {
        TestSettings ts = new TestSettings(home);
        Settings s = ts.launchd(501);
        ScriptedRunner r = new ScriptedRunner()
                .on("print user/", out(Transcripts.job(LABEL, 501, "spawn scheduled", null, "/opt/hephd")))
                .on("print", out(Transcripts.job(LABEL, 501, "running", 7L, "/opt/hephd")));
        other(s, r, true).requireNotElsewhere("stop");
        assertEquals(List.of(LABEL + " is loaded in gui/501 and in user/501 (not running): stopping it in gui/501"
                + " only"), ts.said);
        HephException e = assertThrows(HephException.class, () -> other(s, r, true).requireNotElsewhere("uninstall"));
        assertTrue(e.getMessage().endsWith("or keep using user/501 (it is loaded in gui/501 too: `heph --domain gui"
                + " stop` unloads that copy)"), e.getMessage());
    }

    @Test
    void statusNotes() {
        OtherDomain o = other(gui(), new ScriptedRunner(), true);
        ServiceStatus.Elsewhere seen = new ServiceStatus.Elsewhere("user/501", 42L);
        assertEquals("loaded in user/501, pid 42; you asked about gui/501 (`heph --domain user status`)",
                o.note(seen, false));
        assertEquals("also loaded in user/501, pid 42: two copies; `heph --domain user stop` unloads that one",
                o.note(seen, true));
        assertEquals("{\"domain\":\"user/501\",\"pid\":42}", heph.json.Json.write(seen.toJson()));
    }

    @Test
    void aHungPrintOfTheOtherDomainStopsTheVerbNamingThatDomain() {
        ScriptedRunner r = new ScriptedRunner().on("print user/", hang());
        HephException e = assertThrows(HephException.class, () -> other(gui(), r, true).requireNotElsewhere("start"));
        assertEquals(1, e.exitCode().code);
        assertEquals("cannot tell whether " + LABEL + " is loaded in user/501: `launchctl print user/501/" + LABEL
                + "` did not answer within the timeout and was killed (124); nothing changed (heph keeps one instance"
                + " across gui/501 and user/501); retry, or raise --timeout", e.getMessage());
    }

    @ParameterizedTest(name = "print user/ answers {0}")
    @ValueSource(ints = {1, 5, 64, 124, 137, 143})
    void aFailedPrintOfTheOtherDomainIsUnknownNotNotLoaded(int code) {
        // 5 (Input/output error), a print killed by a signal, 64 without `Unrecognized domain-target specifier.`
        ScriptedRunner r = new ScriptedRunner().on("print user/", fail(code, "launchctl: something went wrong\n"));
        OtherDomain o = other(gui(), r, true);
        for (String verb : List.of("start", "restart", "stop", "uninstall")) {
            HephException e = assertThrows(HephException.class, () -> o.requireNotElsewhere(verb), verb);
            assertEquals(1, e.exitCode().code);
            assertTrue(e.getMessage().startsWith("cannot tell whether " + LABEL + " is loaded in user/501: `launchctl"
                    + " print user/501/" + LABEL + "` failed: "), e.getMessage());
            assertTrue(e.getMessage().contains("(\"launchctl: something went wrong\")"), e.getMessage());
        }
        OtherDomain.Answer a = o.ask();
        assertEquals(null, a.loaded());
        assertTrue(a.unknown() != null && !a.notLoaded());
        assertEquals(Optional.empty(), o.probe());
    }

    @Test
    void anExitZeroThatIsNoServiceBlockIsUnknown() {
        ScriptedRunner r = new ScriptedRunner().on("print user/", out("\u001b[2Jgarbage, no block\n"));
        HephException e = assertThrows(HephException.class, () -> other(gui(), r, true).requireNotElsewhere("start"));
        assertEquals("cannot tell whether " + LABEL + " is loaded in user/501: `launchctl print user/501/" + LABEL
                + "` answered 0 but printed no service block (\"?[2Jgarbage, no block\"); nothing changed (heph keeps"
                + " one instance across gui/501 and user/501); retry, or raise --timeout", e.getMessage());
    }

    @Test
    void unknownInJson() {
        assertEquals("{\"domain\":\"user/501\",\"pid\":null,\"unknown\":\"why\"}",
                heph.json.Json.write(ServiceStatus.Elsewhere.unknown("user/501", "why").toJson()));
    }

    @Test
    void aDryRunOfStopInBothSaysWhatWouldHappenAndSaysNothingYet() {
        TestSettings ts = new TestSettings(home);
        ScriptedRunner r = new ScriptedRunner()
                .on("print user/", out(Transcripts.job(LABEL, 501, "running", 9L, "/opt/hephd")))
                .on("print", out(Transcripts.job(LABEL, 501, "running", 7L, "/opt/hephd")));
        assertEquals(Optional.of(LABEL + " is loaded in gui/501 and in user/501 (pid 9): the stop would unload it in"
                + " gui/501 only (the copy in user/501 would stay)"),
                other(ts.launchd(501), r, true).requireNotElsewhere("stop", true));
        assertEquals(List.of(), ts.said);
    }
}
