package heph.launchd;

import heph.launchd.plist.LaunchdPlist;
import static heph.support.ScriptedRunner.fail;
import static heph.support.ScriptedRunner.ok;
import static heph.support.ScriptedRunner.out;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.HephException;
import heph.config.FlagOverrides;
import heph.service.Outcome;
import heph.service.Settings;
import heph.support.FakeClock;
import heph.support.ScriptedRunner;
import heph.support.TestSettings;
import heph.support.Transcripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launchd composition against a scripted launchctl: exact call sequences for every path. */
@org.junit.jupiter.api.Tag("unit")
class LaunchdBackendTest {
    static final int UID = 501;
    static final String LABEL = Settings.DEFAULT_LABEL;
    static final String TARGET = "gui/501/" + LABEL;

    @TempDir
    Path home;
    TestSettings ts;
    Settings settings;
    final FakeClock clock = new FakeClock();

    @BeforeEach
    void setUp() {
        ts = new TestSettings(home);
        settings = ts.launchd(UID);
    }

    LaunchdBackend backend(ScriptedRunner r) {
        return new LaunchdBackend(settings, r, clock);
    }

    /** print of heph's job as heph loads it: its plist path, hephd --mode local plus {@code extra}. */
    Transcripts.Print job(String state, Long pid, String... extra) {
        List<String> argv = new java.util.ArrayList<>(List.of(ts.hephd.toString(), "--mode", "local"));
        argv.addAll(List.of(extra));
        return Transcripts.print(LABEL, UID).path(settings.plistPath().toString()).state(state).pid(pid).argv(argv);
    }

    ScriptedRunner.Reply running(long pid, String... extra) {
        return out(job("running", pid, extra).text());
    }

    static ScriptedRunner.Reply gone() {
        return fail(113, Transcripts.notFound(LABEL, UID));
    }

    FlagOverrides interval(String secs) {
        return FlagOverrides.builder(home).selfUpdateIntervalSecs(secs).build();
    }

    /** Installs the plist heph would write for these flags, as a previous run would have. */
    void installed(FlagOverrides flags) {
        ScriptedRunner r = new ScriptedRunner().on("print", gone(), running(1)).on("enable", ok())
                .on("bootstrap", ok());
        backend(r).start(flags);
    }

