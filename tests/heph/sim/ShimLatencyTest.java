package heph.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import heph.proc.ExecResult;
import heph.proc.ZtExecRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shim is plain bash over /dev/tcp: no JVM per call. Prints latency; asserts only correctness. */
@org.junit.jupiter.api.Tag("simulator")
class ShimLatencyTest {
    @Test
    void printsTheMedianShimLatencyOverThirtyCalls(@TempDir Path dir) {
        ZtExecRunner runner = new ZtExecRunner();
        try (Simulator sim = Simulator.start(SimOptions.in(dir))) {
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                long t0 = System.nanoTime();
                ExecResult r = runner.run(List.of(sim.launchctl().toString(), "print-disabled", sim.domain()),
                        Duration.ofSeconds(10));
                micros.add((System.nanoTime() - t0) / 1000);
                assertEquals(0, r.exitCode(), r.stderr());
            }
            List<Long> sorted = micros.stream().sorted().toList();
            System.out.printf("shim latency over 30 calls (process start included): median %.1f ms, max %.1f ms%n",
                    sorted.get(15) / 1000.0, sorted.get(29) / 1000.0);
            assertEquals(30, sim.calls().size());
        }
    }

    @Test
    void aShimWhoseSimulatorIsGoneSaysSoInOneLineAndExits1(@TempDir Path dir) {
        Simulator sim = Simulator.start(SimOptions.in(dir));
        sim.close();
        sim.close(); // idempotent
        ExecResult r = new ZtExecRunner().run(List.of(sim.launchctl().toString(), "print", sim.domain()),
                Duration.ofSeconds(10));
        assertEquals(List.of(1, "", 1L), List.of(r.exitCode(), r.stdout(), r.stderr().lines().count()));
    }
}
