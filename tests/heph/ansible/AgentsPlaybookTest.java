package heph.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.SimOptions;
import heph.sim.Simulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/ansible/agents.yml run by a real {@code ansible-playbook} against the launchd simulator, as
 * {@link AnsiblePlaybookTest} runs hephd.yml: a dotfiles folder converged (changed), again (unchanged, only reads),
 * a dropped agent pruned in check mode (the pending change reported, nothing touched), for real (changed), again
 * (unchanged); one broken file fails the host with its own message while the other agents converge.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@org.junit.jupiter.api.Tag("ansible")
class AgentsPlaybookTest {
    @TempDir
    Path dir;
    Simulator sim;
    AnsiblePlaybookTest ansible;

    @BeforeAll
    static void findAnsiblePlaybook() {
        AnsiblePlaybookTest.findAnsiblePlaybook();
    }

    @BeforeEach
    void start() {
        sim = Simulator.start(SimOptions.in(dir.resolve("sim")).withSeed(53).withCleanupLagMs(200, 400));
        ansible = new AnsiblePlaybookTest();
        ansible.dir = dir;
    }

    @AfterEach
    void close() {
        sim.close();
    }

    Path agent(Path folder, String name) throws IOException {
        Files.createDirectories(folder);
        Path p = folder.resolve(name + ".plist");
        Files.writeString(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
                + "\t<key>Label</key>\n\t<string>org.example." + name + "</string>\n"
                + "\t<key>ProgramArguments</key>\n\t<array><string>/bin/sleep</string><string>10000</string></array>\n"
                + "\t<key>KeepAlive</key>\n\t<true/>\n</dict>\n</plist>\n");
        return p;
    }

    AnsiblePlaybookTest.Play play(Map<String, Object> vars, String... more) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("heph_command", AnsiblePlaybookTest.hephCommand());
        all.putAll(vars);
        List<String> args = new ArrayList<>(List.of("-i", "localhost,", "-c", "local",
                AnsiblePlaybookTest.playbook("agents.yml").toString()));
        args.addAll(List.of(more));
        return ansible.play(AnsiblePlaybookTest.simEnv(sim), all, args.toArray(new String[0]));
    }

    boolean running(String name) {
        return sim.runningPid("org.example." + name).isPresent();
    }

    @Test
    void convergesAFolderThenPrunesWhatItDroppedInCheckModeThenForReal() throws IOException {
        Path dotfiles = dir.resolve("dotfiles");
        agent(dotfiles, "a");
        agent(dotfiles, "b");
        Map<String, Object> vars = AnsiblePlaybookTest.vars("heph_agents_dir", dotfiles.toString(), "heph_prune", true);

        AnsiblePlaybookTest.Play first = play(vars).ok("localhost", 1);
        assertTrue(running("a") && running("b"), first.toString());
        assertTrue(first.out().contains("ok     org.example.a: org.example.a started"), first.toString());

        sim.clearCalls();
        play(vars).ok("localhost", 0);
        AnsiblePlaybookTest.assertOnlyReads(sim, "the second run");

        Files.delete(dotfiles.resolve("b.plist"));
        sim.clearCalls();
        AnsiblePlaybookTest.Play check = play(vars, "--check").ok("localhost", 1);
        assertTrue(check.out().contains("TASK [agents | heph apply " + dotfiles + " --dry-run]"),
                "heph ran with --dry-run:\n" + check);
        assertTrue(check.out().contains("would change 0 of 1 service(s), 1 to remove"), check.toString());
        assertTrue(check.out().contains("org.example.b: not in " + dotfiles + " any more; prune: uninstall would"
                + " stop org.example.b"), check.toString());
        AnsiblePlaybookTest.assertOnlyReads(sim, "--check");
        assertTrue(running("b"), "--check touches nothing");
        assertTrue(Files.exists(sim.launchAgents().resolve("org.example.b.plist")));

        AnsiblePlaybookTest.Play prune = play(vars).ok("localhost", 1);
        assertFalse(running("b"), prune.toString());
        assertFalse(Files.exists(sim.launchAgents().resolve("org.example.b.plist")));
        assertTrue(running("a"));
        assertTrue(prune.out().contains("ok     org.example.b: org.example.b: not in " + dotfiles + " any more;"),
                prune.toString());

        sim.clearCalls();
        play(vars).ok("localhost", 0);
        AnsiblePlaybookTest.assertOnlyReads(sim, "after the prune");
        play(vars, "--check").ok("localhost", 0);
    }

    @Test
    void oneBrokenAgentFailsTheHostWithItsMessageAndTheOthersConverge() throws IOException {
        Path dotfiles = dir.resolve("dotfiles");
        agent(dotfiles, "a");
        Files.writeString(dotfiles.resolve("broken.plist"), "<plist><dict><key>Label</key></dict>");
        AnsiblePlaybookTest.Play r = play(AnsiblePlaybookTest.vars("heph_agents_dir", dotfiles.toString()));
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.recap("localhost").failed(), r.toString());
        assertTrue(r.out().contains("heph apply failed (exit 1): " + dotfiles.resolve("broken.plist")), r.toString());
        assertTrue(r.out().contains("FAILED " + dotfiles.resolve("broken.plist")), r.toString());
        assertTrue(running("a"), "the other agent converged");

        AnsiblePlaybookTest.Play unset = play(AnsiblePlaybookTest.vars());
        assertEquals(2, unset.exit(), unset.toString());
        assertTrue(unset.out().contains("heph_agents_dir: not set"), unset.toString());
    }
}
