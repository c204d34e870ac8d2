package heph;

/**
 * The one exception heph throws on purpose. It carries the exit code and a one-line message for the user;
 * {@code detail} (raw command output, for example) is shown only with --verbose.
 */
public class HephException extends RuntimeException {
    private final ExitCode exitCode;
    private final String detail;
    private boolean changedNothing;

    public HephException(ExitCode exitCode, String message, String detail) {
        super(message);
        this.exitCode = exitCode;
        this.detail = detail == null ? "" : detail;
    }

    public HephException(ExitCode exitCode, String message) {
        this(exitCode, message, "");
    }

    public static HephException usage(String message) {
        return new HephException(ExitCode.USAGE, message);
    }

    public static HephException failed(String message) {
        return new HephException(ExitCode.FAILED, message);
    }

    public static HephException failed(String message, String detail) {
        return new HephException(ExitCode.FAILED, message, detail);
    }

    /** A failure refused before heph acted (a missing program, a lock, the other domain): nothing was changed. */
    public static HephException refused(String message) {
        HephException e = failed(message);
        e.changedNothing = true;
        return e;
    }

    /** Whether heph knows this failure changed nothing ({@code "changed": false} in --json, not unknown). */
    public boolean changedNothing() {
        return changedNothing;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public String detail() {
        return detail;
    }
}
