package heph.fs;

import heph.HephException;
import java.nio.charset.StandardCharsets;

/**
 * A file name is at most 255 bytes, and heph derives several from one label or unit: {@code <label>.lock},
 * {@code <label>.plist} (installed and as heph's loaded copy), {@code <name>.unparseable-<timestamp>} and
 * {@code .refused-}/{@code .rejected-} set-aside copies, and the longest, the temp file of an atomic write,
 * {@code .<name>.<pid>.<random>.tmp}. A name is checked against that longest one before anything is created, so a
 * long label is a usage error up front, not "File name too long" after heph's state was half written.
 */
public final class FileNames {
    /** The most bytes of one file name (NAME_MAX on Linux and macOS). */
    public static final int NAME_MAX = 255;
    /** What an atomic write adds around a file's name: "." name "." pid (≤ 10) "." random (≤ 20) ".tmp". */
    static final int TEMP_OVERHEAD = 1 + 1 + 10 + 1 + 20 + 4;
    /** What a set-aside copy adds: ".unparseable-" yyyyMMdd-HHmmss "-" n (≤ 4 digits). */
    static final int ASIDE_OVERHEAD = ".unparseable-".length() + "yyyyMMdd-HHmmss".length() + 5;
    /** How much of a long value a message echoes. */
    static final int SHOWN = 80;

    private FileNames() {
    }

    /** The longest file name heph derives from the file name {@code fileName} ({@code <label>.plist}, a unit). */
    public static int longestDerived(String fileName) {
        return fileName.getBytes(StandardCharsets.UTF_8).length + Math.max(TEMP_OVERHEAD, ASIDE_OVERHEAD);
    }

    /** The most bytes a name may have so that {@code name + suffix} passes {@link #requireFits}. */
    public static int maxName(String suffix) {
        return NAME_MAX - Math.max(TEMP_OVERHEAD, ASIDE_OVERHEAD) - suffix.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * A usage error (exit 2), one line naming {@code what} and echoing at most a prefix of {@code name}, when the
     * files heph would derive from {@code name + suffix} (e.g. a label and ".plist") do not fit in a file name.
     */
    public static void requireFits(String what, String name, String suffix) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (longestDerived(name + suffix) > NAME_MAX) {
            throw HephException.usage(what + ": '" + prefix(name) + "' (" + bytes + " bytes) is too long; expected at"
                    + " most " + maxName(suffix) + ", so that heph's files for it (" + (suffix.isEmpty() ? "the file itself"
                    : suffix.replaceFirst("^\\.", "")) + ", lock, temp and set-aside files) fit in a " + NAME_MAX + "-byte file name");
        }
    }

    /** {@code value} as is when short, else its first {@value #SHOWN} characters, then "... (N characters)". */
    public static String prefix(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "... (" + value.length() + " characters)";
    }
}
