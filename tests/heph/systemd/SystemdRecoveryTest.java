package heph.systemd;

import static heph.support.ScriptedRunner.ok;
import static heph.support.ScriptedRunner.out;
import static heph.systemd.ShowReplies.argv;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 on systemd, against a scripted systemctl: flags read from the loaded unit when the file is missing or
 * unreadable, put-back after a reload whose new definition does not stay up, and a unit folder the user manager
 * does not read. The show answers are shaped like systemd 252's (docs/facts/systemd.md; the real tier checks the rest).
 */
@org.junit.jupiter.api.Tag("unit")
class SystemdRecoveryTest {
    /** systemd 252's `show -p ExecStart` of a running unit (argv joined by spaces, unquoted). */
    static String execStart(String argv) {
        String path = argv.split(" ")[0];
        return "ExecStart={ path=" + path + " ; argv[]=" + argv + " ; ignore_errors=no ; start_time=[Sat 2026-11-28"
                + " 02:42:23 UTC] ; stop_time=[n/a] ; pid=100 ; code=(null) ; status=0/0 }\n";
    }

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

    void installed(FlagOverrides flags) {
        ScriptedRunner r = new ScriptedRunner().on("show", notFound(), running(1)).on("daemon-reload", ok())
                .on("enable", ok());
        backend(r).start(flags);
    }

