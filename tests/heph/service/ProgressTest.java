package heph.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** the waiting line is drawn only on a terminal, after a second, and erased at the end. */
@org.junit.jupiter.api.Tag("unit")
class ProgressTest {
    @Test
    void renderShowsNothingUnderASecondThenTheTimeWithOneDecimal() {
        assertEquals("", Progress.render("waiting for launchd to let go of org.hephaestus.hephd", 999));
        assertEquals("\rheph: waiting for launchd to let go of org.hephaestus.hephd\u2026 1.8 s\u001b[K",
                Progress.render("waiting for launchd to let go of org.hephaestus.hephd", 1800));
        assertEquals("\rheph: x\u2026 12.0 s\u001b[K", Progress.render("x", 12_000));
        assertEquals("\r\u001b[K", Progress.clear());
    }

    @Test
    void withoutATerminalNothingIsPrinted() {
        StringWriter sw = new StringWriter();
        Progress p = Progress.on(new PrintWriter(sw), false);
        assertSame(Progress.OFF, p);
        assertEquals(42, p.during("waiting", () -> {
            sleep(300);
            return 42;
        }));
        assertEquals("", sw.toString());
        assertSame(Progress.OFF, Progress.current(), "nothing installed: off");
    }

    @Test
    void onATerminalALongWaitDrawsTheLineAndErasesIt() {
        StringWriter sw = new StringWriter();
        AtomicLong now = new AtomicLong(0);
        Progress p = Progress.on(new PrintWriter(sw), now::get);
        String result = p.during("waiting for systemd to stop heph.service", () -> {
            now.set(2_500); // the wait has lasted 2.5 s by the clock
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!sw.toString().contains("2.5 s") && System.nanoTime() < deadline) {
                sleep(20);
            }
            return "done";
        });
        assertEquals("done", result);
        String text = sw.toString();
        assertTrue(text.startsWith("\rheph: waiting for systemd to stop heph.service\u2026 2.5 s\u001b[K"), text);
        assertTrue(text.endsWith("\r\u001b[K"), "erased at the end: " + text);
    }

    @Test
    void aShortWaitOnATerminalPrintsNothing() {
        StringWriter sw = new StringWriter();
        Progress p = Progress.on(new PrintWriter(sw), () -> 0L);
        p.during("waiting", () -> {
            sleep(250);
            return null;
        });
        assertEquals("", sw.toString());
    }

    @Test
    void terminalDetectionHonoursDumbTermAndTheOptOut() {
        assertFalse(Progress.stderrIsTerminal(Map.of("TERM", "dumb")));
        assertFalse(Progress.stderrIsTerminal(Map.of("HEPH_PROGRESS", "0")));
        // the test runner's stderr is a pipe or a file, never a terminal
        assertFalse(Progress.stderrIsTerminal(Map.of()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
