package heph.sim;

import static heph.sim.SimHarness.LABEL;
import static heph.sim.SimHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The user/&lt;uid&gt; domain beside gui/&lt;uid&gt; (docs/facts/launchd-facts.md §13): over ssh (no GUI session) gui/ answers 125 to
 * bootstrap and 112 to print, while {@code bootstrap user/<uid>} succeeds silently with exit 0 (homebrew-services
 * 528); the two domains hold separate jobs (§2: bootout of a gui job through user/ answers 3); print-disabled is the
 * same set in both (§6).
 */
@org.junit.jupiter.api.Tag("simulator")
class UserDomainTest extends SimTestSupport {
    @Test
    void withoutAGuiSessionTheUserDomainStillLoadsRunsAndUnloads() {
        start();
        sim.knobs().noGuiDomain(true);
        Path plist = h.plist(LABEL);
        String user = sim.userDomain();
        assertEquals(List.of(125, ""), List.of(h.lc("bootstrap", sim.domain(), plist.toString()).exitCode(),
                h.lc("bootstrap", sim.domain(), plist.toString()).stdout()));
        assertEquals(112, h.lc("print", h.target(LABEL)).exitCode());

        ExecResult boot = h.lc("bootstrap", user, plist.toString());
        assertEquals(List.of(0, "", ""), List.of(boot.exitCode(), boot.stdout(), boot.stderr()), "silent success");
        await("running in user/", () -> h.lc("print", user + "/" + LABEL).stdout().contains("\tstate = running\n"),
                Duration.ofSeconds(20));
        ExecResult print = h.lc("print", user + "/" + LABEL);
        assertEquals(0, print.exitCode());
        assertTrue(print.stdout().startsWith(user + "/" + LABEL + " = {\n"), print.stdout());
        assertTrue(print.stdout().contains("\tstate = running\n"), print.stdout());
        assertEquals(5, h.lc("bootstrap", user, plist.toString()).exitCode(), "§1: already loaded there");

        assertEquals(0, h.lc("kickstart", "-k", user + "/" + LABEL).exitCode());
        assertEquals(0, h.lc("bootout", user + "/" + LABEL).exitCode());
        await("unloaded", () -> h.lc("print", user + "/" + LABEL).exitCode() == 113, Duration.ofSeconds(20));
    }

    @Test
    void theTwoDomainsHoldSeparateJobsAndShareTheOverrides() {
        start();
        Path plist = h.plist(LABEL);
        assertEquals(0, h.lc("bootstrap", sim.domain(), plist.toString()).exitCode());
        String user = sim.userDomain();
        assertEquals(113, h.lc("print", user + "/" + LABEL).exitCode(), "not loaded in user/");
        assertEquals(3, h.lc("bootout", user + "/" + LABEL).exitCode(), "§2: wrong domain -> 3");
        assertEquals(0, h.lc("disable", user + "/other.job").exitCode());
        assertEquals(h.lc("print-disabled", sim.domain()).stdout(), h.lc("print-disabled", user).stdout());
        assertTrue(h.lc("print-disabled", user).stdout().contains("\"other.job\" => disabled"));
        assertEquals(0, h.lc("bootout", h.target(LABEL)).exitCode());
    }
}
