package heph.proc;

import java.time.Duration;
import java.util.List;

/**
 * The one seam between heph and the outside world's commands. Implementations run {@code argv} (never a shell
 * string), bounded by {@code timeout}, and return exit code, stdout and stderr separately. A command that outlives
 * its timeout is killed with its whole process tree and reported as {@link CommandTimeoutException}.
 */
public interface ProcessRunner {
    ExecResult run(List<String> argv, Duration timeout);
}
