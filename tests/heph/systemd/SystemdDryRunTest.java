package heph.systemd;

import static heph.support.ScriptedRunner.ok;
import static heph.systemd.ShowReplies.argv;
import static heph.systemd.ShowReplies.notFound;
import static heph.systemd.ShowReplies.running;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import heph.config.FlagOverrides;
import heph.plan.DryRun;
import heph.service.Outcome;
import heph.service.Settings;
import heph.support.FakeClock;
import heph.support.ScriptedRunner;
import heph.support.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dry runs against a scripted systemctl that answers only {@code show}: the route ({@link SystemdBackend#route})
 * the real finish takes, rendered, with no other call (an unscripted one fails the test).
 */
@org.junit.jupiter.api.Tag("unit")
class SystemdDryRunTest {
    @TempDir
    Path home;
    Settings settings;
    final FakeClock clock = new FakeClock();

    @BeforeEach
    void setUp() {
        settings = new TestSettings(home).settings("systemd", 1000, ShowReplies.EXE);
    }

    SystemdBackend backend(ScriptedRunner r) {
        return new SystemdBackend(settings, r, clock);
    }

    void installed() {
        backend(new ScriptedRunner().on("show", notFound(), running(1)).on("daemon-reload", ok()).on("enable", ok()))
                .start(FlagOverrides.none());
    }

    static List<List<String>> argvs(DryRun d) {
        return d.commands().stream().map(DryRun.Command::argv).toList();
    }

    DryRun plan(String action, ScriptedRunner.Reply show) {
        ScriptedRunner r = new ScriptedRunner().on("show", show);
        DryRun d = backend(r).dryRun(action, FlagOverrides.none());
        assertEquals(List.of("show"), r.verbs().stream().distinct().toList(), "only show");
        return d;
    }

    @Test
    void aFailedUnitIsResetFirstAndARunningDisabledOneEnabled() throws Exception {
        installed();
        byte[] unit = Files.readAllBytes(settings.unitPath());
        DryRun failed = plan("restart", ShowReplies.show("loaded", "failed", "failed", 0, 5, "enabled", false));
        assertEquals("start", failed.path());
        assertEquals(List.of(argv("reset-failed", "heph.service"), argv("start", "heph.service")), argvs(failed));

        DryRun disabled = plan("start", ShowReplies.show("loaded", "active", "running", 7, 0, "disabled", false));
        assertEquals("start", disabled.path());
        assertEquals(List.of(argv("enable", "--now", "heph.service")), argvs(disabled));
        assertEquals("start would enable heph.service so it starts at login (already running (pid 7))",
                disabled.message());

        DryRun needReload = plan("restart", ShowReplies.show("loaded", "active", "running", 7, 0, "enabled", true));
        assertEquals("reload", needReload.path());
        assertEquals(List.of(argv("daemon-reload"), argv("restart", "heph.service")), argvs(needReload));
        assertEquals("", needReload.diff());
        assertEquals("restart would reload heph.service (pid 7) (systemd asks for a daemon-reload"
                + " (NeedDaemonReload=yes))", needReload.message());
        assertArrayEquals(unit, Files.readAllBytes(settings.unitPath()));
    }

    @Test
    void theDryRunNamesThePathAndCallsOfTheRealRun() {
        installed();
        DryRun plan = plan("restart", ShowReplies.show("loaded", "failed", "failed", 0, 5, "enabled", false));
        ScriptedRunner r = new ScriptedRunner()
                .on("show", ShowReplies.show("loaded", "failed", "failed", 0, 5, "enabled", false), running(9))
                .on("reset-failed", ok()).on("start", ok());
        Outcome real = backend(r).restart(FlagOverrides.none());
        assertEquals(real.path(), plan.path());
        assertEquals(argvs(plan), r.calls().stream().filter(c -> !c.get(2).equals("show")).toList());
    }
}
