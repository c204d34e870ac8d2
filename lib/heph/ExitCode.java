package heph;

/** The one exit-code table of heph. Two outcomes never share a code. */
public enum ExitCode {
    OK(0, "success"),
    FAILED(1, "the operation failed (launchctl/systemctl refused, or hephd did not converge)"),
    USAGE(2, "usage error (bad flag or value); nothing was changed"),
    NOT_RUNNING(3, "status: hephd is not running or not installed"),
    TIMEOUT(124, "a launchctl/systemctl call did not answer within --timeout and was killed"),
    INTERRUPTED(130, "SIGINT (Ctrl-C); during a reload heph first finishes it, so hephd is not left down"),
    TERMINATED(143, "SIGTERM; during a reload heph first finishes it, so hephd is not left down");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }
}
