package heph.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.doctor.Subject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("unit")
class LogsTest {
    @TempDir
    Path dir;

    @Test
    void tailReadsTheLastLinesAcrossBlocks() throws Exception {
        Path f = dir.resolve("a.log");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            b.append("line ").append(i).append('\n');
        }
        Files.writeString(f, b);
        Tail.Lines t = Tail.last(f, 3);
        assertEquals(List.of("line 4997", "line 4998", "line 4999"), t.lines());
        assertEquals(Files.size(f), t.size());
        assertEquals(5000, Tail.last(f, 100_000).lines().size(), "fewer lines than asked: all of them");
        Files.writeString(f, "one\ntwo\nno newline yet");
        assertEquals(List.of("two", "no newline yet"), Tail.last(f, 2).lines());
        Files.writeString(f, "");
        assertEquals(List.of(), Tail.last(f, 5).lines());
        assertEquals(List.of(), Tail.last(dir.resolve("a.log"), 0).lines());
    }

    @Test
    void followPrintsAppendedLinesAndReadsATruncatedOrRotatedFileFromItsStart() throws Exception {
        Path out = dir.resolve("out.log");
        Path err = dir.resolve("err.log");
        Files.writeString(out, "old\n");
        List<String> lines = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Follower f = new Follower(List.of(new LogFile("out", out), new LogFile("err", err)), Map.of(), lines::add,
                notes::add);
        f.pollOnce();
        assertEquals(List.of(), lines, "starts at the end: old lines were shown by the tail");
        Files.writeString(out, "a\npart", StandardOpenOption.APPEND);
        f.pollOnce();
        assertEquals(List.of("out | a"), lines, "a partial line waits for its newline");
        Files.writeString(out, "ial\n", StandardOpenOption.APPEND);
        Files.writeString(err, "boom\n"); // appears after following started
        f.pollOnce();
        assertEquals(List.of("out | a", "out | partial", "err | boom"), lines);

        Files.writeString(out, "x\n"); // truncated and rewritten, shorter than before
        f.pollOnce();
        assertEquals("out | x", lines.get(lines.size() - 1));
        assertEquals(List.of(out + " was truncated: reading it from its start"), notes);

        Path rotated = dir.resolve("out.log.1");
        Files.move(out, rotated);
        Files.writeString(out, "fresh line that is longer than before\n");
        f.pollOnce();
        assertEquals("out | fresh line that is longer than before", lines.get(lines.size() - 1));
        assertTrue(notes.get(notes.size() - 1).contains("was replaced (rotated?)"), notes.toString());
    }

    @Test
    void systemdOutputFilesComeFromTheUnitElseTheJournal() throws Exception {
        Path unit = dir.resolve("heph.service");
        Subject s = new Subject("org.hephaestus.hephd", dir.resolve("x.plist"), "gui/501", "heph.service", unit);
        assertEquals(new AgentLogs.Sources(List.of(), true, ""), AgentLogs.systemd(s), "not installed: journal");
        Files.writeString(unit, "[Service]\nExecStart=/bin/hephd\nStandardOutput=append:/var/log/h.log\n");
        assertEquals(List.of(new LogFile("o+e", Path.of("/var/log/h.log"))), AgentLogs.systemd(s).files(),
                "StandardError= inherits stdout's file");
        assertEquals(false, AgentLogs.systemd(s).journal());
        Files.writeString(unit, "[Service]\nExecStart=/bin/hephd\nStandardOutput=file:/l/o.log\n"
                + "StandardError=journal\n");
        AgentLogs.Sources both = AgentLogs.systemd(s);
        assertEquals(List.of(new LogFile("out", Path.of("/l/o.log"))), both.files());
        assertEquals(true, both.journal(), "stderr still goes to the journal");
        assertEquals(Optional.empty(), AgentLogs.fileOf("journal"));
        assertEquals(Optional.of(Path.of("/t/x")), AgentLogs.fileOf("truncate:/t/x"));
        assertEquals(Optional.empty(), AgentLogs.fileOf("append:relative"));
    }
}
