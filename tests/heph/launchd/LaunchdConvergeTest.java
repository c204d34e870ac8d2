package heph.launchd;

import heph.launchd.plist.PlistDefinition;
import heph.launchd.plist.LaunchdPlist;
import static heph.support.ScriptedRunner.fail;
import static heph.support.ScriptedRunner.ok;
import static heph.support.ScriptedRunner.out;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSString;
import heph.HephException;
import heph.config.FlagOverrides;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import heph.service.Outcome;
import heph.service.Settings;
import heph.support.FakeClock;
import heph.support.ScriptedRunner;
import heph.support.TestSettings;
import heph.support.Transcripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converging on what the user has: "changed" means launchd runs a definition other than the desired one (heph's
 * copy of what it loaded, and what print shows), baking never silently from defaults, and the put-back of the whole
 * reload. Against a scripted launchctl and a fake clock.
 */
@org.junit.jupiter.api.Tag("unit")
class LaunchdConvergeTest {
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

    LaunchdBackend backend(ProcessRunner r) {
        return new LaunchdBackend(settings, r, clock);
    }

    Path plist() {
        return settings.plistPath();
    }

    Path copy() {
        return home.resolve(".local/state/heph/loaded/" + LABEL + ".plist");
    }

    List<String> argv(String... extra) {
        List<String> a = new ArrayList<>(List.of(ts.hephd.toString(), "--mode", "local"));
        a.addAll(List.of(extra));
        return a;
    }

    Transcripts.Print job(String state, Long pid, String... extra) {
        return Transcripts.print(LABEL, UID).path(plist().toString()).state(state).pid(pid).argv(argv(extra));
    }

    ScriptedRunner.Reply running(long pid, String... extra) {
        return out(job("running", pid, extra).text());
    }

    static ScriptedRunner.Reply gone() {
        return fail(113, Transcripts.notFound(LABEL, UID));
    }

    /** Installs and "loads" what heph writes for these flags, as a previous run would have (copy included). */
    void installed(FlagOverrides flags) {
        ScriptedRunner r = new ScriptedRunner().on("print", gone(), running(1)).on("enable", ok())
                .on("bootstrap", ok());
        backend(r).start(flags);
        assertTrue(Files.exists(copy()));
    }

    void editPlist(java.util.function.Consumer<NSDictionary> edit) {
        NSDictionary d = LaunchdPlist.read(plist());
        edit.accept(d);
        heph.fs.AtomicFile.write(plist(), LaunchdPlist.toXml(d));
    }

    static void env(NSDictionary d, String k, String v) {
        ((NSDictionary) d.get("EnvironmentVariables")).put(k, new NSString(v));
    }

    // ---- "changed" is what launchd runs, not the file ----