    @Test
    void aBareRestartWithTheUnitFileMissingReadsTheFlagsFromTheLoadedUnit() throws Exception {
        // docs/facts/systemd.md: the file removed, no daemon-reload yet: LoadState=loaded, NeedDaemonReload=yes
        String argv = ts.hephd + " --mode server --hub-url https://hub.example --token-file /etc/heph/token";
        ScriptedRunner r = new ScriptedRunner()
                .on("show", show("loaded", "active", "running", 100, 0, "enabled", true), out(execStart(argv)),
                        running(101))
                .on("daemon-reload", ok()).on("restart", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals(List.of(showArgv(), argv("show", "-p", "ExecStart", "heph.service"), argv("daemon-reload"),
                argv("restart", "heph.service"), showArgv(), showArgv()), r.calls());
        assertEquals(List.of(argv.split(" ")), UnitFile.parse(Files.readString(unit), "u").execStart());
        String said = "flags read from the loaded unit, unit file missing (" + unit + ")";
        assertEquals(List.of(said), o.warnings());
        assertEquals(List.of(said), ts.said);
        assertEquals("reload", o.path());
    }

    @Test
    void anUnreadableUnitFileIsReplacedFromTheLoadedUnitToo() throws Exception {
        installed(FlagOverrides.builder(home).selfUpdateIntervalSecs("300").build());
        Files.write(unit, new byte[] {'[', (byte) 0xff, (byte) 0xfe, ']', '\n'}); // not UTF-8: cannot be read as text
        String argv = ts.hephd + " --mode local --self-update-interval-secs 300";
        ScriptedRunner r = new ScriptedRunner()
                .on("show", running(100), out(execStart(argv)), running(101))
                .on("daemon-reload", ok()).on("restart", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals(List.of(argv.split(" ")), UnitFile.parse(Files.readString(unit), "u").execStart());
        assertTrue(o.warnings().get(0).startsWith("flags read from the loaded unit, unit file unreadable ("),
                o.warnings().toString());
    }

    @Test
    void aLoadedUnitWithoutAnExecStartIsRefusedNotRebuiltFromDefaults() {
        ScriptedRunner r = new ScriptedRunner().on("show", running(100), out(""));
        HephException e = assertThrows(HephException.class, () -> backend(r).restart(FlagOverrides.none()));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("will not rebuild it from defaults"), e.getMessage());
        assertFalse(Files.exists(unit), "nothing written");
        assertEquals(List.of(showArgv(), argv("show", "-p", "ExecStart", "heph.service")), r.calls());
    }

    @Test
    void aRunningUnitSystemdNoLongerKnowsIsRebuiltFromDefaultsWithAWarningNamingItsCommandLine() {
        // docs/facts/systemd.md: file removed and daemon-reload ran: LoadState=not-found, still active/running, no ExecStart
        ScriptedRunner r = new ScriptedRunner()
                .on("show", show("not-found", "active", "running", ProcessHandle.current().pid(), 0, "", false),
                        running(101))
                .on("daemon-reload", ok()).on("enable", ok()).on("restart", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertTrue(o.warnings().get(0).contains("its flags cannot be read from systemd; the unit is rebuilt from"
                + " defaults"), o.warnings().toString());
        assertTrue(o.warnings().get(0).contains("java"), "names the running command line: " + o.warnings());
    }

    @Test
    void aReloadWhoseNewDefinitionDoesNotStayUpPutsThePreviousUnitBack() throws Exception {
        installed(FlagOverrides.builder(home).selfUpdateIntervalSecs("300").build());
        String previous = Files.readString(unit);
        ScriptedRunner r = new ScriptedRunner()
                .on("show", running(100), show("loaded", "activating", "auto-restart", 0, 1, "enabled", false),
                        running(102))
                .on("daemon-reload", ok()).on("restart", ok()).on("reset-failed", ok());
        HephException e = assertThrows(HephException.class,
                () -> backend(r).restart(FlagOverrides.builder(home).selfUpdateIntervalSecs("600").build()));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertEquals(List.of(showArgv(), argv("daemon-reload"), argv("restart", "heph.service"), showArgv(),
                argv("daemon-reload"), argv("reset-failed", "heph.service"), argv("restart", "heph.service"),
                showArgv(), showArgv()), r.calls());
        assertTrue(e.getMessage().startsWith("the new definition of heph.service did not start and stay up (hephd"
                + " exited right after starting"), e.getMessage());
        assertTrue(e.getMessage().endsWith("hephd runs the previous definition again, pid 102"), e.getMessage());
        assertEquals(previous, Files.readString(unit));
    }

    @Test
    void whenThePutBackFailsTooBothAreReported() throws Exception {
        installed(FlagOverrides.none());
        ScriptedRunner r = new ScriptedRunner()
                .on("show", running(100), show("loaded", "failed", "failed", 0, 5, "enabled", false))
                .on("daemon-reload", ok()).on("restart", ok()).on("reset-failed", ok());
        HephException e = assertThrows(HephException.class,
                () -> backend(r).restart(FlagOverrides.builder(home).selfUpdateIntervalSecs("600").build()));
        assertTrue(e.getMessage().contains("putting the previous unit back failed too: hephd failed right after"
                + " starting"), e.getMessage());
    }

    @Test
    void aFolderTheManagerDoesNotReadIsReplacedByTheManagersOwnWithAWarning() throws Exception {
        Path other = home.resolve("other-config");
        Path managers = home.resolve(".config/systemd/user");
        Map<String, String> env = new HashMap<>(settings.env());
        env.put("XDG_CONFIG_HOME", other.toString());
        settings = new Settings("systemd", Settings.DEFAULT_LABEL, Settings.DEFAULT_UNIT, home, 1000, env, home,
                "launchctl", ShowReplies.EXE, Duration.ofSeconds(10), Settings.DEFAULT_JOB_TIMEOUT, null,
                Duration.ofSeconds(5), Settings.DEFAULT_SETTLE, null, ts.said::add);
        // systemd 252's UnitPath: <config>/systemd/user.control first, <config>/systemd/user after generator.early
        String unitPath = "UnitPath=" + managers + ".control /run/u/systemd/user.control /run/u/systemd/transient"
                + " /run/u/systemd/generator.early " + managers + " /etc/xdg/systemd/user /etc/systemd/user"
                + " /run/u/systemd/user /run/systemd/user /usr/lib/systemd/user\n";
        ScriptedRunner r = new ScriptedRunner().on("show", notFound(), out(unitPath), running(5))
                .on("daemon-reload", ok()).on("enable", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals(List.of(showArgv(), argv("show", "-p", "UnitPath"), argv("daemon-reload"),
                argv("enable", "--now", "heph.service"), showArgv(), showArgv()), r.calls());
        assertTrue(Files.exists(managers.resolve("heph.service")));
        assertFalse(Files.exists(other.resolve("systemd/user/heph.service")));
        assertEquals(1, o.warnings().size());
        assertTrue(o.warnings().get(0).startsWith(other.resolve("systemd/user") + " (from heph's XDG_CONFIG_HOME="
                + other + ") is not in the unit path of systemd --user, whose own folder is " + managers),
                o.warnings().get(0));
    }

    @Test
    void aFolderTheManagerReadsIsKeptAndOneItCannotNameIsRefused() {
        Map<String, String> env = new HashMap<>(settings.env());
        env.put("XDG_CONFIG_HOME", home.resolve("cfg").toString());
        settings = new Settings("systemd", Settings.DEFAULT_LABEL, Settings.DEFAULT_UNIT, home, 1000, env, home,
                "launchctl", ShowReplies.EXE, Duration.ofSeconds(10), Settings.DEFAULT_JOB_TIMEOUT, null,
                Duration.ofSeconds(5), Settings.DEFAULT_SETTLE, null, ts.said::add);
        Path mine = home.resolve("cfg/systemd/user");
        ScriptedRunner same = new ScriptedRunner().on("show", notFound(), out("UnitPath=" + mine + ".control "
                + mine + " /usr/lib/systemd/user\n"), running(5)).on("daemon-reload", ok()).on("enable", ok());
        Outcome o = backend(same).start(FlagOverrides.none());
        assertEquals(List.of(), o.warnings());
        assertTrue(Files.exists(mine.resolve("heph.service")));
        ScriptedRunner odd = new ScriptedRunner().on("show", notFound(), out("UnitPath=/usr/lib/systemd/user\n"));
        HephException e = assertThrows(HephException.class, () -> backend(odd).uninstall());
        assertTrue(e.getMessage().contains("heph cannot tell the manager's own folder"), e.getMessage());
    }

    @Test
    void loadedUnitParsing() {
        assertEquals("/usr/bin/hephd --mode local", LoadedUnit.execStartText(execStart("/usr/bin/hephd --mode local"))
                .orElseThrow());
        assertTrue(LoadedUnit.execStartText("ExecStart=\n").isEmpty());
        // words: exact from /proc when it joins to the same text, else split at spaces
        assertEquals(List.of("/h", "--db", "/a b"), LoadedUnit.words("/h --db /a b", List.of("/h", "--db", "/a b")));
        assertEquals(List.of("/h", "--db", "/a", "b"), LoadedUnit.words("/h --db /a b", List.of("/java", "x")));
        assertEquals(List.of(), LoadedUnit.cmdline(0));
        assertEquals(ProcessHandle.current().info().command().orElseThrow(),
                LoadedUnit.cmdline(ProcessHandle.current().pid()).get(0));
        assertTrue(LoadedUnit.configDir(List.of("/usr/lib/systemd/user")).isEmpty());
        assertEquals(Path.of("/c/systemd/user"), LoadedUnit.configDir(LoadedUnit.unitPath(
                "UnitPath=/c/systemd/user.control /r/systemd/user.control /c/systemd/user /r/systemd/user\n"))
                .orElseThrow());
    }
}
