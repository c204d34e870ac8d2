package heph.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.fs.BoundedRead;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log path that is a FIFO hung `logs` and `logs -f` for good; a log without newlines was read whole. */
@org.junit.jupiter.api.Tag("unit")
class HostileLogFilesTest {
    static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    Path fifo() throws Exception {
        Path p = dir.resolve("out.log");
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        assertTrue(mk.waitFor(30, TimeUnit.SECONDS) && mk.exitValue() == 0);
        return p;
    }

    @Test
    void tailRefusesAFifoWithoutOpeningIt() throws Exception {
        Path p = fifo();
        BoundedRead.Refused e = assertTimeoutPreemptively(BOUND,
                () -> assertThrows(BoundedRead.Refused.class, () -> Tail.last(p, 10)));
        assertEquals("is a FIFO (named pipe), not a regular file", e.getMessage());
    }

    /** -f polls every 250 ms: a FIFO is said once, not on every round, and never opened. */
    @Test
    void followSaysOnceThatAFifoCannotBeReadAndGoesOn() throws Exception {
        Path p = fifo();
        Path other = Files.writeString(dir.resolve("err.log"), "");
        List<String> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Follower f = new Follower(List.of(new LogFile("out", p), new LogFile("err", other)), Map.of(p, 0L),
                out::add, notes::add);
        assertTimeoutPreemptively(BOUND, () -> {
            f.pollOnce();
            Files.writeString(other, "hello\n");
            f.pollOnce();
        });
        assertEquals(List.of("cannot read " + p + ": is a FIFO (named pipe), not a regular file"), notes);
        assertEquals(List.of("err | hello"), out);
    }

    /** A sparse 4 GB log with one line at its end: only the last 8 MB are looked at, the line is found. */
    @Test
    void aHugeLogWithoutNewlinesIsTailedFromItsLastMegabytes() throws Exception {
        Path p = dir.resolve("big.log");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(4L << 30);
            f.seek(f.length());
            f.write("x\nlast line\n".getBytes(StandardCharsets.UTF_8));
        }
        Tail.Lines t = Tail.last(p, 1);
        assertEquals(List.of("last line"), t.lines());
        // the last 8 MB: one "line" of NULs (and the x), shown as its first characters, not 8 MB on the terminal
        Tail.Lines all = Tail.last(p, 5);
        assertEquals(List.of("?".repeat(Tail.MAX_LINE) + "... (" + (Tail.MAX_TAIL - 11) + " characters)",
                "last line"), all.lines());
    }

    /** Control characters a terminal would act on are shown as '?'; a tab and other text stay. */
    @Test
    void controlCharactersInALogLineAreShownAsQuestionMarks() throws Exception {
        Path p = dir.resolve("ctl.log");
        Files.write(p, "a\u0000b\u001b[31mred\tcol\r\n\u00e9t\u00e9\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("a?b?[31mred\tcol?", "\u00e9t\u00e9"), Tail.last(p, 10).lines());
    }
}
