package heph.proc;

import heph.ExitCode;
import heph.HephException;
import java.time.Duration;
import java.util.List;

/** An external command did not finish within its bound; it and its process tree were killed. Exit 124. */
public class CommandTimeoutException extends HephException {
    private final List<String> argv;

    public CommandTimeoutException(List<String> argv, Duration timeout) {
        super(ExitCode.TIMEOUT, "'" + String.join(" ", argv) + "' did not answer within " + timeout.toMillis()
                + " ms and was killed (raise the bound with --timeout, or check what blocks it)");
        this.argv = List.copyOf(argv);
    }

    public List<String> argv() {
        return argv;
    }
}
