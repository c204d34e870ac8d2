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
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class ExamplesJShellTest {
    @TempDir
    Path dir;

    /**
     * jshell runs the snippets in a second JVM and gives it 5 s to connect back, each of its three ways to start
     * it ("Accept timed out" on a loaded machine, and the script prints nothing); the same way with 60 s.
     */
    static final String JSHELL_EXECUTION = "jdi:hostname(localhost),timeout(60000)";

    static String jshell(Path script, Map<String, String> env) throws Exception {
        return jshell(script, env, 0);
    }

    /**
     * Runs the script with stdin closed (/dev/null): it must end by itself with {@code exit}, never leave a jshell
     * prompt, and never cascade into exceptions of snippets after the one that failed.
     */
    static String jshell(Path script, Map<String, String> env, int exit) throws Exception {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        ProcessBuilder pb = new ProcessBuilder(jshell.toString(), "-q", "--execution", JSHELL_EXECUTION, "--class-path",
                System.getProperty("java.class.path"), script.toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "jshell did not finish: " + out);
        assertEquals(exit, p.exitValue(), out);
        assertTrue(!out.contains("jshell>") && !out.contains("Exception"), out);
        return out;
    }

    @Test
    void everyExampleIsCovered() throws Exception {
        try (var files = Files.list(Repo.root().resolve("examples"))) {
            // ansible/: the playbooks, run by heph.ansible.AnsiblePlaybookTest
            assertEquals(List.of("ansible", "apply-dotfiles.jsh", "restart-and-wait-ready.jsh", "status-table.jsh"),
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

    @Test
    void applyDotfilesDryRunFirstThenForReal() throws Exception {
        try (HephInSim h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(43))) {
            Path dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
            String label = "org.example.sync";
            Files.writeString(dotfiles.resolve(label + ".plist"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<plist version=\"1.0\">\n<dict>\n\t<key>Label</key>\n\t<string>" + label + "</string>\n"
                    + "\t<key>ProgramArguments</key>\n\t<array>\n\t\t<string>" + h.sim.hephd() + "</string>\n"
                    + "\t\t<string>--socket</string>\n\t\t<string>" + h.sim.home().resolve("sync.sock")
                    + "</string>\n\t</array>\n\t<key>KeepAlive</key>\n\t<true/>\n</dict>\n</plist>\n");
            Map<String, String> env = new java.util.HashMap<>(h.env);
            env.put("HEPH_DOTFILES", dotfiles.toString());
            String out = jshell(Repo.root().resolve("examples/apply-dotfiles.jsh"), env);
            Path installed = h.sim.launchAgents().resolve(label + ".plist");
            int plan = out.indexOf("heph: dry run: start would start " + label + " (not loaded)\n");
            int diff = out.indexOf("--- /dev/null\n+++ b" + installed + "\n");
            int summary = out.indexOf("dry run: apply " + dotfiles + " would change 1 of 1 service(s)");
            int applied = out.indexOf("ok     " + label + ": start: " + label + " started");
            assertTrue(plan >= 0 && diff > plan && summary > diff && applied > summary, out);
            assertTrue(out.contains("applied " + dotfiles + ": 1 service(s), 1 changed, 0 failed"), out);
            assertTrue(h.sim.runningPid(label).isPresent(), "applied for real");
            assertTrue(Files.exists(installed));

            // the file dropped from the folder: HEPH_PRUNE=1 plans its removal, then stops and removes it
            Files.delete(dotfiles.resolve(label + ".plist"));
            env.put("HEPH_PRUNE", "1");
            String pruned = jshell(Repo.root().resolve("examples/apply-dotfiles.jsh"), env);
            assertTrue(pruned.contains("heph: dry run: " + label + ": not in " + dotfiles + " any more; prune:"
                    + " uninstall would stop " + label), pruned);
            assertTrue(pruned.contains("ok     " + label + ": removed: " + label + ": not in " + dotfiles
                    + " any more; " + label + " uninstalled"), pruned);
            assertTrue(h.sim.runningPid(label).isEmpty(), "pruned");
            assertTrue(!Files.exists(installed));
        }
    }

    @Test
    void applyDotfilesOfAMissingFolderExitsTwoWithOneLine() throws Exception {
        try (HephInSim h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(44))) {
            Map<String, String> env = new java.util.HashMap<>(h.env);
            env.put("HEPH_DOTFILES", dir.resolve("absent").toString());
            String out = jshell(Repo.root().resolve("examples/apply-dotfiles.jsh"), env, 2);
            assertEquals(List.of("heph: apply: " + dir.resolve("absent") + " is not a folder; expected a folder of"
                    + " *.plist files"), out.lines().filter(l -> !l.isBlank()).toList());
        }
    }

    @Test
    void applyDotfilesThatCannotBePlannedExitsOneAndAppliesNothing() throws Exception {
        try (HephInSim h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(45))) {
            Path dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
            Files.writeString(dotfiles.resolve("org.example.bad.plist"), "not a plist");
            Map<String, String> env = new java.util.HashMap<>(h.env);
            env.put("HEPH_DOTFILES", dotfiles.toString());
            String out = jshell(Repo.root().resolve("examples/apply-dotfiles.jsh"), env, 1);
            assertTrue(out.contains("not applying: fix the files above first"), out);
            assertTrue(h.sim.calls().stream().allMatch(c -> c.verb().equals("print")), "nothing applied");
        }
    }

    @Test
    void aFailedRestartExitsOne() throws Exception {
        try (HephInSim h = new HephInSim(SimOptions.in(dir).withSeed(46))) {
            Map<String, String> env = new java.util.HashMap<>(h.env);
            env.put("HEPH_LAUNCHCTL", "/bin/false");
            String out = jshell(Repo.root().resolve("examples/restart-and-wait-ready.jsh"), env, 1);
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, lines.size(), out);
            assertTrue(lines.get(0).startsWith("heph: "), out);
        }
    }

    @Test
    void aStatusTableWithABadLabelExitsTwo() throws Exception {
        try (HephInSim h = new HephInSim(SimOptions.in(dir).withSeed(47))) {
            Map<String, String> env = new java.util.HashMap<>(h.env);
            env.put("HEPH_LABELS", "org.hephaestus.hephd,org/evil");
            List<String> lines = jshell(Repo.root().resolve("examples/status-table.jsh"), env, 2).lines()
                    .filter(l -> !l.isBlank()).toList();
            assertEquals(3, lines.size(), lines.toString());
            assertTrue(lines.get(1).startsWith("org.hephaestus.hephd "), lines.toString());
            assertTrue(lines.get(2).startsWith("heph: --label: 'org/evil' is not valid"), lines.toString());
        }
    }
}