    @Test
    void startFromNothingWritesThePlistEnablesBootstrapsAndVerifies() throws Exception {
        ScriptedRunner r = new ScriptedRunner().on("print", gone(), running(100)).on("enable", ok())
                .on("bootstrap", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals(List.of("print", "enable", "bootstrap", "print", "print"), r.verbs());
        assertEquals(List.of("launchctl", "bootstrap", "gui/501", settings.plistPath().toString()), r.calls().get(2));
        assertEquals("start", o.path());
        assertEquals(100L, o.newPid());
        assertEquals(1, o.attempts());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(settings.plistPath())));
        assertEquals(List.of(ts.hephd.toString(), "--mode", "local"),
                LaunchdPlist.programArguments(LaunchdPlist.read(settings.plistPath())));
    }

    @Test
    void bareRestartOfAnUnchangedJobIsKickstartKWithNoBootoutOrBootstrap() {
        installed(FlagOverrides.none());
        ScriptedRunner r = new ScriptedRunner().on("print", running(100), running(200)).on("kickstart", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals(List.of("print", "print-disabled", "kickstart", "print", "print"), r.verbs());
        assertEquals(List.of("launchctl", "kickstart", "-k", TARGET), r.calls().get(2));
        assertEquals("kickstart", o.path());
        assertEquals(100L, o.oldPid());
        assertEquals(200L, o.newPid());
        assertTrue(o.changed(), "a process restarted in place is a change");
    }

    @Test
    void restartWithAChangedFlagReloadsAndWaitsUntilUnloadedBeforeBootstrap() throws Exception {
        installed(interval("300"));
        ScriptedRunner.Reply draining = out(Transcripts.job(LABEL, UID, "SIGTERMed", 100L, ts.hephd.toString()));
        ScriptedRunner r = new ScriptedRunner()
                .on("print", running(100, "--self-update-interval-secs", "300"), draining, draining, gone(),
                        running(300, "--self-update-interval-secs", "600"))
                .on("bootout", ok()).on("enable", ok()).on("bootstrap", ok());
        Outcome o = backend(r).restart(interval("600"));
        assertEquals(List.of("print", "bootout", "print", "print", "print", "enable", "bootstrap", "print", "print"),
                r.verbs());
        assertEquals("reload", o.path());
        assertTrue(o.changed());
        assertEquals(300L, o.newPid());
        assertEquals(30, o.waitedMs(), "waited 10 + 20 ms of fake time");
        assertEquals(List.of(ts.hephd.toString(), "--mode", "local", "--self-update-interval-secs", "600"),
                LaunchdPlist.programArguments(LaunchdPlist.read(settings.plistPath())));
    }

    @Test
    void loadedJobRunningOtherArgumentsThanThePlistIsReloadedEvenIfTheFileMatches() {
        installed(FlagOverrides.none());
        ScriptedRunner r = new ScriptedRunner()
                .on("print", running(100, "--db", "/old.db"), gone(), running(101))
                .on("bootout", ok()).on("enable", ok()).on("bootstrap", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals("reload", o.path());
        assertTrue(r.verbs().contains("bootout"));
    }

    @Test
    void startOfARunningUnchangedJobCallsNothingThatMutates() {
        installed(FlagOverrides.none());
        ScriptedRunner r = new ScriptedRunner().on("print", running(100));
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals(List.of("print", "print-disabled"), r.verbs(), "reads only");
        assertEquals("none", o.path());
        assertEquals(100L, o.newPid());
    }

    @Test
    void stopReturnsOnlyAfterPrintAnswers113() {
        ScriptedRunner.Reply draining = out(Transcripts.job(LABEL, UID, "SIGTERMed", 100L, ts.hephd.toString()));
        ScriptedRunner r = new ScriptedRunner().on("print", running(100), draining, draining, gone())
                .on("bootout", ok());
        Outcome o = backend(r).stop();
        assertEquals(List.of("print", "bootout", "print", "print", "print"), r.verbs());
        assertEquals("stop", o.path());
        assertEquals(100L, o.oldPid());
    }

    @Test
    void stopOfAnUnloadedJobIsAlreadyStopped() {
        ScriptedRunner r = new ScriptedRunner().on("print", gone());
        Outcome o = backend(r).stop();
        assertEquals(List.of("print"), r.verbs());
        assertEquals("none", o.path());
        assertEquals("hephd is already stopped", o.message());
    }

    @Test
    void loadedButNotRunningAfterBootstrapGetsOnePlainKickstart() {
        // RunAtLoad did not fire (docs/facts/launchd-facts.md §1 notes, OPENBASE-15)
        ScriptedRunner.Reply idle = out(Transcripts.job(LABEL, UID, "not running", null, ts.hephd.toString(),
                "--mode", "local"));
        ScriptedRunner r = new ScriptedRunner().on("print", gone());
        for (int i = 0; i < 15; i++) {
            r.on("print", idle);
        }
        r.on("print", running(7)).on("enable", ok()).on("bootstrap", ok()).on("kickstart", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals(1, r.count("kickstart"));
        assertTrue(r.calls().stream().anyMatch(c -> c.equals(List.of("launchctl", "kickstart", TARGET))));
        assertEquals(7L, o.newPid());
    }

    @Test
    void noGuiDomainFailsAtOnceWithTheExplanation() {
        ScriptedRunner r = new ScriptedRunner().on("print", gone()).on("enable", ok())
                .on("bootstrap", fail(125, "Bootstrap failed: 125: Domain does not support specified action\n"));
        HephException e = assertThrows(HephException.class, () -> backend(r).start(FlagOverrides.none()));
        assertTrue(e.getMessage().contains("125"), e.getMessage());
        assertEquals(1, r.count("bootstrap"));
    }

    @Test
    void anUnparseablePlistIsMovedAsideAndTheUserIsTold() throws Exception {
        Files.createDirectories(settings.plistPath().getParent());
        Files.writeString(settings.plistPath(), "this is not a plist");
        ScriptedRunner r = new ScriptedRunner().on("print", gone(), running(5)).on("enable", ok())
                .on("bootstrap", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals(2, o.warnings().size(), o.warnings().toString());
        assertEquals(settings.plistPath() + " is unreadable; using hephd's default flags", o.warnings().get(0));
        try (var files = Files.list(settings.plistPath().getParent())) {
            Path aside = files.filter(f -> f.getFileName().toString().contains(".unparseable-")).findFirst()
                    .orElseThrow();
            assertEquals("this is not a plist", Files.readString(aside));
            assertTrue(o.warnings().get(1).contains(aside.toString()));
        }
    }

    @Test
    void aSymlinkedPlistIsRefusedAndLeftAlone() throws Exception {
        Path real = home.resolve("elsewhere.plist");
        Files.writeString(real, "x");
        Files.createDirectories(settings.plistPath().getParent());
        Files.createSymbolicLink(settings.plistPath(), real);
        ScriptedRunner r = new ScriptedRunner();
        HephException e = assertThrows(HephException.class, () -> backend(r).restart(FlagOverrides.none()));
        assertTrue(e.getMessage().contains("is a symlink"), e.getMessage());
        assertEquals(List.of(), r.calls());
        assertEquals("x", Files.readString(real));
    }
}
