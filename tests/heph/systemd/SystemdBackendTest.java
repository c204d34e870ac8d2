package heph.systemd;

import static heph.support.ScriptedRunner.fail;
import static heph.support.ScriptedRunner.ok;
import static heph.systemd.ShowReplies.argv;
import static heph.systemd.ShowReplies.inactive;
import static heph.systemd.ShowReplies.noBus;
import static heph.systemd.ShowReplies.notFound;
import static heph.systemd.ShowReplies.running;
import static heph.systemd.ShowReplies.show;
import static heph.systemd.ShowReplies.showArgv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import heph.config.FlagOverrides;
import heph.service.Outcome;
import heph.service.Settings;
import heph.support.FakeClock;
import heph.support.ScriptedRunner;
import heph.support.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd composition against a scripted systemctl: exact call sequences for start, restart, stop, uninstall. */
@org.junit.jupiter.api.Tag("unit")
class SystemdBackendTest {
    @TempDir
    Path home;
    TestSettings ts;
    Settings settings;
    Path unit;
    final FakeClock clock = new FakeClock();

    @BeforeEach
    void setUp() {
        ts = new TestSettings(home);
        settings = ts.settings("systemd", 1000, ShowReplies.EXE);
        unit = settings.unitPath();
    }

    SystemdBackend backend(ScriptedRunner r) {
        return new SystemdBackend(settings, r, clock);
    }

    FlagOverrides interval(String secs) {
        return FlagOverrides.builder(home).selfUpdateIntervalSecs(secs).build();
    }

    /** Installs the unit heph would write for these flags, as a previous run would have. */
    void installed(FlagOverrides flags) {
        ScriptedRunner r = new ScriptedRunner().on("show", notFound(), running(1)).on("daemon-reload", ok())
                .on("enable", ok());
        backend(r).start(flags);
    }

    UnitFile.Parsed unitOnDisk() throws Exception {
        return UnitFile.parse(Files.readString(unit), unit.toString());
    }