    @Test
    void aHandEditToThePlistIsAChangeThatRestartReloadsNotKickstarts() {
        installed(FlagOverrides.none());
        editPlist(d -> env(d, "FOO", "bar"));
        ScriptedRunner r = new ScriptedRunner().on("print", running(100), gone(), running(200))
                .on("bootout", ok()).on("enable", ok()).on("bootstrap", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals("reload", o.path());
        assertTrue(o.changed(), "launchd runs another definition now (heph did not write the file: the user did)");
        assertTrue(Files.exists(plist()));
        assertEquals(0, r.count("kickstart"));
        assertTrue(o.message().contains("the plist was edited since heph loaded it"), o.message());
        assertEquals("bar", PlistDefinition.environment(LaunchdPlist.read(copy())).get("FOO"),
                "the copy is now what launchd runs");
    }

    @Test
    void startReloadsAHandEditTooInsteadOfSayingAlreadyRunning() {
        installed(FlagOverrides.none());
        editPlist(d -> d.put("ExitTimeOut", new NSNumber(20)));
        ScriptedRunner r = new ScriptedRunner().on("print", running(100), gone(), running(200))
                .on("bootout", ok()).on("enable", ok()).on("bootstrap", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals("reload", o.path());
        assertEquals(200L, o.newPid());
    }

    @Test
    void withoutACopyWhatPrintShowsIsCompared() throws Exception {
        // first run after an upgrade: no copy; print's environment lacks a variable the plist has
        installed(FlagOverrides.none());
        Files.delete(copy());
        editPlist(d -> env(d, "FOO", "bar"));
        ScriptedRunner r = new ScriptedRunner().on("print", running(100), gone(), running(200))
                .on("bootout", ok()).on("enable", ok()).on("bootstrap", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals("reload", o.path());
        assertTrue(o.message().contains("(launchd runs it without FOO)") && !o.message().contains("bar"), o.message());

        // print shows FOO now, no copy again: unchanged, a kickstart
        Files.delete(copy());
        Map<String, String> env = new HashMap<>(Map.of("HEPH_QUICKADD", "1", "FOO", "bar"));
        ScriptedRunner again = new ScriptedRunner()
                .on("print", out(job("running", 200L).env(env).text()), out(job("running", 300L).env(env).text()))
                .on("kickstart", ok());
        assertEquals("kickstart", backend(again).restart(FlagOverrides.none()).path());
    }

    @Test
    void withoutACopyAHandEditedExitTimeOutThatPrintDoesNotShowIsAChange() throws Exception {
        // outside review: with heph's state removed, ExitTimeOut 20 edited by hand was "already running with this
        // configuration" while print showed exit timeout = 5 (docs/facts/launchd-facts.md §3: print renders ExitTimeOut)
        installed(FlagOverrides.none());
        Files.delete(copy());
        editPlist(d -> d.put("ExitTimeOut", 20));
        ScriptedRunner r = new ScriptedRunner()
                .on("print", out(job("running", 100L).exitTimeout(5).text()), gone(), running(200))
                .on("bootout", ok()).on("enable", ok()).on("bootstrap", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals("reload", o.path());
        assertTrue(o.message().contains("exit timeout 5, the plist says 20"), o.message());

        // a ThrottleInterval launchd ignores (0) is never compared: no reload at every run
        Files.delete(copy());
        editPlist(d -> d.put("ThrottleInterval", 0));
        ScriptedRunner again = new ScriptedRunner().on("print", out(job("running", 200L).exitTimeout(20).text()));
        assertEquals("none", backend(again).start(FlagOverrides.none()).path());
    }

    @Test
    void aLogPathOrWorkingDirectoryPrintShowsDifferentlyIsAChange() {
        installed(FlagOverrides.none());
        ScriptedRunner r = new ScriptedRunner()
                .on("print", out(job("running", 100L).line("stdout path = /old/out.log").text()), gone(),
                        running(200))
                .on("bootout", ok()).on("enable", ok()).on("bootstrap", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals("reload", o.path());
        assertTrue(o.message().contains("stdout path /old/out.log"), o.message());
    }

    // ---- baking never silently from defaults ----

    @Test
    void aMissingPlistIsBakedFromTheLoadedJobsArgumentsAndSaysSo() throws Exception {
        installed(FlagOverrides.none());
        Files.delete(plist());
        Files.delete(copy()); // no copy either: print is all there is
        String[] extra = {"--hub-url", "http://indri:8787", "--token-file", "/t.json"};
        ScriptedRunner r = new ScriptedRunner().on("print", running(100, extra), running(200, extra))
                .on("kickstart", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals(argv(extra), LaunchdPlist.programArguments(LaunchdPlist.read(plist())));
        assertEquals("kickstart", o.path(), "launchd already runs exactly this: write the file, restart in place");
        assertTrue(o.changed());
        assertEquals(plist() + " is missing; baking hephd's flags from the loaded job (launchctl print): "
                + String.join(" ", argv(extra)), o.warnings().get(0));
        assertEquals(Map.of("HEPH_QUICKADD", "1", "pid", "999999"),
                PlistDefinition.environment(LaunchdPlist.read(plist())), "launchd's XPC_SERVICE_NAME left out");
    }

    @Test
    void aMissingPlistIsBakedFromHephsCopyWhenPrintAgreesKeepingTheUsersKeys() throws Exception {
        installed(FlagOverrides.builder(home).hubUrl("http://indri:8787").build());
        editPlist(d -> d.put("ExitTimeOut", new NSNumber(20)));
        ScriptedRunner load = new ScriptedRunner().on("print", running(1, "--hub-url", "http://indri:8787"), gone(),
                running(2, "--hub-url", "http://indri:8787")).on("bootout", ok()).on("enable", ok())
                .on("bootstrap", ok());
        backend(load).restart(FlagOverrides.none()); // the copy now has ExitTimeOut
        Files.delete(plist());
        ScriptedRunner r = new ScriptedRunner().on("print", running(2, "--hub-url", "http://indri:8787"))
                .on("kickstart", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals("none", o.path());
        assertTrue(o.warnings().get(0).contains("heph's copy of the definition it loaded"), o.warnings().toString());
        NSDictionary back = LaunchdPlist.read(plist());
        assertEquals(argv("--hub-url", "http://indri:8787"), LaunchdPlist.programArguments(back));
        assertEquals(new NSNumber(20), back.get("ExitTimeOut"));
    }

    // ---- the put-back covers the whole reload ----

    @Test
    void aNewDefinitionThatCrashLoopsIsReplacedByThePreviousOneWhichIsVerified() throws Exception {
        installed(FlagOverrides.builder(home).selfUpdateIntervalSecs("300").build());
        byte[] before = Files.readAllBytes(plist());
        String[] old = {"--self-update-interval-secs", "300"};
        ScriptedRunner.Reply crashLoop = out(job("spawn scheduled", null, "--self-update-interval-secs", "600")
                .runs(1).lastExit("1").text());
        ScriptedRunner r = new ScriptedRunner()
                .on("print", running(100, old), gone(), crashLoop, crashLoop, gone(), running(300, old))
                .on("bootout", ok()).on("enable", ok()).on("bootstrap", ok());
        HephException e = assertThrows(HephException.class,
                () -> backend(r).restart(FlagOverrides.builder(home).selfUpdateIntervalSecs("600").build()));
        assertEquals(1, e.exitCode().code);
        assertTrue(e.getMessage().startsWith("hephd is in a crash loop"), e.getMessage());
        assertTrue(e.getMessage().contains("last exit code = 1"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; put the previous " + LABEL + ".plist back and hephd runs it again"
                + " (pid 300)"), e.getMessage());
        assertEquals(List.of("print", "bootout", "print", "enable", "bootstrap", "print", "print", "bootout", "print",
                "enable", "bootstrap", "print", "print"), r.verbs());
        assertArrayEquals(before, Files.readAllBytes(plist()), "the previous plist, byte for byte");
        assertEquals(argv(old), LaunchdPlist.programArguments(LaunchdPlist.read(copy())));
    }

    @Test
    void anExitCodeFromBeforeTheActionIsNotReadAsACrashAndXpcproxyIsTransitional() {
        // before the action: not running, spawn scheduled after an old clean exit (runs 3, last exit code 0):
        // that is not a crash of the new run; launchd spawns it, it runs
        installed(FlagOverrides.none());
        ScriptedRunner r = new ScriptedRunner()
                .on("print", out(job("spawn scheduled", null).runs(3).lastExit("0").text()),
                        out(job("spawn scheduled", null).runs(3).lastExit("0").text()),
                        out(job("xpcproxy", null).runs(4).lastExit("0").text()),
                        out(job("running", 77L).runs(4).lastExit("0").text()))
                .on("kickstart", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals("kickstart", o.path());
        assertEquals(77L, o.newPid());
        assertEquals(List.of("launchctl", "kickstart", TARGET), r.calls().get(2), "not running: a plain kickstart");
    }

    @Test
    void whenWaitUntilUnloadedGivesUpThePreviousDefinitionIsPutBack() throws Exception {
        settings = withMaxWait(Duration.ofMillis(100));
        installed(FlagOverrides.builder(home).selfUpdateIntervalSecs("300").build());
        String[] old = {"--self-update-interval-secs", "300"};
        ScriptedRunner.Reply draining = out(job("SIGTERMed", 100L, old).text());
        ScriptedRunner r = new ScriptedRunner()
                .on("print", running(100, old), draining, draining, draining, draining, draining, running(300, old))
                .on("bootout", ok()).on("enable", ok()).on("bootstrap", ok());
        HephException e = assertThrows(HephException.class,
                () -> backend(r).restart(FlagOverrides.builder(home).selfUpdateIntervalSecs("600").build()));
        assertTrue(e.getMessage().contains("still registered after 100 ms"), e.getMessage());
        assertTrue(e.getMessage().endsWith("back and hephd runs it again (pid 300)"), e.getMessage());
        assertEquals(argv(old), LaunchdPlist.programArguments(LaunchdPlist.read(plist())));
    }

    @Test
    void aRefusedHandEditIsKeptAsideWhenThePreviousDefinitionIsPutBack() throws Exception {
        installed(FlagOverrides.none());
        editPlist(d -> d.put("WorkingDirectory", new NSString("/nowhere")));
        ScriptedRunner.Reply spawnFailed = out(job("spawn scheduled", null).runs(1).lastExit("78: EX_CONFIG").text());
        ScriptedRunner r = new ScriptedRunner()
                .on("print", running(100), gone(), spawnFailed, spawnFailed, gone(), running(300))
                .on("bootout", ok()).on("enable", ok()).on("bootstrap", ok());
        HephException e = assertThrows(HephException.class, () -> backend(r).restart(FlagOverrides.none()));
        assertTrue(e.getMessage().contains("78: EX_CONFIG"), e.getMessage());
        assertTrue(e.getMessage().contains("; kept the refused " + LABEL + ".plist as "), e.getMessage());
        assertFalse(LaunchdPlist.read(plist()).containsKey("WorkingDirectory"), "the previous definition is back");
        try (var files = Files.list(plist().getParent())) {
            Path kept = files.filter(f -> f.getFileName().toString().contains(".refused-")).findFirst().orElseThrow();
            assertEquals(new NSString("/nowhere"), LaunchdPlist.read(kept).get("WorkingDirectory"));
        }
    }

    // ---- ExitTimeOut and the kickstart bound ----

    @Test
    void exitTimeOutZeroWaitsAsLongAsTheDaemonTakesUpToTheLongBoundAndSaysSo() {
        installed(FlagOverrides.builder(home).selfUpdateIntervalSecs("300").build());
        String[] old = {"--self-update-interval-secs", "300"};
        // launchd.plist(5): ExitTimeOut 0 = no limit; the daemon takes 7 s to exit
        Function<Long, String> print = t -> t < 7000 ? job("SIGTERMed", 100L, old).exitTimeout(0).text() : null;
        TimedRunner r = new TimedRunner(clock, out(job("running", 100L, old).exitTimeout(0).text()), print,
                running(300, "--self-update-interval-secs", "600"));
        Outcome o = backend(r).restart(FlagOverrides.builder(home).selfUpdateIntervalSecs("600").build());
        assertEquals("reload", o.path());
        assertTrue(o.waitedMs() >= 7000, "waited " + o.waitedMs());
        assertTrue(ts.said.stream().anyMatch(m -> m.startsWith("hephd's ExitTimeOut is 0 (no limit") && m.contains(
                "waiting up to 120 s")), ts.said.toString());
    }

    @Test
    void kickstartVerificationIsBoundedByExitTimeOutNotTenSeconds() {
        // kickstart -k sends SIGTERM (print-07): the old pid shuts down gracefully for 20 s of a 30 s ExitTimeOut
        installed(FlagOverrides.none());
        ScriptedRunner r = new ScriptedRunner().on("print", out(job("running", 100L).exitTimeout(30).text()));
        for (int i = 0; i < 220; i++) { // polls every 100 ms once backed off: more than 20 s of fake time
            r.on("print", out(job("running", 100L).exitTimeout(30).text()));
        }
        r.on("print", out(job("running", 200L).runs(2).exitTimeout(30).text())).on("kickstart", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals(200L, o.newPid());
        assertTrue(clock.millis() > 20_000, "waited past the old fixed 10 s: " + clock.millis());
    }

    // ---- smaller items ----

    @Test
    void aBootoutFailureSaysTheNewPlistIsAlreadyWrittenAndWhatToDo() {
        installed(FlagOverrides.none());
        ScriptedRunner r = new ScriptedRunner().on("print", running(100))
                .on("bootout", fail(5, "Boot-out failed: 5: Input/output error\n"));
        HephException e = assertThrows(HephException.class,
                () -> backend(r).restart(FlagOverrides.builder(home).selfUpdateIntervalSecs("600").build()));
        assertTrue(e.getMessage().endsWith("; the new definition is already written to " + plist()
                + " but launchd still runs the previous one: run `heph restart` to retry the reload"), e.getMessage());
    }

    @Test
    void aJobLoadedFromAnotherPlistIsNamedAndLeftAlone() {
        ScriptedRunner r = new ScriptedRunner().on("print", out(job("running", 100L).path("/Users/u/other.plist")
                .text()));
        HephException e = assertThrows(HephException.class, () -> backend(r).restart(FlagOverrides.none()));
        assertTrue(e.getMessage().startsWith(TARGET + " is loaded from /Users/u/other.plist, not from " + plist()),
                e.getMessage());
        assertEquals(List.of("print"), r.verbs(), "nothing written, stopped or restarted");
        assertFalse(Files.exists(plist()));
    }

    @Test
    void selfUpdateBakesAPathThatFindsCargoAndKeepsTheUsersOwn() {
        ScriptedRunner r = new ScriptedRunner().on("print", gone(), running(1, "--self-update")).on("enable", ok())
                .on("bootstrap", ok());
        backend(r).start(FlagOverrides.builder(home).selfUpdate(true).build());
        assertEquals(home.resolve(".cargo/bin") + ":/usr/bin:/bin:/usr/sbin:/sbin",
                PlistDefinition.environment(LaunchdPlist.read(plist())).get("PATH"));

        editPlist(d -> env(d, "PATH", "/opt/mine/bin:/usr/bin"));
        NSDictionary desired = PlistDefinition.desired(LaunchdPlist.read(plist()), FlagOverrides.none(), settings,
                "x");
        assertEquals("/opt/mine/bin:/usr/bin", PlistDefinition.environment(desired).get("PATH"));
    }

    @Test
    void theCopyIsPrivateAndGoesAwayWhenHephUnloadsTheJob() throws Exception {
        installed(FlagOverrides.none());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy().getParent())));
        ScriptedRunner r = new ScriptedRunner().on("print", running(1), gone()).on("bootout", ok());
        backend(r).stop();
        assertFalse(Files.exists(copy()));
    }

    Settings withMaxWait(Duration d) {
        Settings t = settings;
        return new Settings(t.backend(), t.label(), t.unit(), t.home(), t.uid(), t.env(), t.cwd(), t.launchctl(),
                t.systemctl(), t.commandTimeout(), t.jobTimeout(), d, t.lockWait(), t.settle(), t.readyTimeout(),
                ts.said::add);
    }

    /**
     * A launchctl whose print answers by fake time after bootout: {@code first} before it, then
     * {@code draining.apply(ms since bootout)} until that is null (then 113 once, for wait-until-unloaded), then
     * {@code after}; every other verb succeeds.
     */
    static final class TimedRunner implements ProcessRunner {
        private final FakeClock clock;
        private final ScriptedRunner.Reply first;
        private final Function<Long, String> draining;
        private final ScriptedRunner.Reply after;
        private Long bootoutAt;
        private boolean gone;

        TimedRunner(FakeClock clock, ScriptedRunner.Reply first, Function<Long, String> draining,
                    ScriptedRunner.Reply after) {
            this.clock = clock;
            this.first = first;
            this.draining = draining;
            this.after = after;
        }

        @Override
        public ExecResult run(List<String> argv, Duration timeout) {
            String verb = argv.get(1);
            if (verb.equals("bootout")) {
                bootoutAt = clock.millis();
            }
            if (!verb.equals("print")) {
                return new ExecResult(argv, 0, "", "", 1);
            }
            if (argv.get(argv.size() - 1).startsWith("user/")) { // the other domain: not loaded there
                return new ExecResult(argv, 113, "", Transcripts.notFound(LABEL, UID), 1);
            }
            ScriptedRunner.Reply r = after;
            if (bootoutAt == null) {
                r = first;
            } else if (!gone) {
                String text = draining.apply(clock.millis() - bootoutAt);
                if (text == null) {
                    gone = true;
                    return new ExecResult(argv, 113, "", Transcripts.notFound(LABEL, UID), 1);
                }
                return new ExecResult(argv, 0, text, "", 1);
            }
            return new ExecResult(argv, r.exit(), r.stdout(), r.stderr(), 1);
        }
    }
}
