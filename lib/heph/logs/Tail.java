package heph.logs;

import heph.fs.BoundedRead;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines of a file, read backwards in blocks from its end (a log may be large; only what is shown is read).
 * A final line without its newline is included. Invalid UTF-8 is replaced, never fatal. Lines are shown safely
 * ({@link #shown}): at most {@link #MAX_LINE} characters each, control characters other than tab as '?'.
 */
public final class Tail {
    static final int BLOCK = 8192;
    /** The most of a log's end that is read for its last lines. */
    static final int MAX_TAIL = 8 << 20;
    /** The most characters of one line that are shown (a "line" of a sparse file's NULs may be megabytes). */
    public static final int MAX_LINE = 4096;

    private Tail() {
    }

    /** The last lines, oldest first, and the size that was read up to. */
    public record Lines(List<String> lines, long size) {
    }

    /**
     * The last {@code n} lines (fewer when the file has fewer), oldest first, and the size that was read up to. At
     * most the last {@link #MAX_TAIL} bytes are looked at (a log without newlines may be gigabytes). A FIFO, a device
     * or a folder at the path is refused ({@link BoundedRead.Refused}) before it is opened: it would block or never end.
     */
    public static Lines last(Path file, int n) throws IOException {
        BoundedRead.requireRegular(file, BoundedRead.Links.FOLLOW);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            if (n <= 0 || size == 0) {
                return new Lines(List.of(), size);
            }
            long floor = Math.max(0, size - MAX_TAIL);
            long pos = size;
            int newlines = 0;
            long from = floor;
            byte[] buf = new byte[BLOCK];
            search:
            while (pos > floor) {
                int len = (int) Math.min(BLOCK, pos - floor);
                pos -= len;
                f.seek(pos);
                f.readFully(buf, 0, len);
                for (int i = len - 1; i >= 0; i--) {
                    if (buf[i] == '\n') {
                        if (pos + i == size - 1) {
                            continue; // the file's final newline ends the last line, it does not start one
                        }
                        if (++newlines == n) {
                            from = pos + i + 1;
                            break search;
                        }
                    }
                }
            }
            f.seek(from);
            byte[] tail = new byte[(int) (size - from)];
            f.readFully(tail);
            return new Lines(split(new String(tail, StandardCharsets.UTF_8)), size);
        }
    }

    /** Complete and final lines of {@code text}, without their newlines. Pure. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(shown(text, start, i));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(shown(text, start, text.length()));
        }
        return out;
    }

    /**
     * {@code text[from, to)} as a line fit for a terminal: its first {@link #MAX_LINE} characters (then
     * "... (N characters)"), each control character other than tab (NUL, ESC, a carriage return...) as '?'. Pure.
     */
    static String shown(String text, int from, int to) {
        int end = Math.min(to, from + MAX_LINE);
        StringBuilder b = new StringBuilder(end - from);
        for (int i = from; i < end; i++) {
            char c = text.charAt(i);
            b.append(c != '\t' && (Character.isISOControl(c)) ? '?' : c);
        }
        if (to > end) {
            b.append("... (").append(to - from).append(" characters)");
        }
        return b.toString();
    }
}
