package heph.faults;

import static heph.faults.FaultHarness.LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.faults.FaultHarness.HephProcess;
import heph.faults.FaultHarness.Run;
import heph.sim.Call;
import heph.sim.SimOptions;
import heph.sim.daemon.SampleDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * heph killed with SIGKILL at seeded random points of the reload path, then `heph start`: exactly one daemon runs,
 * the plist parses and carries the flags, `status` exits 0. When the kill landed between bootout and bootstrap
 * (docs/facts/launchd-facts.md §2: bootout went through, so the label is gone once it drained), `status` says so before the
 * repair.
 */
@org.junit.jupiter.api.Tag("faults")
class KillTrialsTest extends FaultTest {
    static final int TRIALS = 20;
    static final long SEED = 20240905L;
    static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void aSigkillAnywhereInTheReloadIsRepairedByTheNextStart() {
        h = new FaultHarness(SimOptions.in(dir).withSeed(SEED).withCleanupLagMs(200, 700));
        h.sim.daemonProperty(SampleDaemon.SHUTDOWN_MS, "300"); // a daemon that takes a moment to exit on SIGTERM
        assertEquals(0, h.heph("start", "--self-update-interval-secs", "1000").code());

        // Calibration: one unkilled restart as a process; kills are drawn between its first launchctl call and
        // its exit, so they land in the reload path whatever this machine's JVM start-up costs.
        long t0 = System.currentTimeMillis();
        Run calibration = h.launch("restart", "--self-update-interval-secs", "1001").await(BOUND);
        assertEquals(0, calibration.code(), calibration.toString());
        long firstCall = h.sim.calls().stream().filter(c -> c.startMs() >= t0).mapToLong(Call::startMs).min()
                .orElseThrow() - t0;
        long from = Math.max(0, firstCall - 100);
        long to = Math.max(from + 1, calibration.millis());

        Random random = new Random(SEED);
        int between = 0;
        int leftTemp = 0;
        List<String> log = new ArrayList<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            String interval = Integer.toString(1002 + trial);
            List<String> before = h.plistArgs();
            long delay = from + (long) (random.nextDouble() * (to - from));
            h.sim.clearCalls();
            HephProcess heph = h.launch("restart", "--self-update-interval-secs", interval);
            FaultHarness.sleep(delay);
            heph.kill9();
            h.awaitNoShims(); // an orphaned launchctl call of the killed heph still finishes
            h.awaitSettled(); // and a bootout it issued drains
            List<String> calls = h.verbs();
            boolean loadedAgain = h.sim.calls().stream()
                    .anyMatch(c -> c.verb().equals("bootstrap") && c.exitCode() == 0);

            leftTemp += tempFiles().isEmpty() ? 0 : 1;
            boolean unloaded = h.sim.state(LABEL).isEmpty();
            if (unloaded) {
                between++;
                assertTrue(calls.contains("bootout") && !loadedAgain, calls.toString());
                Run status = h.heph("status");
                assertEquals(3, status.code(), status.toString());
                assertTrue(status.out().contains("installed but not loaded — run heph start"), status.out());
            }
            Run start = h.heph("start");
            assertEquals(0, start.code(), "trial " + trial + " (kill after " + delay + " ms): " + start);

            List<String> args = h.plistArgs(); // parses
            assertTrue(args.equals(before) || args.containsAll(List.of("--self-update-interval-secs", interval)),
                    "trial " + trial + ": " + args);
            assertEquals(args, h.theDaemon().argv(), "trial " + trial);
            assertEquals(0, h.heph("status").code(), "trial " + trial);
            assertEquals(List.of(), tempFiles(), "trial " + trial);
            log.add(delay + "ms:" + (unloaded ? "unloaded" : calls.contains("bootout") ? "reloaded" : "untouched"));
        }
        h.assertNeverTwoAtOnce();
        System.out.printf("kill trials: %d, killed between bootout and bootstrap: %d, killed while writing the"
                + " plist: %d, kill window %d-%d ms; trials %s%n", TRIALS, between, leftTemp, from, to, log);
        assertTrue(between > 0, "no kill landed between bootout and bootstrap: " + log);
    }

    @Test
    void theTempFileOfAKilledWriterIsRemovedByTheNextStartEvenWithNothingToChange() throws Exception {
        h = new FaultHarness(SimOptions.in(dir).withSeed(SEED + 1).withCleanupLagMs(200, 300));
        assertEquals(0, h.heph("start").code());
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = h.sim.launchAgents().resolve("." + LABEL + ".plist." + gone.pid() + ".123.tmp");
        Path live = h.sim.launchAgents().resolve("." + LABEL + ".plist." + ProcessHandle.current().pid() + ".9.tmp");
        Files.writeString(dead, "<?xml half a plist");
        Files.writeString(live, "<?xml another writer's");
        Run start = h.heph("start", "--json");
        assertEquals("none", start.json().get("path"), start.toString());
        assertEquals(List.of(live), tempFiles(), "only the dead writer's temp file is removed");
        Files.delete(live);
    }

    private List<Path> tempFiles() {
        try (Stream<Path> s = Files.list(h.sim.launchAgents())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
