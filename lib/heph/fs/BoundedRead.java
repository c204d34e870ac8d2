package heph.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;

/**
 * The one way heph reads a file it was given or found (a plist, a unit file, its loaded copy, a log for
 * {@code logs}): the file type is checked <em>before</em> it is opened (opening a FIFO for reading blocks forever,
 * {@code /dev/zero} never ends), and never more than a bound is read (a sparse multi-GB file is an error, not an
 * OutOfMemoryError). A symlink is followed only where the path is the user's own input ({@link Links#FOLLOW});
 * files heph owns are read without following one ({@link Links#NOFOLLOW}).
 */
public final class BoundedRead {
    /** The most a plist or unit file may hold: far more than any real one. */
    public static final int DEFINITION_MAX = 1 << 20;

    private static final int S_IFMT = 0170000;

    /** Whether a symlink at the path is followed (the user's input) or refused (a file heph owns). */
    public enum Links { FOLLOW, NOFOLLOW }

    /**
     * The file is there but is not something heph reads: not a regular file, or larger than the bound. The message
     * completes "{@code <file>: }" (e.g. "is a FIFO (named pipe), not a regular file").
     */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        public Refused(String problem) {
            super(problem);
        }
    }

    private BoundedRead() {
    }

    /** {@link #bytes(Path, int, Links)} with the definition bound, following a link (the user's input). */
    public static byte[] definition(Path file) throws IOException {
        return bytes(file, DEFINITION_MAX, Links.FOLLOW);
    }

    /**
     * {@link #definition} as UTF-8 text, strictly like {@code Files.readString}: bytes that are not UTF-8 are a
     * {@link java.nio.charset.CharacterCodingException}. A unit file, for a reader that wants text.
     */
    public static String definitionText(Path file) throws IOException {
        return java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(definition(file)))
                .toString();
    }

    /**
     * The bytes of {@code file}, at most {@code max} of them.
     *
     * @throws NoSuchFileException when there is nothing at the path (or a link leads nowhere)
     * @throws Refused             when it is not a regular file, or is larger than {@code max}
     * @throws IOException         when it cannot be read
     */
    public static byte[] bytes(Path file, int max, Links links) throws IOException {
        long size = requireRegular(file, links);
        if (size > max) {
            throw new Refused(tooLarge(size, max));
        }
        OpenOption[] opts = links == Links.NOFOLLOW
                ? new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS}
                : new OpenOption[] {StandardOpenOption.READ};
        try (SeekableByteChannel ch = Files.newByteChannel(file, opts)) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min((long) max + 1, Math.max(size, 0) + 1));
            while (true) {
                if (!buf.hasRemaining()) {
                    if (buf.capacity() > max) {
                        throw new Refused(tooLarge(buf.capacity(), max)); // it grew while heph read it
                    }
                    ByteBuffer bigger = ByteBuffer.allocate((int) Math.min((long) max + 1, buf.capacity() * 2L));
                    buf.flip();
                    bigger.put(buf);
                    buf = bigger;
                }
                if (ch.read(buf) < 0) {
                    break;
                }
            }
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }

    /**
     * Checks, without opening it, that {@code file} is a regular file (following a link only with
     * {@link Links#FOLLOW}); returns its size.
     *
     * @throws NoSuchFileException when there is nothing at the path
     * @throws Refused             naming what it is instead
     */
    public static long requireRegular(Path file, Links links) throws IOException {
        LinkOption[] opts = links == Links.NOFOLLOW ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS}
                : new LinkOption[0];
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(file, "unix:mode,size", opts);
        } catch (NoSuchFileException e) {
            if (links == Links.FOLLOW && Files.isSymbolicLink(file)) {
                throw new Refused("is a symlink to nothing (" + target(file) + "), not a regular file");
            }
            throw e;
        }
        String kind = kind((Integer) attrs.get("mode"));
        if (kind != null) {
            throw new Refused("is " + kind + ", not a regular file");
        }
        return (Long) attrs.get("size");
    }

    /** Whether {@code file} is a regular file (links followed), for a quiet look; never opens it. */
    public static boolean isRegular(Path file) {
        try {
            requireRegular(file, Links.FOLLOW);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** What a file of this mode is, or null for a regular file. */
    public static String kind(int mode) {
        return switch (mode & S_IFMT) {
            case 0100000 -> null;
            case 0040000 -> "a directory";
            case 0010000 -> "a FIFO (named pipe)";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            case 0120000 -> "a symlink";
            default -> "not a file heph knows (mode " + Integer.toOctalString(mode) + ")";
        };
    }

    /** "is larger than 1 MB (N bytes), …": completes "{@code <file>: }". */
    public static String tooLarge(long size, long max) {
        return "is larger than " + (max >= 1 << 20 && max % (1 << 20) == 0 ? (max >> 20) + " MB" : max + " bytes")
                + " (" + size + " bytes), more than any real one holds";
    }

    private static String target(Path link) {
        try {
            return "-> " + Files.readSymbolicLink(link);
        } catch (IOException e) {
            return "dangling";
        }
    }

    /** Refuses when {@code file} (not followed) exists and is anything but a regular file: for paths heph owns. */
    public static void requireRegularOrAbsent(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            requireRegular(file, Links.NOFOLLOW);
        }
    }
}
