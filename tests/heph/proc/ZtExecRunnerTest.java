package heph.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process seam: argv, separate streams, explicit exit codes, and a timeout that kills the whole tree. */
@org.junit.jupiter.api.Tag("unit")
class ZtExecRunnerTest {
    final ZtExecRunner runner = new ZtExecRunner();

    @TempDir
    Path dir;

    @Test
    void keepsStdoutAndStderrApartAndReportsTheExitCode() {
        ExecResult r = runner.run(List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertEquals("err", r.firstErrorLine());
    }

    @Test
    void argvIsNeverAShellString() {
        ExecResult r = runner.run(List.of("/bin/echo", "a b; rm -rf x", "$HOME"), Duration.ofSeconds(10));
        assertEquals("a b; rm -rf x $HOME\n", r.stdout());
    }

    @Test
    void aTimeoutKillsTheWholeTreeAndNamesTheCommand() throws Exception {
        Path pidFile = dir.resolve("grandchild.pid");
        // the shell starts a grandchild that would outlive a plain destroy() of the shell (docs/facts/jbang.md §4 zt-exec)
        List<String> argv = List.of("/bin/sh", "-c", "sleep 300 & echo $! > " + pidFile + "; wait");
        CommandTimeoutException e = assertThrows(CommandTimeoutException.class,
                () -> runner.run(argv, Duration.ofSeconds(2)));
        assertEquals(ExitCode.TIMEOUT, e.exitCode());
        assertEquals(124, e.exitCode().code);
        assertTrue(e.getMessage().startsWith("'/bin/sh -c sleep 300 &"), e.getMessage());
        assertTrue(e.getMessage().contains("did not answer within 2000 ms and was killed"), e.getMessage());
        long grandchild = Long.parseLong(Files.readString(pidFile).strip());
        long deadline = System.currentTimeMillis() + 30_000; // a bound, not a timing: a busy machine reaps late
        while (ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false), "grandchild killed");
    }

    @Test
    void aMissingExecutableIsAOneLineFailureNamingIt() {
        HephException e = assertThrows(HephException.class,
                () -> runner.run(List.of("/nonexistent/launchctl", "print", "gui/501/x"), Duration.ofSeconds(5)));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().startsWith("cannot run /nonexistent/launchctl ("), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
