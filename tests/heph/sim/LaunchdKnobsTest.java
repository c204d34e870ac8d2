package heph.sim;

import static heph.sim.SimHarness.EIO;
import static heph.sim.SimHarness.LABEL;
import static heph.sim.SimHarness.await;
import static heph.sim.SimHarness.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.CommandTimeoutException;
import heph.proc.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Process-level, through the real bin/launchctl shim: Knobs (hang, failNext, noGuiDomain, alreadyLoadedCode) and
 * launchctl's answers to bad input ("General rules", §8).
 */
@org.junit.jupiter.api.Tag("simulator")
class LaunchdKnobsTest extends SimTestSupport {
    @Test
    void aHungVerbBlocksTheShimUntilReleased() {
        // Knobs.hang: a launchctl that never answers (docs/facts/launchd-facts.md §2 `bootout --wait` "may block indefinitely")
        start();
        sim.knobs().hang("print");
        List<String> argv = List.of(sim.launchctl().toString(), "print", h.target("x"));
        assertThrows(CommandTimeoutException.class,
                () -> h.runner.run(argv, Duration.ofMillis(700)));
        await("shim process gone", () -> ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine()
                .orElse("").contains(sim.launchctl().toString())), Duration.ofSeconds(5));
        assertEquals(0, h.lc("print-disabled", sim.domain()).exitCode()); // other verbs still answer
        sim.knobs().release("print");
        assertEquals(113, h.lc("print", h.target("x")).exitCode());
    }

    @Test
    void failNextAnswersTheVerbsFailureFormWithoutActing() {
        start();
        Path plist = h.plist(LABEL, List.of(), map("RunAtLoad", false, "KeepAlive", false));
        sim.knobs().failNext("bootstrap", 2, 5);
        assertEquals(List.of(5, "", EIO), outcome(h.lc("bootstrap", sim.domain(), plist.toString())));
        assertEquals(5, h.lc("bootstrap", sim.domain(), plist.toString()).exitCode());
        assertEquals(0, h.lc("bootstrap", sim.domain(), plist.toString()).exitCode());
        sim.knobs().failNext("bootout", 1, 36); // docs/facts/launchd-facts.md §2 old macOS EINPROGRESS
        assertEquals(List.of(36, "", "Boot-out failed: 36: Operation now in progress\n"),
                outcome(h.lc("bootout", h.target(LABEL))));
        assertEquals("not running", sim.state(LABEL).orElseThrow()); // the failed call did nothing
        sim.knobs().failNext("kickstart", 1, 37);
        assertEquals(List.of(37, "", "Could not kickstart service \"" + LABEL + "\": 37: Operation already in"
                + " progress\n"), outcome(h.lc("kickstart", "-k", h.target(LABEL)))); // §4 other failure
        sim.knobs().alreadyLoadedCode(37); // §1 older macOS, uncertainty 1
        assertEquals(List.of(37, "", "Bootstrap failed: 37: Operation already in progress\n"),
                outcome(h.lc("bootstrap", sim.domain(), plist.toString())));
    }

    @Test
    void withoutAGuiDomainBootstrapAndBootoutAnswer125AndPrint112() {
        start(SimOptions.in(dir).withNoGuiDomain(true));
        Path plist = h.plist(LABEL, List.of(), map("RunAtLoad", false, "KeepAlive", false));
        // docs/facts/launchd-facts.md §1 gui domain not usable; §2 125; §3 domain missing -> 112
        assertEquals(List.of(125, "", "Bootstrap failed: 125: Domain does not support specified action\n"),
                outcome(h.lc("bootstrap", sim.domain(), plist.toString())));
        assertEquals(125, h.lc("bootout", h.target(LABEL)).exitCode());
        assertEquals(List.of(112, "", "Could not find domain for user gui: " + sim.uid() + "\n"),
                outcome(h.lc("print", h.target(LABEL))));
        sim.knobs().noGuiDomain(false);
        assertEquals(0, h.lc("bootstrap", sim.domain(), plist.toString()).exitCode());
    }

    @Test
    void unknownLabelsUidsSpecifiersAndSubcommandsAnswerLikeLaunchctl() {
        start();
        assertEquals(List.of(113, "", noService("no.such")), outcome(h.lc("print", h.target("no.such")))); // §3
        assertEquals(List.of(112, "", "Could not find domain for user gui: " + (sim.uid() + 1) + "\n"),
                outcome(h.lc("print", "gui/" + (sim.uid() + 1) + "/x"))); // §3 other uid
        assertEquals(List.of(3, "", "Boot-out failed: 3: No such process\n"),
                outcome(h.lc("bootout", h.target("no.such")))); // §2 not loaded
        ExecResult badSpec = h.lc("bootout", "nonsense"); // General rules: bad specifier -> 64 + usage
        assertEquals(64, badSpec.exitCode());
        assertTrue(badSpec.stderr().endsWith("Usage: launchctl bootout <domain-target> [service-path1,"
                + " service-path2, ...] | <service-target>\n"), badSpec.stderr());
        ExecResult unknown = h.lc("frobnicate"); // General rules: unknown subcommand -> 1
        assertEquals(List.of(1, "Unrecognized subcommand: frobnicate\n"), List.of(unknown.exitCode(), unknown.stderr()));
        assertTrue(unknown.stdout().startsWith("Usage: launchctl <subcommand> ... | help [subcommand]\n"));
        assertEquals(64, h.lc("kickstart").exitCode());
        assertEquals(List.of(0, "113: Could not find specified service\n", ""), outcome(h.lc("error", "113"))); // §8
        assertEquals(List.of(113, 112, 3, 64, 1, 64, 0), sim.calls().stream().map(Call::exitCode).toList());
    }
}
