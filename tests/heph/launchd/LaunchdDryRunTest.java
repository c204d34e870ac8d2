package heph.launchd;

import static heph.support.ScriptedRunner.fail;
import static heph.support.ScriptedRunner.ok;
import static heph.support.ScriptedRunner.out;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.config.FlagOverrides;
import heph.plan.DryRun;
import heph.service.Outcome;
import heph.service.Settings;
import heph.support.FakeClock;
import heph.support.ScriptedRunner;
import heph.support.TestSettings;
import heph.support.Transcripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dry runs against a scripted launchctl that answers only {@code print}: any other verb would be an unscripted
 * call and fail the test, so these prove a dry run issues only read-only calls, never sleeps, and decides what the
 * real run then does.
 */
@org.junit.jupiter.api.Tag("unit")
class LaunchdDryRunTest {
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

    ScriptedRunner.Reply running(long pid, String... extra) {
        List<String> argv = new ArrayList<>(List.of(ts.hephd.toString(), "--mode", "local"));
        argv.addAll(List.of(extra));
        return out(Transcripts.print(LABEL, UID).path(settings.plistPath().toString()).state("running").pid(pid)
                .argv(argv).text());
    }

    static ScriptedRunner.Reply gone() {
        return fail(113, Transcripts.notFound(LABEL, UID));
    }

    static ScriptedRunner printOnly(ScriptedRunner.Reply... replies) {
        return new ScriptedRunner().on("print", replies);
    }

    void installed() {
        new LaunchdBackend(settings, new ScriptedRunner().on("print", gone(), running(1)).on("enable", ok())
                .on("bootstrap", ok()), clock).start(FlagOverrides.none());
    }

    static List<List<String>> argvs(DryRun d) {
        return d.commands().stream().map(DryRun.Command::argv).toList();
    }

    @Test
    void everyVerbOnARunningJobOnlyPrints() throws Exception {
        installed();
        byte[] plist = Files.readAllBytes(settings.plistPath());
        int slept = clock.sleeps().size(); // the install's settle
        for (String action : List.of("start", "restart", "stop", "uninstall")) {
            ScriptedRunner r = printOnly(running(100));
            DryRun d = backend(r).dryRun(action, FlagOverrides.none());
            assertEquals(action.startsWith("st") && !action.equals("stop") || action.equals("restart")
                    ? List.of("print", "print-disabled") : List.of("print"), r.verbs(), action);
            assertEquals(action, d.action());
        }
        ScriptedRunner r = printOnly(running(100));
        DryRun reload = backend(r).dryRun("restart", FlagOverrides.builder(home).selfUpdateIntervalSecs("600")
                .build());
        assertEquals("reload", reload.path());
        assertEquals(List.of(List.of("launchctl", "bootout", "--wait", TARGET), List.of("launchctl", "print", TARGET),
                List.of("launchctl", "enable", TARGET), List.of("launchctl", "bootstrap", "gui/501",
                        settings.plistPath().toString())), argvs(reload));
        assertEquals(List.of("print"), r.verbs());
        assertEquals(slept, clock.sleeps().size(), "a dry run never waits");
        assertArrayEquals(plist, Files.readAllBytes(settings.plistPath()));
    }

    @Test
    void aJobStillBeingTornDownIsNotWaitedFor() {
        installed();
        ScriptedRunner r = printOnly(out(Transcripts.job(LABEL, UID, "SIGTERMed", 100L, ts.hephd.toString())));
        DryRun d = backend(r).dryRun("restart", FlagOverrides.none());
        assertEquals("start", d.path());
        assertEquals(List.of("print"), r.verbs(), "one print, no polling");
        assertEquals(List.of("launchctl", "print", TARGET), d.commands().get(0).argv());
        assertTrue(d.commands().get(0).note().contains("state = SIGTERMed"), d.commands().get(0).note());
        assertTrue(d.message().contains("once launchd has let go of it (state = SIGTERMed)"), d.message());
    }

    @Test
    void anUnparseablePlistIsNotMovedAsideButSaidSo() throws Exception {
        Files.createDirectories(settings.plistPath().getParent());
        Files.writeString(settings.plistPath(), "<plist><dict><key>Label</oops>");
        ScriptedRunner r = printOnly(gone());
        DryRun d = backend(r).dryRun("start", FlagOverrides.none());
        assertEquals("start", d.path());
        assertTrue(d.warnings().stream().anyMatch(w -> w.startsWith("could not parse " + settings.plistPath())
                && w.contains("moves it aside")), d.warnings().toString());
        // a file that does not parse could hold anything, a token included: its text is not shown
        assertTrue(d.diff().startsWith("--- a" + settings.plistPath() + " (shown as XML)\n+++ b"
                + settings.plistPath() + " (shown as XML)\n@@ -1 +1,"), d.diff());
        assertTrue(d.diff().contains("-(not shown: not a readable property list)\n"), d.diff());
        assertFalse(d.diff().contains("oops"), d.diff());
        try (var files = Files.list(settings.plistPath().getParent())) {
            assertEquals(1, files.count(), "nothing moved aside");
        }
    }

    @Test
    void theDryRunNamesThePathTheRealRunTakes() {
        installed();
        for (String action : List.of("start", "restart")) {
            DryRun plan = backend(printOnly(running(100))).dryRun(action, FlagOverrides.none());
            ScriptedRunner r = new ScriptedRunner().on("print", running(100), running(200)).on("kickstart", ok());
            Outcome real = action.equals("start") ? backend(r).start(FlagOverrides.none())
                    : backend(r).restart(FlagOverrides.none());
            assertEquals(real.path(), plan.path(), action);
            List<List<String>> mutating = r.calls().stream().filter(c -> !c.get(1).startsWith("print")).toList();
            assertEquals(argvs(plan), mutating, action + ": the plan's argv are the calls made");
        }
    }

    @Test
    void aNeverInstalledAgentIsStillAUsageError() {
        LaunchdBackend agent = new LaunchdBackend(settings.withLabel("org.example.none"), printOnly(gone()), clock,
                heph.service.DefinitionSource.installed());
        heph.HephException e = org.junit.jupiter.api.Assertions.assertThrows(heph.HephException.class,
                () -> agent.dryRun("restart", FlagOverrides.none()));
        assertEquals(heph.ExitCode.USAGE, e.exitCode());
        assertFalse(Files.exists(home.resolve(".local/state/heph")));
    }

    @Test
    void aDriftInTheEnvironmentNamesTheVariableNeverItsValue() {
        String token = "tok-e4d2a9b1c7f0";
        com.dd.plist.NSDictionary desired = heph.launchd.plist.LaunchdPlist.render(new heph.launchd.plist.JobSpec(
                LABEL, List.of(ts.hephd.toString(), "--mode", "local"), java.util.Map.of("API_TOKEN", "new-" + token),
                null, null));
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>(java.util.Map.of("XPC_SERVICE_NAME", LABEL));
        LoadedJob without = LoadedJob.parse(0, Transcripts.print(LABEL, UID).argv(ts.hephd.toString(), "--mode",
                "local").env(env).text(), "");
        assertEquals("launchd runs it without API_TOKEN", without.differsFrom(desired).orElseThrow());
        env.put("API_TOKEN", "old-" + token);
        LoadedJob other = LoadedJob.parse(0, Transcripts.print(LABEL, UID).argv(ts.hephd.toString(), "--mode",
                "local").env(env).text(), "");
        String why = other.differsFrom(desired).orElseThrow();
        assertEquals("launchd runs it with another value of API_TOKEN", why);
        assertFalse(why.contains(token), why);
    }
}
