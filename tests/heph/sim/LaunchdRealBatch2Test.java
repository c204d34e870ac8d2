package heph.sim;

import static heph.sim.SimHarness.LABEL;
import static heph.sim.SimHarness.await;
import static heph.sim.SimHarness.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import heph.support.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Process-level, through the real bin/launchctl shim: the simulator reproduces, from its own code, what the second
 * batch of real launchctl outputs shows (tests/fixtures/real-launchctl/INDEX.md section E): print-disabled in the
 * pre-macOS 13 true/false style (print-32/33), a gui domain that does not exist (err-51: 64 and the
 * {@code Unrecognized domain-target specifier.} usage for every verb), an invalid plist's 133 without a code line
 * (err-52), a spawn that fails with an exit reason and {@code job state = spawn failed} (print-43, section D), and a
 * KeepAlive respawn after exit 0 with {@code job state = exited} (print-41).
 */
@org.junit.jupiter.api.Tag("simulator")
class LaunchdRealBatch2Test extends SimTestSupport {
    static String fixture(String name) {
        try {
            return Files.readString(Repo.root().resolve("tests/fixtures/real-launchctl").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void printDisabledBeforeMacOS13SaysTrueOrFalseInThatLayout() {
        start();
        h.lc("disable", h.target("a.label"));
        h.lc("enable", h.target("b.label"));
        sim.knobs().printDisabledTrueFalse(true);
        ExecResult r = h.lc("print-disabled", sim.domain());
        assertEquals(0, r.exitCode());
        assertEquals("disabled services = {\n\t\"a.label\" => true\n\t\"b.label\" => false\n}\n", r.stdout());
        // the layout of the real print-33 (12.6.5): its block, lines 3-10, without the entries' names
        String real = fixture("print-33-print-disabled-system-true-false-monterey12.6.5-mergen1.txt");
        List<String> lines = real.lines().toList().subList(2, 12);
        assertEquals("disabled services = {", lines.get(0));
        assertEquals("}", lines.get(lines.size() - 1));
        for (String l : lines.subList(1, lines.size() - 1)) {
            assertTrue(l.matches("\t\"[^\"]+\" => (true|false)"), l);
        }
        assertEquals(r.stdout().lines().toList().get(0), lines.get(0));
        sim.knobs().printDisabledTrueFalse(false);
        assertTrue(h.lc("print-disabled", sim.domain()).stdout().contains("\t\t\"a.label\" => disabled\n"));
    }

    @Test
    void aGuiDomainThatDoesNotExistIsAnUnrecognizedDomainTargetForEveryVerb() {
        start();
        sim.knobs().guiDomainUnrecognized(true);
        Path plist = h.plist(LABEL);
        String gui = sim.domain();
        List<List<String>> calls = List.of(List.of("enable", h.target(LABEL)), List.of("disable", h.target(LABEL)),
                List.of("bootstrap", gui, plist.toString()), List.of("bootout", h.target(LABEL)),
                List.of("kickstart", "-k", h.target(LABEL)), List.of("print", h.target(LABEL)), List.of("print", gui),
                List.of("print-disabled", gui));
        for (List<String> c : calls) {
            ExecResult r = h.lc(c.toArray(new String[0]));
            assertEquals(64, r.exitCode(), c + ": " + r.stderr());
            assertEquals("", r.stdout(), c.toString());
            String usage = "Usage: launchctl " + c.get(0) + " ";
            assertTrue(r.stderr().startsWith("Unrecognized domain-target specifier.\nPlease refer to `man launchctl`"
                    + " for explanation of the domain-target specifiers.\n" + usage), c + ": " + r.stderr());
        }
        // err-51 lines 3-5, byte for byte: what `enable gui/502/...` printed for a user without a GUI login
        String real = fixture("err-51-enable-gui502-unrecognized-domain-target-specifier-usage-exit64-headless-user"
                + "-brew6439.txt");
        String realStderr = String.join("\n", real.lines().toList().subList(2, 5)) + "\n";
        assertEquals(realStderr, h.lc("enable", h.target(LABEL)).stderr());
        assertTrue(sim.spawns(LABEL).isEmpty(), "nothing was bootstrapped");
        // user/<uid> is another domain and exists (docs/facts/launchd-facts.md §13)
        assertEquals(0, h.lc("bootstrap", sim.userDomain(), plist.toString()).exitCode());
        assertEquals(0, h.lc("print", sim.userDomain() + "/" + LABEL).exitCode());
    }

    @Test
    void anInvalidPlistFailsBootstrapWith133AndOnlyItsOwnLine() throws IOException {
        start();
        Path bad = sim.launchAgents().resolve("org.broken.plist");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict><key>Label</key>\n");
        ExecResult modern = h.lc("bootstrap", sim.domain(), bad.toString());
        assertEquals(5, modern.exitCode(), "default: everything collapses to 5 as a user (§1)");
        sim.knobs().invalidPlistExit133(true);
        ExecResult r = h.lc("bootstrap", sim.domain(), bad.toString());
        assertEquals(133, r.exitCode());
        assertEquals(bad + ": Invalid property list\n", r.stderr()); // err-52: no `Bootstrap failed:` line
        assertEquals("", r.stdout());
        assertEquals(0, h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString()).exitCode(),
                "a valid plist still loads");
    }

    @Test
    void aSpawnThatFailsShowsTheExitReasonAndJobStateSpawnFailed() {
        start();
        sim.knobs().spawnFailureReason("OS_REASON_CODESIGNING");
        h.lc("bootstrap", sim.domain(), h.plist(LABEL, List.of("--mode", "local"), map("ThrottleInterval", 1))
                .toString());
        await("two failed spawns", () -> h.lc("print", h.target(LABEL)).stdout().contains("\truns = 2\n"),
                Duration.ofSeconds(20));
        String print = h.lc("print", h.target(LABEL)).stdout();
        assertTrue(print.contains("\tlast exit reason = OS_REASON_CODESIGNING\n"), print);
        assertFalse(print.contains("last exit code"), print);
        assertTrue(print.contains("\tjob state = spawn failed\n"), print);
        assertFalse(print.contains("\tpid = "), print);
        assertTrue(sim.spawns(LABEL).isEmpty(), "no process ever ran");
        sim.knobs().spawnFailureReason(null);
        assertEquals(0, h.lc("kickstart", h.target(LABEL)).exitCode());
        long pid = sim.runningPid(LABEL).orElseThrow();
        String running = h.lc("print", h.target(LABEL)).stdout();
        assertTrue(running.contains("\tpid = " + pid + "\n") && running.contains("\tjob state = running\n"), running);
    }

    @Test
    void keepAliveRespawnAfterExitZeroShowsJobStateExited() {
        start();
        h.lc("bootstrap", sim.domain(), h.plist(LABEL, List.of("--mode", "local"), map("ThrottleInterval", 600))
                .toString());
        long pid = ((Number) h.awaitInfo().get("pid")).longValue();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: the sample daemon exits 0
        await("spawn scheduled", () -> sim.state(LABEL).orElse("").equals("spawn scheduled"), Duration.ofSeconds(20));
        String print = h.lc("print", h.target(LABEL)).stdout();
        assertTrue(print.contains("\tstate = spawn scheduled\n"), print);
        assertTrue(print.contains("\tlast exit code = 0\n"), print);
        assertTrue(print.contains("\tjob state = exited\n"), print);
        assertTrue(print.contains("\truns = 1\n"), print);
    }
}
