package heph.proc;

import heph.HephException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.zeroturnaround.exec.InvalidExitValueException;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;
import org.zeroturnaround.exec.stop.ProcessStopper;

/**
 * The zt-exec implementation of {@link ProcessRunner}, and the only class that imports zt-exec. Every option is set
 * explicitly: argv, a timeout, stdout and stderr captured apart, any exit value accepted (callers interpret codes),
 * the whole process tree killed on timeout, and the child killed if heph's JVM exits first.
 */
public final class ZtExecRunner implements ProcessRunner {

    /** Kills the descendants first (they are only reachable while the parent lives), then the process itself. */
    static final ProcessStopper KILL_TREE = process -> killTree(process.toHandle());

    public static void killTree(ProcessHandle root) {
        List<ProcessHandle> tree = root.descendants().toList();
        root.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public ExecResult run(List<String> argv, Duration timeout) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long started = System.nanoTime();
        try {
            ProcessResult result = new ProcessExecutor()
                    .command(argv)
                    .readOutput(true)
                    .redirectErrorStream(false)
                    .redirectError(err)
                    .exitValueAny()
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .stopper(KILL_TREE)
                    .destroyOnExit()
                    .execute();
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new ExecResult(argv, result.getExitValue(), result.outputUTF8(),
                    err.toString(StandardCharsets.UTF_8), millis);
        } catch (TimeoutException e) {
            throw new CommandTimeoutException(argv, timeout);
        } catch (InvalidExitValueException e) {
            throw new IllegalStateException("unreachable: exitValueAny() was set", e);
        } catch (IOException e) {
            throw HephException.failed("cannot run " + argv.get(0) + " (" + rootMessage(e) + "); check the path,"
                    + " or point heph at the right executable (--launchctl/--systemctl, HEPH_LAUNCHCTL/HEPH_SYSTEMCTL)",
                    String.join(" ", argv));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HephException.failed("interrupted while running '" + String.join(" ", argv) + "'");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