    @Test
    void startFromNothingWritesTheUnitReloadsEnablesAndVerifies() throws Exception {
        ScriptedRunner r = new ScriptedRunner().on("show", notFound(), running(100)).on("daemon-reload", ok())
                .on("enable", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals(List.of(showArgv(), argv("daemon-reload"), argv("enable", "--now", "heph.service"), showArgv(),
                showArgv()), r.calls());
        assertEquals("start", o.path());
        assertTrue(o.changed());
        assertEquals(100L, o.newPid());
        assertEquals(List.of(Settings.DEFAULT_SETTLE.toMillis()), clock.sleeps(), "one settle, nothing else");
        assertEquals(home.resolve(".config/systemd/user/heph.service"), unit);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(unit)));
        UnitFile.Parsed p = unitOnDisk();
        // docs/facts/hephd.md §5: ExecStart=hephd --mode local ..., Restart=always, RestartSec=1, WantedBy=default.target
        assertEquals(List.of(ts.hephd.toString(), "--mode", "local"), p.execStart());
        assertEquals(Optional.of("always"), p.value("Service", "Restart"));
        assertEquals(Optional.of("1"), p.value("Service", "RestartSec"));
        assertEquals(Optional.of("default.target"), p.value("Install", "WantedBy"));
    }

    /**
     * Without an exact settle (HEPH_SETTLE), the watch after a restart outlasts RestartSec (1 s in heph's unit)
     * by a second: a new daemon that dies after 1 s and is restarted by Restart=always (new MainPID, NRestarts
     * grown) is caught, and the previous unit put back.
     */
    @Test
    void theWatchAfterARestartOutlastsRestartSecAndCatchesADaemonRestartedBySystemd() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(settings.env());
        env.remove("HEPH_SETTLE");
        Settings s = settings;
        settings = new Settings(s.backend(), s.label(), s.unit(), s.home(), s.uid(), env, s.cwd(), s.launchctl(),
                s.systemctl(), s.commandTimeout(), s.jobTimeout(), s.maxWait(), s.lockWait(), s.settle(),
                s.readyTimeout(), s.progress());
        installed(interval("300"));
        String previous = Files.readString(unit);
        ScriptedRunner.Reply[] shows = new ScriptedRunner.Reply[14];
        shows[0] = running(1); // plan
        for (int i = 1; i < 13; i++) {
            shows[i] = running(2); // the new daemon, seen for 1.1 s of polls
        }
        shows[13] = show("loaded", "active", "running", 3, 1, "enabled", false); // died; systemd restarted it
        ScriptedRunner r = new ScriptedRunner().on("show", shows).on("daemon-reload", ok()).on("restart", ok())
                .on("reset-failed", ok());
        long before = clock.millis();
        HephException e = assertThrows(HephException.class, () -> backend(r).restart(interval("600")));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("did not start and stay up") && e.getMessage().contains("exited within"
                + " 2000 ms") && e.getMessage().contains("put the previous unit back"), e.getMessage());
        assertEquals(previous, Files.readString(unit));
        long restarts = r.calls().stream().filter(c -> c.contains("restart")).count();
        assertEquals(2, restarts, r.calls().toString()); // the new definition, then the previous one
        long watched = clock.millis() - before;
        assertTrue(watched >= 1100 + 2000 && watched <= 3 * 3000, "watched " + watched + " ms"); // both windows
    }

    @Test
    void aFailedUnitIsResetBeforeItIsStartedAgain() throws Exception {
        // a crash loop that hit the start limit (ActiveState=failed) refuses start until reset-failed
        installed(FlagOverrides.none());
        ScriptedRunner r = new ScriptedRunner()
                .on("show", ShowReplies.show("loaded", "failed", "failed", 0, 5, "enabled", false), running(9))
                .on("reset-failed", ok()).on("start", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals(List.of(showArgv(), argv("reset-failed", "heph.service"), argv("start", "heph.service"),
                showArgv(), showArgv()), r.calls());
        assertEquals(9L, o.newPid());
    }

    @Test
    void aRestartRefusedByTheStartLimitResetsItOnceAndRetries() throws Exception {
        // docs/facts/launchd-facts.md §12: "start of the service was attempted too often" (start limit 5 in 10 s counts manual
        // starts too); the user asked for this restart, so heph resets the limiter and tries once more
        installed(FlagOverrides.none());
        String refused = "Job for heph.service failed because the start of the service was attempted too often.\n"
                + "See \"systemctl --user status heph.service\" and \"journalctl --user -xeu heph.service\" for"
                + " details.\n";
        ScriptedRunner r = new ScriptedRunner().on("show", running(100), running(101))
                .on("restart", ScriptedRunner.fail(1, refused), ok()).on("reset-failed", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals(List.of(showArgv(), argv("restart", "heph.service"), argv("reset-failed", "heph.service"),
                argv("restart", "heph.service"), showArgv(), showArgv()), r.calls());
        assertEquals(101L, o.newPid());
        assertTrue(ts.said.stream().anyMatch(m -> m.contains("start limit")), ts.said.toString());
    }

    @Test
    void startOfARunningUnchangedUnitOnlyAsks() throws Exception {
        installed(FlagOverrides.none());
        String before = Files.readString(unit);
        ScriptedRunner r = new ScriptedRunner().on("show", running(100));
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals(List.of(showArgv()), r.calls());
        assertEquals("none", o.path());
        assertEquals(100L, o.newPid());
        assertFalse(o.changed());
        assertEquals(before, Files.readString(unit));
    }

    @Test
    void startOfAStoppedEnabledUnitIsAPlainStart() {
        installed(FlagOverrides.none());
        ScriptedRunner r = new ScriptedRunner().on("show", inactive(), running(7)).on("start", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals(List.of(showArgv(), argv("start", "heph.service"), showArgv(), showArgv()), r.calls());
        assertEquals("start", o.path());
        assertEquals(7L, o.newPid());
    }

    @Test
    void bareRestartOfAnUnchangedUnitIsOnlyRestartWithNoDaemonReload() {
        installed(FlagOverrides.none());
        ScriptedRunner r = new ScriptedRunner().on("show", running(100), running(200)).on("restart", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals(List.of(showArgv(), argv("restart", "heph.service"), showArgv(), showArgv()), r.calls());
        assertEquals(0, r.count("daemon-reload"));
        assertEquals("restart", o.path());
        assertEquals(100L, o.oldPid());
        assertEquals(200L, o.newPid());
        assertTrue(o.changed(), "a restarted process is a change");
    }

    @Test
    void restartWithAChangedFlagReloadsThenRestartsKeepingTheOtherFlags() throws Exception {
        installed(FlagOverrides.builder(home).hubUrl("https://hub.example.org").selfUpdateIntervalSecs("300")
                .build());
        ScriptedRunner r = new ScriptedRunner().on("show", running(100), running(300)).on("daemon-reload", ok())
                .on("restart", ok());
        Outcome o = backend(r).restart(interval("600"));
        assertEquals(List.of(showArgv(), argv("daemon-reload"), argv("restart", "heph.service"), showArgv(),
                showArgv()), r.calls());
        assertEquals("reload", o.path());
        assertTrue(o.changed());
        assertEquals(300L, o.newPid());
        assertEquals(List.of(ts.hephd.toString(), "--mode", "local", "--hub-url", "https://hub.example.org",
                "--self-update-interval-secs", "600"), unitOnDisk().execStart());
    }

    @Test
    void needDaemonReloadFromSystemdMakesStartReloadAndRestartEvenIfTheFileMatches() {
        installed(FlagOverrides.none());
        // docs/facts/launchd-facts.md §12: an edited unit without daemon-reload keeps running the old definition
        ScriptedRunner r = new ScriptedRunner()
                .on("show", show("loaded", "active", "running", 100, 0, "enabled", true), running(101))
                .on("daemon-reload", ok()).on("restart", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals(List.of("show", "daemon-reload", "restart", "show", "show"), r.verbs());
        assertEquals("reload", o.path());
        assertTrue(o.changed(), "a reload is a change, though the file itself was already right");
    }

    @Test
    void environmentAndHandAddedLinesOfAnExistingUnitAreKept() throws Exception {
        installed(interval("300"));
        String extra = Files.readString(unit).replace("RestartSec=1\n",
                "RestartSec=1\nEnvironment=\"RUST_LOG=debug\" \"PATH=/home/u/.cargo/bin:/usr/bin\"\nLimitNOFILE=4096\n")
                + "\n[X-Heph]\nNote=kept\n";
        Files.writeString(unit, extra);
        ScriptedRunner r = new ScriptedRunner().on("show", running(100), running(200)).on("daemon-reload", ok())
                .on("restart", ok());
        backend(r).restart(interval("600"));
        UnitFile.Parsed p = unitOnDisk();
        assertEquals(Map.of("RUST_LOG", "debug", "PATH", "/home/u/.cargo/bin:/usr/bin"), p.environment());
        assertEquals(Optional.of("4096"), p.value("Service", "LimitNOFILE"));
        assertEquals(Optional.of("kept"), p.value("X-Heph", "Note"));
        assertEquals("600", p.execStart().get(p.execStart().size() - 1));
        // and the kept lines do not count as a change next time
        ScriptedRunner again = new ScriptedRunner().on("show", running(200));
        assertEquals("none", backend(again).start(FlagOverrides.none()).path());
    }

    @Test
    void stopOfAnInactiveOrUnknownUnitIsAlreadyStopped() {
        for (ScriptedRunner.Reply reply : List.of(inactive(), notFound())) {
            ScriptedRunner r = new ScriptedRunner().on("show", reply);
            Outcome o = backend(r).stop();
            assertEquals(List.of(showArgv()), r.calls());
            assertEquals("none", o.path());
            assertEquals("hephd is already stopped", o.message());
        }
    }

    @Test
    void stopOfAnActiveUnitIsSystemctlStop() {
        ScriptedRunner r = new ScriptedRunner().on("show", running(100)).on("stop", ok());
        Outcome o = backend(r).stop();
        assertEquals(List.of(showArgv(), argv("stop", "heph.service")), r.calls());
        assertEquals("stop", o.path());
        assertEquals(100L, o.oldPid());
    }

    @Test
    void uninstallDisablesRemovesTheUnitAndReloads() {
        installed(FlagOverrides.none());
        ScriptedRunner r = new ScriptedRunner().on("show", running(100)).on("disable", ok())
                .on("daemon-reload", ok());
        Outcome o = backend(r).uninstall();
        assertEquals(List.of(showArgv(), argv("disable", "--now", "heph.service"), argv("daemon-reload")),
                r.calls());
        assertEquals("uninstall", o.path());
        assertTrue(o.changed());
        assertFalse(Files.exists(unit));
    }

    @Test
    void uninstallWithNothingInstalledDoesNothing() {
        ScriptedRunner r = new ScriptedRunner().on("show", notFound());
        Outcome o = backend(r).uninstall();
        assertEquals(List.of("show"), r.verbs());
        assertEquals("none", o.path());
    }

    @Test
    void noUserBusFailsAtOnceWithTheExplanationAndWritesNothing() {
        ScriptedRunner r = new ScriptedRunner().on("show", noBus());
        HephException e = assertThrows(HephException.class, () -> backend(r).start(FlagOverrides.none()));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("XDG_RUNTIME_DIR"), e.getMessage());
        assertTrue(e.getMessage().contains("loginctl enable-linger"), e.getMessage());
        assertEquals(List.of("show"), r.verbs());
        assertFalse(Files.exists(unit));
        assertThrows(HephException.class, () -> backend(r).stop());
    }

    @Test
    void aFailedStartJobNamesJournalctl() {
        // docs/facts/launchd-facts.md §12: "Job for X failed because the control process exited with error code." exit 1
        ScriptedRunner r = new ScriptedRunner().on("show", notFound()).on("daemon-reload", ok())
                .on("disable", ok()).on("reset-failed", ok()) // a new unit that failed is put back: not installed
                .on("enable", fail(1, "Job for heph.service failed because the control process exited with error"
                        + " code.\nSee \"systemctl --user status heph.service\" and \"journalctl --user -xeu"
                        + " heph.service\" for details.\n"));
        HephException e = assertThrows(HephException.class, () -> backend(r).start(FlagOverrides.none()));
        assertTrue(e.getMessage().contains("journalctl --user-unit heph.service"), e.getMessage());
        assertTrue(e.detail().contains("Job for heph.service failed"), e.detail());
        assertTrue(e.getMessage().contains("it was not installed before, so heph disabled and stopped it and removed "
                + unit), e.getMessage());
        assertFalse(Files.exists(unit), "new, and it did not start: not left installed");
    }

    @Test
    void aDaemonThatDiesRightAfterStartFailsWithTheJournalctlHint() {
        // Type=simple: start succeeds once forked (docs/facts/launchd-facts.md §12); the crash shows up in show
        ScriptedRunner r = new ScriptedRunner().on("daemon-reload", ok()).on("enable", ok())
                .on("disable", ok()).on("reset-failed", ok())
                .on("show", notFound(), show("loaded", "activating", "auto-restart", 0, 1, "enabled", false));
        HephException e = assertThrows(HephException.class, () -> backend(r).start(FlagOverrides.none()));
        assertTrue(e.getMessage().contains("journalctl --user-unit heph.service"), e.getMessage());
        assertTrue(e.getMessage().contains("activating/auto-restart"), e.getMessage());
        assertEquals(List.of(), clock.sleeps(), "no waiting for a daemon that already exited");
    }

    @Test
    void aDaemonThatDiesDuringTheSettleIsAFailure() {
        ScriptedRunner r = new ScriptedRunner().on("daemon-reload", ok()).on("enable", ok())
                .on("disable", ok()).on("reset-failed", ok())
                .on("show", notFound(), running(100), running(101));
        HephException e = assertThrows(HephException.class, () -> backend(r).start(FlagOverrides.none()));
        assertTrue(e.getMessage().contains("pid 100) exited within " + Settings.DEFAULT_SETTLE.toMillis() + " ms"),
                e.getMessage());
    }

    @Test
    void anUnparseableUnitIsMovedAsideAndTheUserIsTold() throws Exception {
        Files.createDirectories(unit.getParent());
        Files.writeString(unit, "this is not a unit\n");
        ScriptedRunner r = new ScriptedRunner().on("show", notFound(), running(5)).on("daemon-reload", ok())
                .on("enable", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals(1, o.warnings().size());
        assertEquals(List.of(o.warnings().get(0)), ts.said);
        try (var files = Files.list(unit.getParent())) {
            Path aside = files.filter(f -> f.getFileName().toString().contains(".unparseable-")).findFirst()
                    .orElseThrow();
            assertEquals("this is not a unit\n", Files.readString(aside));
            assertTrue(o.warnings().get(0).contains(aside.toString()));
        }
        assertEquals(List.of(ts.hephd.toString(), "--mode", "local"), unitOnDisk().execStart());
    }

    @Test
    void aSymlinkedUnitIsRefusedBeforeAnythingRuns() throws Exception {
        Path real = home.resolve("elsewhere.service");
        Files.writeString(real, "x");
        Files.createDirectories(unit.getParent());
        Files.createSymbolicLink(unit, real);
        ScriptedRunner r = new ScriptedRunner();
        HephException e = assertThrows(HephException.class, () -> backend(r).restart(FlagOverrides.none()));
        assertTrue(e.getMessage().contains("is a symlink"), e.getMessage());
        assertThrows(HephException.class, () -> backend(r).uninstall());
        assertEquals(List.of(), r.calls());
        assertEquals("x", Files.readString(real));
    }

    @Test
    void anExecStartWithSpecifiersIsRefusedRatherThanRewrittenLiterally() throws Exception {
        Files.createDirectories(unit.getParent());
        Files.writeString(unit, "[Service]\nExecStart=" + ts.hephd + " --mode local --db %h/heph.db\n");
        ScriptedRunner r = new ScriptedRunner().on("show", running(7));
        HephException e = assertThrows(HephException.class, () -> backend(r).restart(FlagOverrides.none()));
        assertTrue(e.getMessage().contains("specifiers"), e.getMessage());
        assertTrue(Files.readString(unit).contains("%h/heph.db"));
        assertEquals(List.of(showArgv()), r.calls(), "only the read-only show ran");
    }
}
