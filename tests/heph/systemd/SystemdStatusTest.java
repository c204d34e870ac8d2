package heph.systemd;

import static heph.support.ScriptedRunner.ok;
import static heph.systemd.ShowReplies.argv;
import static heph.systemd.ShowReplies.noBus;
import static heph.systemd.ShowReplies.notFound;
import static heph.systemd.ShowReplies.running;
import static heph.systemd.ShowReplies.show;
import static heph.systemd.ShowReplies.showArgv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import heph.config.FlagOverrides;
import heph.service.Outcome;
import heph.service.ServiceStatus;
import heph.service.Settings;
import heph.support.FakeClock;
import heph.support.ScriptedRunner;
import heph.support.TestSettings;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `heph status` on systemd, the paths that are neither fresh nor running, and --wait-ready. */
@org.junit.jupiter.api.Tag("unit")
class SystemdStatusTest {
    static final String JOURNAL = "journalctl --user-unit heph.service";

    @TempDir
    Path home;
    TestSettings ts;
    Settings settings;
    final FakeClock clock = new FakeClock();

    @BeforeEach
    void setUp() {
        ts = new TestSettings(home);
        settings = ts.settings("systemd", 1000, ShowReplies.EXE);
    }

    SystemdBackend backend(ScriptedRunner r) {
        return new SystemdBackend(settings, r, clock);
    }

    void installed(FlagOverrides flags) {
        backend(new ScriptedRunner().on("show", notFound(), running(1)).on("daemon-reload", ok()).on("enable", ok()))
                .start(flags);
    }

    @Test
    void statusOfAnUnknownUnitIsNotInstalledAndNotRunning() {
        ScriptedRunner r = new ScriptedRunner().on("show", notFound());
        ServiceStatus st = backend(r).status();
        assertEquals(List.of(showArgv()), r.calls(), "status only reads");
        assertFalse(st.installed());
        assertFalse(st.loaded());
        assertFalse(st.running(), "heph status exits 3 on this");
        assertNull(st.pid());
        assertNull(st.runs());
        assertEquals("not loaded", st.state());
        assertEquals("not installed — run heph start", st.hint());
        assertEquals(settings.defaultSocket(), st.socket());
    }

    @Test
    void statusOfARunningUnitFillsEveryField() {
        FlagOverrides flags = FlagOverrides.builder(home).socket(home.resolve("h.sock").toString()).build();
        installed(flags);
        ScriptedRunner r = new ScriptedRunner().on("show", show("loaded", "active", "running", 42, 2, "enabled",
                false));
        ServiceStatus st = backend(r).status();
        assertTrue(st.installed());
        assertTrue(st.loaded());
        assertTrue(st.running());
        assertEquals(42L, st.pid());
        assertEquals(3L, st.runs(), "NRestarts + 1");
        assertEquals("active/running", st.state());
        assertEquals(ts.hephd.toString(), st.program());
        assertEquals(List.of(ts.hephd.toString(), "--mode", "local", "--socket", home.resolve("h.sock").toString()),
                st.arguments());
        assertEquals(JOURNAL, st.stdoutLog());
        assertEquals(JOURNAL, st.stderrLog());
        assertEquals(home.resolve("h.sock").toString(), st.socket());
        assertEquals(settings.unitPath().toString(), st.file());
        assertNull(st.hint());
    }

    @Test
    void statusHintsForTheHalfwayStates() {
        installed(FlagOverrides.none());
        assertEquals("installed but not enabled/not running — run heph start",
                hint(show("loaded", "inactive", "dead", 0, 0, "disabled", false)));
        assertEquals("installed but not loaded — run heph start", hint(notFound()));
        assertTrue(hint(show("loaded", "failed", "failed", 0, 5, "enabled", false)).contains(JOURNAL));
        assertTrue(hint(show("loaded", "active", "running", 9, 0, "enabled", true)).contains("heph restart"));
        assertTrue(hint(show("loaded", "active", "running", 9, 0, "disabled", false)).contains("not enabled"));
    }

    private String hint(ScriptedRunner.Reply reply) {
        return backend(new ScriptedRunner().on("show", reply)).status().hint();
    }

    @Test
    void statusWithoutAUserBusIsAFailureNotNotRunning() {
        HephException e = assertThrows(HephException.class,
                () -> backend(new ScriptedRunner().on("show", noBus())).status());
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("loginctl enable-linger"), e.getMessage());
    }

    @Test
    void restartOfANotInstalledUnitIsAStart() {
        ScriptedRunner r = new ScriptedRunner().on("show", notFound(), running(8)).on("daemon-reload", ok())
                .on("enable", ok());
        Outcome o = backend(r).restart(FlagOverrides.none());
        assertEquals(List.of("show", "daemon-reload", "enable", "show", "show"), r.verbs());
        assertEquals("start", o.path());
        assertNull(o.oldPid());
    }

    @Test
    void startOfARunningButDisabledUnitEnablesItWithoutRestarting() {
        installed(FlagOverrides.none());
        ScriptedRunner.Reply disabled = show("loaded", "active", "running", 100, 0, "disabled", false);
        ScriptedRunner r = new ScriptedRunner().on("show", disabled).on("enable", ok());
        Outcome o = backend(r).start(FlagOverrides.none());
        assertEquals(List.of(showArgv(), argv("enable", "--now", "heph.service"), showArgv(), showArgv()),
                r.calls());
        assertEquals(0, r.count("restart"));
        assertEquals(100L, o.newPid());
    }

    @Test
    void waitReadyFailsWhenTheSocketNeverAccepts() {
        settings = withReadyTimeout(Duration.ofMillis(500));
        ScriptedRunner r = new ScriptedRunner().on("show", notFound(), running(100)).on("daemon-reload", ok())
                .on("enable", ok());
        HephException e = assertThrows(HephException.class, () -> backend(r).start(FlagOverrides.none()));
        assertTrue(e.getMessage().contains(settings.defaultSocket()), e.getMessage());
        assertTrue(e.getMessage().contains("500 ms"), e.getMessage());
    }

    @Test
    void waitReadyReturnsOnceTheBakedSocketAccepts() throws Exception {
        settings = withReadyTimeout(Duration.ofMillis(500));
        Path sock = home.resolve("r.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            ScriptedRunner r = new ScriptedRunner().on("show", notFound(), running(100)).on("daemon-reload", ok())
                    .on("enable", ok());
            Outcome o = backend(r).start(FlagOverrides.builder(home).socket(sock.toString()).build());
            assertEquals(100L, o.newPid());
        } finally {
            Files.deleteIfExists(sock);
        }
    }

    private Settings withReadyTimeout(Duration ready) {
        Settings s = settings;
        return new Settings(s.backend(), s.label(), s.unit(), s.home(), s.uid(), s.env(), s.cwd(), s.launchctl(),
                s.systemctl(), s.commandTimeout(), s.jobTimeout(), s.maxWait(), s.lockWait(), s.settle(), ready, s.progress());
    }
}
