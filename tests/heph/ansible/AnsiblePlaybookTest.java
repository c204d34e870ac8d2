package heph.ansible;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import heph.json.Json;
import heph.proc.ZtExecRunner;
import heph.sim.Call;
import heph.sim.SimHarness;
import heph.sim.SimOptions;
import heph.sim.Simulator;
import heph.sim.daemon.DaemonRpc;
import heph.support.Repo;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/ansible/hephd.yml and hephd-rolling.yml run by a real {@code ansible-playbook} (Debian's ansible-core;
 * .ci/run installs it) against the launchd simulator: {@code -i localhost, -c local} with the simulator's exports in
 * ansible-playbook's environment, and for the rolling play two "hosts", each its own
 * simulator, reached through {@code heph_environment}. heph runs as this checkout's {@code heph.cli.Main} on the
 * test JVM's class path (no JBang per task). Skipped, with the reason printed, where ansible-playbook is missing.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@org.junit.jupiter.api.Tag("ansible")
class AnsiblePlaybookTest {
    static final Duration PLAY_TIMEOUT = Duration.ofSeconds(150);
    static final String LABEL = SimHarness.LABEL;
    /** launchctl verbs that only read (docs/facts/launchd-facts.md §3, §6, §7, §8): everything else changes launchd's state. */
    static final Set<String> READ_ONLY = Set.of("print", "print-disabled", "list", "error", "help", "version",
            "blame", "dumpstate");
    static final String INTERVAL = "--self-update-interval-secs";
    static final Pattern RECAP = Pattern.compile("(?m)^(\\S+)\\s+:\\s+ok=(\\d+)\\s+changed=(\\d+)\\s+"
            + "unreachable=(\\d+)\\s+failed=(\\d+)\\s+skipped=(\\d+)");

    static Path ansiblePlaybook;

    @TempDir
    Path dir;
    final List<Simulator> sims = new ArrayList<>();

    record Recap(int ok, int changed, int unreachable, int failed) {
    }

