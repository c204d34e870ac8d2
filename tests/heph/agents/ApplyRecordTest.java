package heph.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of what a folder's apply installed: parsed strictly, read without following links or blocking. */
@org.junit.jupiter.api.Tag("unit")
class ApplyRecordTest {
    @TempDir
    Path dir;

    static final ApplyRecord RECORD = new ApplyRecord("/home/me/dotfiles/agents", List.of(
            new ApplyRecord.Entry("org.me.sync", "sync.plist", "/home/me/Library/LaunchAgents/org.me.sync.plist",
                    "ab12"),
            new ApplyRecord.Entry("b.service", "b.service", "/home/me/.config/systemd/user/b.service", null)));

    @Test
    void roundTrips() {
        assertEquals(RECORD, ApplyRecord.parse(RECORD.toJson()));
    }

    @Test
    void anythingElseIsRefusedNamingWhatWasExpected() {
        for (String[] bad : List.of(
                new String[] {"[]", "expected a JSON object"},
                new String[] {"{\"version\": 2, \"dir\": \"/x\", \"agents\": []}", "expected \"version\": 1"},
                new String[] {"{\"version\": 1, \"agents\": []}", "expected \"dir\": a string"},
                new String[] {"{\"version\": 1, \"dir\": \"/x\", \"agents\": {}}", "expected \"agents\": a list"},
                new String[] {"{\"version\": 1, \"dir\": \"/x\", \"agents\": [{\"label\": \"a\", \"source\": \"a.plist\","
                        + " \"file\": \"rel/a.plist\"}]}", "expected an absolute file and a bare source name for a"},
                new String[] {"{\"version\": 1, \"dir\": \"/x\", \"agents\": [{\"label\": \"a\", \"source\": \"../a\","
                        + " \"file\": \"/a.plist\"}]}", "expected an absolute file and a bare source name for a"},
                new String[] {"{\"version\": 1, \"dir\": \"/x\", \"agents\": [{\"label\": 3}]}",
                        "expected \"label\": a string"})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApplyRecord.parse(bad[0]),
                    bad[0]);
            assertEquals(bad[1], e.getMessage(), bad[0]);
        }
        assertThrows(RuntimeException.class, () -> ApplyRecord.parse("{\"version\": 1, \"dir\": "));
    }

    @Test
    void aLinkAFifoAndAnAbsentFileHaveNoHashAndNothingIsReadThroughThem() throws Exception {
        Path file = Files.writeString(dir.resolve("a.plist"), "x");
        assertEquals(ApplyRecord.sha256("x".getBytes()), ApplyRecord.sha256Of(file));
        Path link = Files.createSymbolicLink(dir.resolve("link.plist"), file);
        assertNull(ApplyRecord.sha256Of(link));
        assertNull(ApplyRecord.sha256Of(dir.resolve("absent.plist")));
        Path fifo = dir.resolve("fifo.plist");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertTrue(ApplyRecord.readBounded(fifo).isEmpty(), "a FIFO is never opened (it would block)");
        Files.write(file, new byte[ApplyRecord.MAX_BYTES + 1]);
        assertThrows(java.io.IOException.class, () -> ApplyRecord.readBounded(file));
    }
}
