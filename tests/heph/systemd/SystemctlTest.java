package heph.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import heph.ExitCode;
import heph.HephException;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("unit")
class SystemctlTest {
    /** Records every call and answers each with exit 0 and a fixed stdout. */
    static final class RecordingRunner implements ProcessRunner {
        final List<List<String>> calls = new ArrayList<>();
        final List<Duration> timeouts = new ArrayList<>();
        ExecResult last;

        @Override
        public ExecResult run(List<String> argv, Duration timeout) {
            calls.add(argv);
            timeouts.add(timeout);
            last = new ExecResult(argv, 0, "out", "", 1);
            return last;
        }
    }

    final RecordingRunner runner = new RecordingRunner();
    final Systemctl systemctl = new Systemctl(runner, "/usr/bin/systemctl", Duration.ofSeconds(30),
            Duration.ofSeconds(120));

    private void assertRuns(List<String> expected, Supplier<ExecResult> call) {
        ExecResult r = call.get();
        assertSame(runner.last, r, "the runner's result is returned untouched");
        assertEquals(expected, runner.calls.get(runner.calls.size() - 1));
        // verbs that may wait for a stop job get their own bound (default: systemd's 90 s DefaultTimeoutStopSec on
        // top): restart, stop, disable --now, and start / enable --now, queued behind a unit still stopping
        boolean stopJob = List.of("restart", "stop", "disable", "start", "enable").stream()
                .anyMatch(expected::contains);
        assertEquals(Duration.ofSeconds(stopJob ? 120 : 30), runner.timeouts.get(runner.timeouts.size() - 1));
    }

    @Test
    void buildsExactArgvForEveryVerb() {
        String s = "/usr/bin/systemctl";
        assertRuns(List.of(s, "--user", "daemon-reload"), systemctl::daemonReload);
        assertRuns(List.of(s, "--user", "enable", "--now", "heph.service"), () -> systemctl.enableNow("heph.service"));
        assertRuns(List.of(s, "--user", "start", "heph.service"), () -> systemctl.start("heph.service"));
        assertRuns(List.of(s, "--user", "restart", "heph.service"), () -> systemctl.restart("heph.service"));
        assertRuns(List.of(s, "--user", "stop", "heph.service"), () -> systemctl.stop("heph.service"));
        assertRuns(List.of(s, "--user", "disable", "--now", "heph.service"),
                () -> systemctl.disableNow("heph.service"));
        assertRuns(List.of(s, "--user", "is-enabled", "heph.service"), () -> systemctl.isEnabled("heph.service"));
        // docs/facts/launchd-facts.md §12: show -p per property; systemd answers in its own order, UnitState parses by key
        assertRuns(List.of(s, "--user", "show", "-p", "MainPID", "-p", "ActiveState", "-p", "SubState",
                "-p", "NRestarts", "-p", "ExecMainStartTimestamp", "-p", "LoadState", "-p", "NeedDaemonReload",
                "-p", "UnitFileState", "-p", "ExecMainExitTimestamp", "-p", "ExecMainCode", "-p", "ExecMainStatus",
                "-p", "FragmentPath", "-p", "Type", "-p", "Result", "heph.service"), () -> systemctl.show("heph.service"));
        assertRuns(List.of(s, "--user", "show", "-p", "ExecStart", "heph.service"),
                () -> systemctl.showExecStart("heph.service"));
        assertRuns(List.of(s, "--user", "show", "-p", "UnitPath"), systemctl::showUnitPath);
        assertEquals(runner.calls, systemctl.argvLog());
        assertEquals(10, systemctl.argvLog().size());
    }

    @Test
    void otherUnitNamesArePassedThrough() {
        assertRuns(List.of("systemctl", "--user", "restart", "heph-dev@1.service"),
                () -> new Systemctl(runner, "systemctl", Duration.ofSeconds(30), Duration.ofSeconds(120))
                        .restart("heph-dev@1.service"));
    }

    @Test
    void refusesUnitNamesSystemctlWouldMisread() {
        for (String bad : List.of("--now", "-heph.service", "heph service", "heph*", "", "heph.service\n")) {
            HephException e = assertThrows(HephException.class, () -> systemctl.stop(bad), bad);
            assertEquals(ExitCode.USAGE, e.exitCode());
        }
        assertEquals(List.of(), runner.calls, "nothing ran");
    }

    @Test
    void refusesANonPositiveTimeout() {
        assertThrows(IllegalArgumentException.class, () -> new Systemctl(runner, "systemctl", Duration.ZERO, Duration.ZERO));
    }
}