    record Play(List<String> argv, int exit, String out, String err) {
        Optional<Recap> recapOf(String host) {
            Matcher m = RECAP.matcher(out);
            while (m.find()) {
                if (m.group(1).equals(host)) {
                    return Optional.of(new Recap(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                            Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))));
                }
            }
            return Optional.empty();
        }

        Recap recap(String host) {
            return recapOf(host).orElseThrow(() -> new AssertionError("no PLAY RECAP line for " + host + "\n"
                    + this));
        }

        /** Exit 0, and the host's recap: no failure, {@code changed} as given. */
        Play ok(String host, int changed) {
            assertEquals(0, exit, "ansible-playbook failed:\n" + this);
            Recap r = recap(host);
            assertEquals(0, r.failed(), this.toString());
            assertEquals(changed, r.changed(), host + " changed=" + r.changed() + ", expected " + changed + "\n"
                    + this);
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", argv) + " -> exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void findAnsiblePlaybook() {
        List<String> path = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        path.add("/usr/bin");
        ansiblePlaybook = path.stream().filter(p -> !p.isEmpty()).map(p -> Path.of(p, "ansible-playbook"))
                .filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(ansiblePlaybook != null, "ansible-playbook not found on PATH (Debian: apt-get install"
                + " ansible-core; .ci/run installs it when it can): the Ansible playbook tests are skipped");
    }

    @AfterEach
    void closeSimulators() {
        sims.forEach(Simulator::close);
    }

    Simulator sim(String name, long seed) {
        Simulator sim = Simulator.start(SimOptions.in(dir.resolve(name)).withSeed(seed).withCleanupLagMs(200, 500));
        sims.add(sim);
        return sim;
    }

    /** What `heph sim` prints as exports: with these, heph on "the host" talks to the simulator. */
    static Map<String, String> simEnv(Simulator sim) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", sim.home().toString());
        env.put("HEPH_BACKEND", "launchd");
        env.put("HEPH_LAUNCHCTL", sim.launchctl().toString());
        env.put("HEPH_SYSTEMCTL", sim.bin("systemctl").toString());
        env.put("HEPH_HEPHD", sim.hephd().toString());
        env.put("XDG_RUNTIME_DIR", sim.systemd().runtimeDir().toString());
        return env;
    }

    /** This checkout's heph, started straight on the test JVM's class path. */
    static List<String> hephCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "heph.cli.Main");
    }

    static Path playbook(String name) {
        Path p = Repo.root().resolve("examples/ansible").resolve(name);
        assertTrue(Files.isRegularFile(p), "missing " + p);
        return p;
    }

    /**
     * ansible-playbook {@code args} in {@code dir}, with {@code hostEnv} on top of a small environment, and
     * {@code vars} as a JSON extra-vars file; bounded by {@link #PLAY_TIMEOUT} (the whole process tree killed).
     */
    Play play(Map<String, String> hostEnv, Map<String, Object> vars, String... args) {
        try {
            Path run = Files.createTempDirectory(dir, "play-");
            Files.createDirectories(dir.resolve("ansible-home/.ansible"));
            Path varsFile = run.resolve("vars.json");
            Files.writeString(varsFile, Json.write(vars));
            List<String> argv = new ArrayList<>();
            argv.add(ansiblePlaybook.toString());
            Collections.addAll(argv, args);
            argv.add("-e");
            argv.add("@" + varsFile);
            ProcessBuilder pb = new ProcessBuilder(argv).directory(run.toFile())
                    .redirectOutput(run.resolve("stdout").toFile()).redirectError(run.resolve("stderr").toFile());
            Map<String, String> env = pb.environment();
            env.clear();
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("LC_ALL", "C.UTF-8"); // ansible-core refuses a locale that is not UTF-8
            env.put("LANG", "C.UTF-8");
            env.put("HOME", dir.resolve("ansible-home").toString());
            env.put("ANSIBLE_HOME", dir.resolve("ansible-home/.ansible").toString());
            env.put("ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-tmp").toString());
            env.put("ANSIBLE_REMOTE_TEMP", dir.resolve("ansible-tmp").toString());
            env.put("ANSIBLE_NOCOLOR", "1");
            env.put("ANSIBLE_RETRY_FILES_ENABLED", "false");
            env.put("ANSIBLE_PYTHON_INTERPRETER", "auto_silent");
            env.put("ANSIBLE_CONFIG", run.resolve("no-ansible.cfg").toString());
            env.putAll(hostEnv);
            Process p = pb.start();
            if (!p.waitFor(PLAY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                ZtExecRunner.killTree(p.toHandle());
                fail("ansible-playbook did not finish within " + PLAY_TIMEOUT.toSeconds() + " s (killed): " + argv
                        + "\n" + Files.readString(run.resolve("stdout")));
            }
            return new Play(argv, p.exitValue(), Files.readString(run.resolve("stdout")),
                    Files.readString(run.resolve("stderr")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** ansible-playbook -i localhost, -c local hephd.yml, in the simulator's environment. */
    Play local(Simulator sim, Map<String, Object> vars, String... more) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("heph_command", hephCommand());
        all.putAll(vars);
        List<String> args = new ArrayList<>(List.of("-i", "localhost,", "-c", "local",
                playbook("hephd.yml").toString()));
        Collections.addAll(args, more);
        return play(simEnv(sim), all, args.toArray(new String[0]));
    }

    static Map<String, Object> vars(Object... kv) {
        return SimHarness.map(kv);
    }

    static Path plist(Simulator sim) {
        return sim.launchAgents().resolve(LABEL + ".plist");
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long pid(Simulator sim) {
        return sim.runningPid(LABEL).orElseThrow(() -> new AssertionError("hephd is not running in the simulator"));
    }

    @SuppressWarnings("unchecked")
    static List<String> daemonArgv(Simulator sim) {
        return (List<String>) new SimHarness(sim).awaitInfo().get("argv");
    }

    static void assertOnlyReads(Simulator sim, String when) {
        List<String> mutating = sim.calls().stream().filter(c -> !READ_ONLY.contains(c.verb()))
                .map(Call::commandLine).toList();
        assertEquals(List.of(), mutating, when + ": no launchctl call may change launchd's state");
    }

    @Test
    void startsOnceThenDoesNothingThenAppliesANewFlag() {
        Simulator sim = sim("sim", 13);
        local(sim, vars()).ok("localhost", 1);
        long first = pid(sim);
        assertFalse(daemonArgv(sim).contains(INTERVAL), "no interval baked yet: " + daemonArgv(sim));
        byte[] plist = bytes(plist(sim));

        sim.clearCalls();
        Play again = local(sim, vars()).ok("localhost", 0);
        assertTrue(again.recap("localhost").ok() > 0, again.toString());
        assertTrue(again.out().contains("already running"), "heph's own message is shown:\n" + again);
        assertOnlyReads(sim, "the second run");
        assertEquals(first, pid(sim), "the same daemon");
        assertArrayEquals(plist, bytes(plist(sim)), "the plist is untouched");

        local(sim, vars("hephd_flags", List.of(INTERVAL, "600"))).ok("localhost", 1);
        long second = pid(sim);
        assertNotEquals(first, second, "a new daemon runs the new definition");
        List<String> argv = daemonArgv(sim);
        int at = argv.indexOf(INTERVAL);
        assertTrue(at >= 0 && "600".equals(argv.get(at + 1)), "the daemon's own argv has the flag: " + argv);
        assertTrue(new String(bytes(plist(sim)), StandardCharsets.UTF_8).contains("<string>600</string>"),
                "baked into the plist");
    }

    /** Needs heph's --dry-run; fails until it exists, with heph's "Unknown option: '--dry-run'". */
    @Test
    void checkModeReportsThePendingChangeAndTouchesNothing() {
        Simulator sim = sim("sim", 17);
        local(sim, vars("hephd_flags", List.of(INTERVAL, "600"))).ok("localhost", 1);
        long pid = pid(sim);
        byte[] plist = bytes(plist(sim));
        Path loaded = sim.home().resolve(".local/state/heph/loaded/" + LABEL + ".plist");
        byte[] loadedCopy = bytes(loaded);

        sim.clearCalls();
        Play check = local(sim, vars("hephd_flags", List.of(INTERVAL, "900")), "--check", "--diff");
        assertFalse(check.out().contains("Unknown option: '--dry-run'"), "this heph has no --dry-run yet:"
                + " check mode needs it\n" + check);
        check.ok("localhost", 1);
        assertTrue(check.out().contains("heph start --dry-run"), "heph ran with --dry-run:\n" + check);
        assertArrayEquals(plist, bytes(plist(sim)), "--check: the plist is untouched, byte for byte");
        assertArrayEquals(loadedCopy, bytes(loaded), "--check: heph's copy of the loaded plist is untouched");
        assertOnlyReads(sim, "--check");
        assertEquals(pid, pid(sim), "--check: the same daemon runs on");
        List<String> argv = daemonArgv(sim);
        assertEquals("600", argv.get(argv.indexOf(INTERVAL) + 1), "still the old value: " + argv);

        sim.clearCalls();
        local(sim, vars("hephd_flags", List.of(INTERVAL, "600")), "--check").ok("localhost", 0);
        assertOnlyReads(sim, "--check with nothing pending");
    }

    @Test
    void stoppedThenAbsent() {
        Simulator sim = sim("sim", 19);
        local(sim, vars()).ok("localhost", 1);
        pid(sim);

        local(sim, vars("hephd_state", "stopped")).ok("localhost", 1);
        assertTrue(sim.runningPid(LABEL).isEmpty(), "stopped");
        assertTrue(sim.state(LABEL).isEmpty(), "launchd let go of the label: " + sim.state(LABEL));
        assertTrue(Files.exists(plist(sim)), "stop keeps the plist");

        sim.clearCalls();
        local(sim, vars("hephd_state", "stopped")).ok("localhost", 0);
        assertOnlyReads(sim, "stopping a stopped hephd");

        local(sim, vars("hephd_state", "absent")).ok("localhost", 1);
        assertFalse(Files.exists(plist(sim)), "absent removes the plist");
    }

    @Test
    void aHephFailureFailsTheTaskWithHephsMessage() {
        Simulator sim = sim("sim", 23);
        Play bad = local(sim, vars("hephd_flags", List.of(INTERVAL, "abc")));
        assertEquals(2, bad.exit(), "a failed host makes ansible-playbook exit 2\n" + bad);
        assertEquals(1, bad.recap("localhost").failed(), bad.toString());
        assertTrue(bad.out().contains("heph start failed (exit 2): heph: " + INTERVAL + ": 'abc' is not valid;"
                + " expected a whole number of seconds from 1 to 31536000"), "heph's own message:\n" + bad);
        assertFalse(Files.exists(plist(sim)), "nothing written");
        assertOnlyReads(sim, "bad input");
    }

    @Test
    void badVariablesAreRefusedBeforeHephRuns() {
        Simulator sim = sim("sim", 29);
        Map<String, Object> noCommand = new LinkedHashMap<>();
        Play placeholder = play(simEnv(sim), noCommand, "-i", "localhost,", "-c", "local",
                playbook("hephd.yml").toString());
        assertEquals(2, placeholder.exit(), placeholder.toString());
        assertTrue(placeholder.out().contains("heph_command: 'jbang heph@OWNER/heph' still has the placeholder"
                + " OWNER"), placeholder.toString());

        Play state = local(sim, vars("hephd_state", "running"));
        assertEquals(2, state.exit(), state.toString());
        assertTrue(state.out().contains("hephd_state: 'running' is not valid; expected one of started, restarted,"
                + " stopped, absent"), state.toString());

        Play flags = local(sim, vars("hephd_flags", "--mode server"));
        assertEquals(2, flags.exit(), flags.toString());
        assertTrue(flags.out().contains("hephd_flags: expected a list of hephd flags"), flags.toString());
        assertEquals(List.of(), sim.calls(), "heph never ran");
    }

    /** Any LaunchAgent: heph_plist installs and starts it, heph_label manages it afterwards. */
    @Test
    void anyAgentByPlistThenByLabel() throws IOException {
        Simulator sim = sim("sim", 41);
        String label = "org.example.sync";
        Path socket = sim.home().resolve("agents/sync.sock");
        Path file = Files.createDirectories(dir.resolve("dotfiles")).resolve("sync.plist");
        Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\""
                + " \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n"
                + "\t<key>Label</key>\n\t<string>" + label + "</string>\n"
                + "\t<key>ProgramArguments</key>\n\t<array>\n\t\t<string>" + sim.hephd() + "</string>\n"
                + "\t\t<string>--socket</string>\n\t\t<string>" + socket + "</string>\n"
                + "\t\t<string>--db</string>\n\t\t<string>" + sim.home().resolve("agents/sync.db") + "</string>\n"
                + "\t</array>\n\t<key>KeepAlive</key>\n\t<true/>\n</dict>\n</plist>\n");

        local(sim, vars("heph_plist", file.toString())).ok("localhost", 1);
        long pid = sim.runningPid(label).orElseThrow(() -> new AssertionError(label + " is not running"));
        assertArrayEquals(bytes(file), bytes(sim.launchAgents().resolve(label + ".plist")), "installed as given");
        assertTrue(sim.runningPid(LABEL).isEmpty(), "hephd itself is not touched");

        sim.clearCalls();
        local(sim, vars("heph_plist", file.toString())).ok("localhost", 0);
        assertOnlyReads(sim, "the agent again");
        assertEquals(pid, sim.runningPid(label).orElseThrow());

        local(sim, vars("heph_label", label, "hephd_state", "stopped")).ok("localhost", 1);
        assertTrue(sim.runningPid(label).isEmpty(), label + " stopped");
    }

    /** Two "hosts", each its own simulator: one at a time, each waiting for its socket; a failure stops the roll. */
    @Test
    void rollingRestartsOneHostAtATimeAndWaitsForTheSocket() {
        Simulator mac1 = sim("mac1", 31);
        Simulator mac2 = sim("mac2", 37);
        Path inventory = dir.resolve("hosts.json");
        writeInventory(inventory, mac1, mac2, Map.of());
        Map<String, Object> vars = vars("heph_command", hephCommand());
        play(Map.of(), vars, "-i", inventory.toString(), playbook("hephd.yml").toString())
                .ok("mac1", 1).ok("mac2", 1);
        long pid1 = pid(mac1);
        long pid2 = pid(mac2);

        mac1.clearCalls();
        mac2.clearCalls();
        Play roll = play(Map.of(), vars, "-v", "-i", inventory.toString(), playbook("hephd-rolling.yml").toString())
                .ok("mac1", 1).ok("mac2", 1);
        assertTrue(roll.out().contains("--wait-ready=30"), "heph waits for the socket:\n" + roll);
        assertNotEquals(pid1, pid(mac1), "mac1 restarted");
        assertNotEquals(pid2, pid(mac2), "mac2 restarted");
        assertTrue(mac1.calls().stream().anyMatch(c -> c.verb().equals("kickstart")), "unchanged: kickstart -k");
        long mac1Done = mac1.calls().stream().mapToLong(Call::endMs).max().orElseThrow();
        long mac2Begins = mac2.calls().stream().mapToLong(Call::startMs).min().orElseThrow();
        assertTrue(mac1Done <= mac2Begins, "mac2 begins after mac1 is done: " + mac1Done + " vs " + mac2Begins);
        for (Simulator sim : List.of(mac1, mac2)) {
            // --wait-ready: the socket answered before heph returned, so it answers now without waiting for it
            Path socket = sim.home().resolve(".local/share/heph/hephd.sock");
            assertTrue(Files.exists(socket), "socket " + socket);
            var info = DaemonRpc.info(socket, Duration.ofSeconds(10));
            assertTrue(info.isPresent(), "hephd answers on " + socket);
        }

        // the first host fails: the rollout stops there and mac2 is not touched
        writeInventory(inventory, mac1, mac2, Map.of("hephd_flags", List.of(INTERVAL, "abc")));
        mac1.clearCalls();
        mac2.clearCalls();
        long before2 = pid(mac2);
        Play stopped = play(Map.of(), vars, "-i", inventory.toString(), playbook("hephd-rolling.yml").toString());
        assertEquals(2, stopped.exit(), stopped.toString());
        assertEquals(1, stopped.recap("mac1").failed(), stopped.toString());
        assertTrue(stopped.recapOf("mac2").map(r -> r.ok() == 0 && r.changed() == 0).orElse(true),
                "mac2 never ran:\n" + stopped);
        assertEquals(List.of(), mac2.calls(), "heph never ran on mac2");
        assertEquals(before2, pid(mac2));
    }

    /** A YAML inventory (JSON is YAML): both hosts local, each with its simulator's environment; mac1's extra vars. */
    static void writeInventory(Path file, Simulator mac1, Simulator mac2, Map<String, Object> mac1Vars) {
        Map<String, Object> hosts = new LinkedHashMap<>();
        Map<String, Object> h1 = new LinkedHashMap<>(vars("ansible_connection", "local",
                "heph_environment", simEnv(mac1)));
        h1.putAll(mac1Vars);
        hosts.put("mac1", h1);
        hosts.put("mac2", vars("ansible_connection", "local", "heph_environment", simEnv(mac2)));
        try {
            Files.writeString(file, Json.write(Map.of("all", Map.of("hosts", hosts))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
