package heph.launchd.plist;

import heph.ExitCode;
import heph.HephException;

/** A file or byte array that should hold a launchd plist is not a property list, or not a dictionary. */
public final class PlistParseException extends HephException {
    private static final long serialVersionUID = 1L;

    private final String source;

    public PlistParseException(String source, String problem) {
        super(ExitCode.FAILED, source + ": " + problem);
        this.source = source;
    }

    /** What was being parsed (usually a file path), as given to {@link LaunchdPlist#parse}. */
    public String source() {
        return source;
    }
}
