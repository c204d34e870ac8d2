package heph.proc;

import heph.HephException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;
import org.zeroturnaround.exec.StartedProcess;

/**
 * The zt-exec implementation of {@link ProcessRunner}, and the only class that imports zt-exec. Every option is set
 * explicitly: argv, stdout and stderr captured apart, any exit value accepted (callers interpret codes), the child
 * killed if heph's JVM exits first. The timeout is enforced here: on expiry the whole process tree is killed, and
 * only once it is gone is the timeout reported.
 */
public final class ZtExecRunner implements ProcessRunner {

    /** How long {@link #killTree} waits for the killed processes to disappear. */
    static final Duration KILL_WAIT = Duration.ofSeconds(2);

    /**
     * SIGKILLs {@code root} and its descendants (collected first: they are only reachable while the parent lives),
     * then waits, bounded, until they are gone.
     */
    public static void killTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(0, root);
        tree.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        for (ProcessHandle p : tree) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // gone from under us, or unkillable (uninterruptible sleep): nothing more to do
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public ExecResult run(List<String> argv, Duration timeout) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long started = System.nanoTime();
        StartedProcess process;
        try {
            process = new ProcessExecutor()
                    .command(argv)
                    .readOutput(true)
                    .redirectErrorStream(false)
                    .redirectError(err)
                    .exitValueAny()
                    .destroyOnExit()
                    .start();
        } catch (IOException e) {
            throw HephException.failed("cannot run " + argv.get(0) + " (" + rootMessage(e) + "); check the path,"
                    + " or point heph at the right executable (--launchctl/--systemctl, HEPH_LAUNCHCTL/HEPH_SYSTEMCTL)",
                    String.join(" ", argv));
        }
        try {
            ProcessResult result = process.getFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new ExecResult(argv, result.getExitValue(), result.outputUTF8(),
                    err.toString(StandardCharsets.UTF_8), millis);
        } catch (TimeoutException e) {
            killTree(process.getProcess().toHandle());
            process.getFuture().cancel(true);
            throw new CommandTimeoutException(argv, timeout);
        } catch (ExecutionException e) {
            throw HephException.failed("running '" + String.join(" ", argv) + "' failed: " + rootMessage(e));
        } catch (InterruptedException e) {
            killTree(process.getProcess().toHandle());
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
