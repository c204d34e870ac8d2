package heph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import heph.service.ServiceStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `heph status` text: crash loop and starting after the state, last signal / exit reason only when reported. */
@org.junit.jupiter.api.Tag("unit")
class StatusTextTest {
    static ServiceStatus st(String state, String exit, Long runs, String signal, String reason, boolean loop,
                            boolean starting) {
        return new ServiceStatus("launchd", "org.hephaestus.hephd", true, true, state, null, exit, runs, "/bin/hephd",
                List.of("/bin/hephd"), "/p.plist", "/o.log", "/e.log", "/s.sock", null, signal, reason, loop,
                starting);
    }

    static List<String> text(ServiceStatus st) {
        StringWriter w = new StringWriter();
        StatusText.print(st, new PrintWriter(w, true));
        return w.toString().lines().toList();
    }

    @Test
    void crashLoopIsSaidAfterTheState() { // docs/facts/launchd-facts.md §13, real-launchctl print-21
        List<String> lines = text(st("spawn scheduled", "1", 17169L, null, null, true, false));
        assertEquals("state:          spawn scheduled (crash loop: runs 17169, last exit code 1)", lines.get(4));
        assertEquals("last exit code: 1", lines.get(6));
        assertEquals("runs:           17169", lines.get(7), "no signal/reason lines when launchd printed none");
    }

    @Test
    void signalAndExitReasonAreShownWhenThereIsNoExitCode() { // docs/facts/launchd-facts.md §13, print-07 and print-03
        List<String> signal = text(st("running", null, 2L, "Terminated: 15", null, false, false));
        assertEquals("last exit code: -", signal.get(6));
        assertEquals("last signal:    Terminated: 15", signal.get(7));
        List<String> reason = text(st("not running", null, 1L, null, "JETSAM_REASON_MEMORY_IDLE_EXIT", false, false));
        assertEquals("exit reason:    JETSAM_REASON_MEMORY_IDLE_EXIT", reason.get(7));
        assertEquals("state:          spawn scheduled (crash loop: runs 5, last signal Killed: 9)",
                text(st("spawn scheduled", null, 5L, "Killed: 9", null, true, false)).get(4));
    }

    @Test
    void transitionalStateIsShownAsStarting() { // docs/facts/launchd-facts.md §13 `state = xpcproxy`
        assertEquals("state:          xpcproxy (starting)", text(st("xpcproxy", null, 1L, null, null, false, true))
                .get(4));
        assertEquals("state:          running", text(st("running", null, 1L, null, null, false, false)).get(4));
    }

    @Test
    void theOtherDomainIsALineAfterLoadedOnlyWhenTheLabelIsLoadedThere() { // docs/domains.md
        ServiceStatus here = st("not loaded", null, null, null, null, false, false);
        assertEquals("state:          not loaded", text(here).get(4));
        List<String> lines = text(here.withOtherDomain(new ServiceStatus.Elsewhere("user/501", 42L), "h"));
        assertEquals(List.of("loaded:         yes", "other domain:   user/501 (pid 42)", "state:          not loaded"),
                lines.subList(3, 6));
        assertEquals("other domain:   gui/501 (not running)", text(here.withOtherDomain(
                new ServiceStatus.Elsewhere("gui/501", null), "h")).get(4));
    }
}
