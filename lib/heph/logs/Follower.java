package heph.logs;

import heph.fs.BoundedRead;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code heph logs -f}: polls each file's size (every {@link #POLL_MS}) and prints what was appended, line by line,
 * each marked; a partial last line waits for its newline. A file that shrank (truncated) or was replaced (another
 * file key: rotated, or deleted and created again) is read again from its start, and a note says so. A file that
 * does not exist yet is picked up when it appears.
 */
public final class Follower {
    public static final long POLL_MS = 250;
    private static final int MAX_READ = 1 << 20;

    private final Map<LogFile, State> files = new LinkedHashMap<>();
    private final Consumer<String> out;
    private final Consumer<String> note;

    private static final class State {
        long offset;
        Object key;
        String refused; // what was last said about a path that is no regular file, to say it once
        final StringBuilder partial = new StringBuilder();
    }

    /** Starts at {@code offsets} (what was already shown; absent = the file's current size, or 0 if missing). */
    public Follower(List<LogFile> logs, Map<Path, Long> offsets, Consumer<String> out, Consumer<String> note) {
        this.out = out;
        this.note = note;
        for (LogFile l : logs) {
            State st = new State();
            st.key = key(l.path());
            st.offset = offsets.getOrDefault(l.path(), size(l.path()));
            files.put(l, st);
        }
    }

    /** Polls until {@code stop} says so (the CLI: never; Ctrl-C ends the JVM). */
    public void run(BooleanSupplier stop) throws InterruptedException {
        while (!stop.getAsBoolean()) {
            pollOnce();
            Thread.sleep(POLL_MS);
        }
    }

    /** One round over every file: prints what was appended since the last round. */
    public void pollOnce() {
        for (Map.Entry<LogFile, State> e : files.entrySet()) {
            poll(e.getKey(), e.getValue());
        }
    }

    private void poll(LogFile l, State st) {
        Path p = l.path();
        if (!Files.exists(p)) {
            return;
        }
        try {
            BoundedRead.requireRegular(p, BoundedRead.Links.FOLLOW); // a FIFO would block the follower for good
            st.refused = null;
        } catch (IOException e) {
            if (!Objects.equals(st.refused, e.getMessage())) {
                note.accept("cannot read " + p + ": " + e.getMessage());
            }
            st.refused = e.getMessage();
            return;
        }
        Object key = key(p);
        long size = size(p);
        if (!Objects.equals(key, st.key) && st.key != null) {
            note.accept(p + " was replaced (rotated?): reading the new file from its start");
            st.offset = 0;
            st.partial.setLength(0);
        } else if (size < st.offset) {
            note.accept(p + " was truncated: reading it from its start");
            st.offset = 0;
            st.partial.setLength(0);
        }
        st.key = key;
        if (size <= st.offset) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            int len = (int) Math.min(size - st.offset, MAX_READ);
            byte[] buf = new byte[len];
            f.seek(st.offset);
            f.readFully(buf);
            st.offset += len;
            st.partial.append(new String(buf, StandardCharsets.UTF_8));
        } catch (IOException e) {
            note.accept("cannot read " + p + ": " + e.getMessage());
            return;
        }
        List<String> complete = new ArrayList<>();
        int nl;
        while ((nl = st.partial.indexOf("\n")) >= 0) {
            complete.add(st.partial.substring(0, nl));
            st.partial.delete(0, nl + 1);
        }
        for (String line : complete) {
            out.accept(AgentLogs.mark(l.mark(), line));
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Object key(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
