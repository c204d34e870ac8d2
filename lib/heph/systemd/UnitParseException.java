package heph.systemd;

import heph.ExitCode;
import heph.HephException;

/** Text that is not a systemd unit file (or whose ExecStart/Environment cannot be unquoted). Exit 1. */
public class UnitParseException extends HephException {
    private final String source;
    private final int line;

    public UnitParseException(String source, int line, String problem) {
        super(ExitCode.FAILED, source + ":" + line + ": not a systemd unit file: " + problem);
        this.source = source;
        this.line = line;
    }

    /** The file (or other origin) the text came from, as given to {@link UnitFile#parse}. */
    public String source() {
        return source;
    }

    /** The 1-based line the problem was found on. */
    public int line() {
        return line;
    }
}
