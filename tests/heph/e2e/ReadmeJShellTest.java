package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.SimOptions;
import heph.support.Repo;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's three-line JShell session, run as written by the JDK's jshell against the simulator. */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class ReadmeJShellTest {
    @TempDir
    Path dir;

    static List<String> readmeLines() throws Exception {
        return Files.readAllLines(Repo.root().resolve("README.md")).stream()
                .filter(l -> l.startsWith("jshell> "))
                .map(l -> l.substring("jshell> ".length()))
                .toList();
    }

    @Test
    void theReadmeSessionRestartsHephdInPlace() throws Exception {
        List<String> lines = readmeLines();
        assertEquals(3, lines.size(), "README shows a three-line JShell session: " + lines);
        try (HephInSim h = new HephInSim(SimOptions.in(dir).withSeed(3))) {
            assertEquals(0, h.heph("start").exit());
            long before = h.sim.runningPid("org.hephaestus.hephd").getAsLong();

            Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
            ProcessBuilder pb = new ProcessBuilder(jshell.toString(), "-q", "--execution",
                    ExamplesJShellTest.JSHELL_EXECUTION,
                    "--class-path", System.getProperty("java.class.path"))
                    .redirectErrorStream(true);
            pb.environment().putAll(h.env);
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write((String.join("\n", lines) + "\n/exit\n").getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jshell did not finish");
            assertTrue(out.contains("Outcome[action=restart, path=kickstart, changed=true, oldPid=" + before),
                    out);
            long after = h.sim.runningPid("org.hephaestus.hephd").getAsLong();
            assertTrue(after != before, "a fresh pid");
        }
    }
}
