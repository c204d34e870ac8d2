package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGINT/SIGTERM to a heph process during a systemd reload (the unit written, daemon-reload, restart, verification,
 * put-back): heph finishes the reload, then exits 128 + signal, and hephd runs the new definition. The systemctl
 * restart is held in flight with the fake's hang knob, so the signal lands inside the reload deterministically.
 */
@org.junit.jupiter.api.Tag("faults")
class SystemdInterruptTest extends SystemdHephBaseTest {
    private static final long BOUND_MS = 60_000;

    @ParameterizedTest(name = "SIG{0} -> exit {1}")
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalDuringTheRestartIsHeldUntilTheNewDefinitionRuns(String signal, int exit) throws Exception {
        assertEquals(0, heph("start").exit());
        long oldPid = mainPid();
        sim.knobs().hang("restart");

        Process heph = launch(List.of(), "restart", "--self-update-interval-secs", "900");
        Supplier<Optional<ProcessHandle>> call = () -> restartCall();
        await("systemctl restart in flight", () -> call.get().isPresent());
        kill(signal, Long.toString(heph.pid()));
        // the signal is handled (held) while the call still hangs: release it only once heph has said so
        await("heph holding SIG" + signal, () -> read("heph.err").contains("got SIG" + signal + " during the reload"));
        sim.knobs().release("restart");
        int code = waitFor(heph);

        String err = read("heph.err");
        assertEquals(exit, code, err);
        assertTrue(err.contains("got SIG" + signal + " during the reload; finishing it first"), err);
        assertTrue(err.contains("reload finished; exiting on SIG" + signal), err);
        assertNewDefinitionRuns(oldPid, "900");
    }

    /**
     * A Ctrl-C in a terminal reaches the whole process group: heph and the systemctl it runs. The killed call
     * (exit 130 as Java sees it) is run again, not taken as systemd's answer.
     */
    @ParameterizedTest(name = "Ctrl-C while systemctl {0} runs")
    @CsvSource({"restart"})
    void ctrlCToTheProcessGroupKillsTheSystemctlCallAndHephRunsItAgain(String verb) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "needs setsid(1) for a process group of its own");
        assertEquals(0, heph("start").exit());
        long oldPid = mainPid();
        sim.knobs().hang(verb);

        Process heph = launch(List.of("/usr/bin/setsid"), "restart", "--self-update-interval-secs", "901");
        await("systemctl " + verb + " in flight", () -> restartCall().isPresent());
        ProcessHandle call = restartCall().orElseThrow();
        kill("INT", "-" + heph.pid()); // the group, as the terminal does
        await("the systemctl call killed", () -> !call.isAlive());
        sim.knobs().release(verb);
        int code = waitFor(heph);

        String err = read("heph.err");
        assertEquals(130, code, err);
        assertTrue(err.contains("' was killed by the signal (exit 130); running it again"), err);
        assertNewDefinitionRuns(oldPid, "901");
    }

    private void assertNewDefinitionRuns(long oldPid, String interval) throws IOException {
        assertTrue(Files.readString(unitFile()).contains("--self-update-interval-secs " + interval));
        List<String> argv = daemonArgv();
        int i = argv.indexOf("--self-update-interval-secs");
        assertTrue(i >= 0 && argv.get(i + 1).equals(interval), argv.toString());
        assertTrue(mainPid() != oldPid);
        assertEquals("active/running", sim.systemd().state(UNIT).orElse("?"));
        assertEquals(0, heph("status").exit());
    }

    private Optional<ProcessHandle> restartCall() {
        String shim = sim.bin("systemctl").toString();
        return ProcessHandle.allProcesses().filter(p -> {
            String cl = p.info().commandLine().orElse("");
            return cl.contains(shim) && cl.contains(" restart ");
        }).findFirst();
    }

    private Process launch(List<String> prefix, String... args) throws IOException {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "heph.cli.Main"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(sim.home().toFile())
                .redirectOutput(dir.resolve("heph.out").toFile()).redirectError(dir.resolve("heph.err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    private int waitFor(Process p) throws InterruptedException {
        try {
            if (!p.waitFor(BOUND_MS, TimeUnit.MILLISECONDS)) {
                fail("heph did not exit within " + BOUND_MS + " ms; stderr so far:\n" + read("heph.err"));
            }
            return p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }

    private String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void kill(String signal, String target) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-s", signal, "--", target).inheritIO().start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
            fail("kill -" + signal + " " + target + " failed");
        }
    }

    private static void await(String what, BooleanSupplier done) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for: " + what);
            }
            pause(20);
        }
    }
}
