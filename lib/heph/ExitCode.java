package heph;

/** The one exit-code table of heph. Two outcomes never share a code. */
public enum ExitCode {
    OK(0, "success"),
    FAILED(1, "the operation failed (launchctl/systemctl refused, or the service did not converge)"),
    USAGE(2, "usage error: bad flag or value; nothing was changed"),
    NOT_RUNNING(3, "status only: the daemon is not running or not installed"),
    TIMEOUT(124, "an external command did not answer in time and was killed");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }
}
