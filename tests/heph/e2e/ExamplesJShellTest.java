package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.SimOptions;
import heph.support.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each examples/*.jsh run by the JDK's jshell, as its header says, against the simulator. */
class ExamplesJShellTest {
    @TempDir
    Path dir;

    static String jshell(Path script, Map<String, String> env) throws Exception {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        ProcessBuilder pb = new ProcessBuilder(jshell.toString(), "-q", "--class-path",
                System.getProperty("java.class.path"), script.toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "jshell did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void everyExampleIsCovered() throws Exception {
        try (var files = Files.list(Repo.root().resolve("examples"))) {
            // ansible/: the playbooks, run by heph.ansible.AnsiblePlaybookTest
            assertEquals(List.of("ansible", "restart-and-wait-ready.jsh", "status-table.jsh"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void restartAndWaitReady() throws Exception {
        try (HephInSim h = new HephInSim(SimOptions.in(dir).withSeed(41))) {
            assertEquals(0, h.heph("start").exit());
            long before = h.sim.runningPid("org.hephaestus.hephd").getAsLong();
            String out = jshell(Repo.root().resolve("examples/restart-and-wait-ready.jsh"), h.env);
            long after = h.sim.runningPid("org.hephaestus.hephd").getAsLong();
            assertTrue(after != before, "a fresh pid");
            assertTrue(out.contains("restarted org.hephaestus.hephd by kickstart: pid " + before + " -> " + after
                    + ", ready on " + h.socket()), out);
        }
    }

    @Test
    void statusTable() throws Exception {
        try (HephInSim h = new HephInSim(SimOptions.in(dir).withSeed(42))) {
            assertEquals(0, h.heph("start").exit());
            long pid = h.sim.runningPid("org.hephaestus.hephd").getAsLong();
            Map<String, String> env = new java.util.HashMap<>(h.env);
            env.put("HEPH_LABELS", "org.hephaestus.hephd,org.example.absent");
            List<String> lines = jshell(Repo.root().resolve("examples/status-table.jsh"), env).lines()
                    .filter(l -> !l.isBlank()).toList();
            assertEquals(3, lines.size(), lines.toString());
            assertTrue(lines.get(0).matches("name +running +state +pid +runs +last exit"), lines.get(0));
            assertTrue(lines.get(1).matches("org\\.hephaestus\\.hephd +yes +running +" + pid + " +1 +.*"),
                    lines.get(1));
            assertTrue(lines.get(2).matches("org\\.example\\.absent +no +not loaded +- +- +-"), lines.get(2));
        }
    }
}
