package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import heph.proc.ZtExecRunner;
import heph.sim.SimOptions;
import heph.sim.daemon.DaemonRpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any LaunchAgent, end to end through the CLI and the simulator: an agent from a dotfiles folder with
 * {@code --plist}, managed afterwards by {@code --label}; the sample daemon stands in for the agent's program, each
 * agent with its own socket and database.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class AnyAgentLaunchdTest {
    static final String SYNC = "org.example.sync";

    @TempDir
    Path dir;
    HephInSim h;
    Path dotfiles;

    @BeforeEach
    void start() throws IOException {
        h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(11).withCleanupLagMs(200, 500));
        dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
    }

    @AfterEach
    void close() {
        h.close();
    }

    Path socket(String name) {
        return h.sim.home().resolve("agents/" + name + ".sock");
    }

    /** A KeepAlive agent running the sample daemon on its own socket and database, plus {@code extra} args. */
    Path agent(String file, String label, String name, String... extra) throws IOException {
        StringBuilder args = new StringBuilder();
        List<String> argv = new ArrayList<>(List.of(h.sim.hephd().toString(), "--socket", socket(name).toString(),
                "--db", h.sim.home().resolve("agents/" + name + ".db").toString()));
        argv.addAll(List.of(extra));
        for (String a : argv) {
            args.append("\t\t<string>").append(a).append("</string>\n");
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\""
                + " \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<!-- " + name + ": my dotfiles, formatted my way -->\n"
                + "<plist version=\"1.0\">\n<dict>\n"
                + "\t<key>Label</key>\n\t<string>" + label + "</string>\n"
                + "\t<key>ProgramArguments</key>\n\t<array>\n" + args + "\t</array>\n"
                + "\t<key>KeepAlive</key>\n\t<true/>\n"
                + "\t<key>StandardErrorPath</key>\n\t<string>" + h.sim.home().resolve("Library/Logs/agents/"
                + name + ".err.log") + "</string>\n"
                + "</dict>\n</plist>\n";
        Path p = dotfiles.resolve(file);
        Files.writeString(p, xml);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-r--")); // a dotfiles checkout
        return p;
    }

    Path installed(String label) {
        return h.sim.launchAgents().resolve(label + ".plist");
    }

    @SuppressWarnings("unchecked")
    List<String> argvOf(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var info = DaemonRpc.info(socket(name), Duration.ofSeconds(5));
            if (info.isPresent()) {
                return (List<String>) info.get().get("argv");
            }
            pause(50);
        }
        throw new AssertionError(name + "'s socket does not answer");
    }

    long pid(HephInSim.Run r) {
        return ((Number) r.json().get("new_pid")).longValue();
    }

    @Test
    void anAgentFromDotfilesStartsKickstartsReloadsAndIsManagedByItsLabel() throws IOException {
        assertEquals(0, h.heph("start", "--hub-url", "http://indri:8787").exit(), "hephd beside it");
        long hephd = h.sim.runningPid("org.hephaestus.hephd").getAsLong();

        Path file = agent("sync.plist", SYNC, "sync");
        HephInSim.Run start = h.heph("start", "--plist", file.toString(), "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals("start", start.json().get("path"));
        assertEquals(true, start.json().get("changed"));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(installed(SYNC)), "installed as given");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(installed(SYNC))));
        assertEquals(pid(start), h.sim.runningPid(SYNC).getAsLong());
        assertTrue(Files.isDirectory(h.sim.home().resolve("Library/Logs/agents")), "log folder made before bootstrap");
        assertEquals(List.of("--socket", socket("sync").toString()), argvOf("sync").subList(0, 2));

        // unchanged: start does nothing at all, restart is kickstart -k (docs/facts/launchd-facts.md §4)
        h.sim.clearCalls();
        HephInSim.Run again = h.heph("start", "--plist", file.toString(), "--json");
        assertEquals("none", again.json().get("path"));
        assertTrue(h.verbs().stream().allMatch(v -> v.startsWith("print")), h.verbs().toString());
        HephInSim.Run kick = h.heph("restart", "--plist", file.toString(), "--json");
        assertEquals(0, kick.exit(), kick.err());
        assertEquals("kickstart", kick.json().get("path"));
        assertNotEquals(pid(start), pid(kick));
        assertFalse(h.verbs().contains("bootout") || h.verbs().contains("bootstrap"), h.verbs().toString());

        // changed in the dotfiles: reload race-free; the job runs the new arguments; the file is installed as is
        agent("sync.plist", SYNC, "sync", "--self-update-interval-secs", "600");
        h.sim.clearCalls();
        HephInSim.Run reload = h.heph("restart", "--plist", file.toString(), "--json");
        assertEquals(0, reload.exit(), reload.err());
        assertEquals("reload", reload.json().get("path"));
        assertEquals(true, reload.json().get("changed"));
        List<String> verbs = h.verbs();
        assertTrue(verbs.indexOf("bootout") >= 0 && verbs.indexOf("bootstrap") > verbs.indexOf("bootout"),
                verbs.toString());
        assertEquals(List.of("--self-update-interval-secs", "600"), argvOf("sync").subList(4, 6));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(installed(SYNC)));
        assertTrue(reload.json().get("message").toString().startsWith(SYNC + " reloaded"), reload.out());

        // --label: status, stop, uninstall of the installed agent
        HephInSim.Run status = h.heph("status", "--label", SYNC, "--json");
        assertEquals(0, status.exit(), status.err());
        Map<String, Object> st = status.json();
        assertEquals(SYNC, st.get("name"));
        assertEquals(installed(SYNC).toString(), st.get("file"));
        assertEquals(null, st.get("socket"), "no hephd socket for another agent");
        HephInSim.Run stop = h.heph("stop", "--label", SYNC);
        assertEquals(0, stop.exit(), stop.err());
        assertTrue(stop.err().startsWith("heph: " + SYNC + " stopped"), stop.err());
        ExecResult print = new ZtExecRunner().run(List.of(h.sim.launchctl().toString(), "print",
                h.sim.domain() + "/" + SYNC), Duration.ofSeconds(10));
        assertEquals(113, print.exitCode(), "gone right after stop returns");
        assertEquals(3, h.heph("status", "--label", SYNC).exit());
        byte[] before = Files.readAllBytes(installed(SYNC));
        HephInSim.Run start2 = h.heph("start", "--label", SYNC, "--json");
        assertEquals(0, start2.exit(), start2.err());
        assertEquals(true, start2.json().get("changed"), "loaded into launchd again: a change");
        assertArrayEquals(before, Files.readAllBytes(installed(SYNC)), "the installed plist is used as is");
        assertEquals(0, h.heph("uninstall", "--label", SYNC).exit());
        assertFalse(Files.exists(installed(SYNC)));
        assertTrue(h.sim.runningPid(SYNC).isEmpty());

        // hephd was never touched
        assertEquals(hephd, h.sim.runningPid("org.hephaestus.hephd").getAsLong());
        assertEquals(List.of("--mode", "local", "--hub-url", "http://indri:8787"), h.daemonArgv());
    }

    @Test
    void applyStartsAFolderOfThreeAndASecondApplyChangesNothingAndListShowsThem() throws IOException {
        agent("a.plist", "org.example.a", "a");
        agent("b.plist", "org.example.b", "b");
        agent("c.plist", "org.example.c", "c");
        HephInSim.Run first = h.heph("apply", dotfiles.toString(), "--json");
        assertEquals(0, first.exit(), first.err());
        List<Map<String, Object>> services = services(first);
        assertEquals(List.of("org.example.a", "org.example.b", "org.example.c"),
                services.stream().map(m -> m.get("label")).toList());
        for (Map<String, Object> s : services) {
            assertEquals(true, s.get("changed"), s.toString());
            assertEquals("start", s.get("how"), s.toString());
            assertTrue(h.sim.runningPid(s.get("label").toString()).isPresent());
        }
        assertEquals(dotfiles.resolve("a.plist").toString(), services.get(0).get("source"));

        h.sim.clearCalls();
        HephInSim.Run second = h.heph("apply", dotfiles.toString(), "--json");
        assertEquals(0, second.exit(), second.err());
        assertEquals(false, second.json().get("changed"));
        services(second).forEach(s -> assertEquals("none", s.get("how"), s.toString()));
        assertTrue(h.verbs().stream().allMatch(v -> v.startsWith("print")), "no mutating launchctl call: " + h.verbs());

        HephInSim.Run list = h.heph("list", "--json");
        assertEquals(0, list.exit(), list.err());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) list.json().get("agents");
        assertEquals(List.of("org.example.a", "org.example.b", "org.example.c"),
                rows.stream().map(m -> m.get("label")).toList());
        rows.forEach(r -> {
            assertEquals(true, r.get("loaded"), r.toString());
            assertEquals(true, r.get("running"), r.toString());
        });
        HephInSim.Run text = h.heph("list");
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("org.example.b ") && l.contains(" yes ")),
                text.out());

        // one bad file, one changed: the others still converge, exit 1
        agent("b.plist", "org.example.b", "b", "--mode", "server");
        Files.writeString(dotfiles.resolve("broken.plist"), "<plist><dict><key>Label</key></dict>");
        HephInSim.Run third = h.heph("apply", dotfiles.toString(), "--restart", "--json");
        assertEquals(1, third.exit(), third.err());
        Map<String, String> how = new java.util.TreeMap<>();
        services(third).forEach(s -> how.put(Path.of(s.get("source").toString()).getFileName().toString(),
                s.get("how").toString()));
        assertEquals(Map.of("a.plist", "kickstart", "b.plist", "reload", "broken.plist", "failed",
                "c.plist", "kickstart"), how);
        assertEquals(List.of("--mode", "server"), argvOf("b").subList(4, 6));
    }

    @Test
    void badInputIsRejectedBeforeAnythingIsWrittenOrCalled() throws IOException {
        Path relative = dotfiles.resolve("rel.plist");
        Files.writeString(relative, "<plist><dict><key>Label</key><string>org.example.rel</string>"
                + "<key>ProgramArguments</key><array><string>sync.sh</string></array></dict></plist>");
        h.sim.clearCalls();
        HephInSim.Run bad = h.heph("start", "--plist", relative.toString());
        assertEquals(2, bad.exit(), bad.err());
        assertEquals(1, bad.err().lines().count(), bad.err());
        assertTrue(bad.err().startsWith("heph: " + relative + ": the program 'sync.sh' is not an absolute path"),
                bad.err());
        assertTrue(h.sim.calls().isEmpty(), "no launchctl call: " + h.sim.calls());
        assertFalse(Files.exists(installed("org.example.rel")));

        HephInSim.Run missing = h.heph("start", "--plist", dotfiles.resolve("nope.plist").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nope.plist: no such file"), missing.err());

        HephInSim.Run notInstalled = h.heph("start", "--label", "org.example.none");
        assertEquals(2, notInstalled.exit());
        assertTrue(notInstalled.err().contains("no plist at"), notInstalled.err());

        Path file = agent("sync.plist", SYNC, "sync");
        HephInSim.Run flags = h.heph("start", "--plist", file.toString(), "--hub-url", "http://x:1");
        assertEquals(2, flags.exit());
        assertEquals("heph: --hub-url: is hephd's; " + SYNC + " is not hephd (its plist is used as given);"
                + " expected no hephd flags", flags.err().strip());
        assertEquals(2, h.heph("start", "--label", SYNC, "--wait-ready").exit());
        assertEquals(2, h.heph("start", "--unit-file", file.toString()).exit(), "a unit file on launchd");
        HephInSim.Run mismatch = h.heph("start", "--plist", file.toString(), "--label", "org.example.other");
        assertEquals(2, mismatch.exit());
        assertTrue(h.verbs().stream().allMatch(v -> v.startsWith("print")), "nothing but print (hand-off check): " + h.verbs());
        assertFalse(Files.exists(installed(SYNC)));

        // hephd's own label keeps hephd's flags and baking
        HephInSim.Run hephd = h.heph("start", "--label", "org.hephaestus.hephd", "--hub-url", "http://indri:8787");
        assertEquals(0, hephd.exit(), hephd.err());
        assertEquals(List.of("--mode", "local", "--hub-url", "http://indri:8787"), h.daemonArgv());
    }

    @Test
    void anAgentRunOnceAtLoadMayExitZeroAndOneThatFailsIsReported() throws IOException {
        Path once = dotfiles.resolve("once.plist");
        Files.writeString(once, "<plist><dict><key>Label</key><string>org.example.once</string>"
                + "<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
                + "<string>exit 0</string></array><key>RunAtLoad</key><true/></dict></plist>");
        HephInSim.Run start = h.heph("start", "--plist", once.toString(), "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals("start", start.json().get("path"));
        // start may have seen the run still going (a busy machine); what follows is about the run having ended
        heph.sim.SimHarness.await("the run at load ended", () -> !h.sim.spawns("org.example.once").isEmpty()
                && h.sim.spawns("org.example.once").stream().noneMatch(heph.sim.Spawn::alive), Duration.ofSeconds(30));
        h.sim.clearCalls();
        HephInSim.Run again = h.heph("start", "--plist", once.toString(), "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals("none", again.json().get("path"), "ran at load, exited 0: nothing to do");
        assertTrue(h.verbs().stream().allMatch(v -> v.startsWith("print")), h.verbs().toString());
        HephInSim.Run status = h.heph("status", "--label", "org.example.once", "--json");
        assertEquals(0, status.exit(), "loaded is enough for a job that exited 0: " + status.out());
        assertEquals("loaded, waiting for its next run (last exit 0)", status.json().get("hint"));
        assertEquals(0L, ((Number) status.json().get("last_exit_code")).longValue());

        Path fails = dotfiles.resolve("fails.plist");
        Files.writeString(fails, "<plist><dict><key>Label</key><string>org.example.fails</string>"
                + "<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
                + "<string>exit 3</string></array><key>RunAtLoad</key><true/></dict></plist>");
        HephInSim.Run bad = h.heph("start", "--plist", fails.toString());
        assertEquals(1, bad.exit(), bad.err());
        assertTrue(bad.err().startsWith("heph: org.example.fails exited right after starting"), bad.err());
        assertEquals(3, h.heph("status", "--label", "org.example.fails").exit(), "last exit 3: not fine");
    }

    /** The installed copy has the right bytes but mode 0664: launchd refuses it (§11), so heph installs it again. */
    @Test
    void anInstalledPlistWithTheSameBytesButAGroupWritableModeIsWrittenAgain0644() throws IOException {
        Path file = agent("sync.plist", SYNC, "sync");
        assertEquals(0, h.heph("start", "--plist", file.toString()).exit());
        assertEquals(0, h.heph("stop", "--label", SYNC).exit());
        Files.setPosixFilePermissions(installed(SYNC), PosixFilePermissions.fromString("rw-rw-r--"));
        HephInSim.Run start = h.heph("start", "--plist", file.toString(), "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals(1, ((Number) start.json().get("bootstrap_attempts")).intValue(), "no retry on a refusal");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(installed(SYNC))));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(installed(SYNC)));
        assertTrue(start.err().contains("has mode 0664, not 0644"), start.err());
        assertTrue(h.sim.runningPid(SYNC).isPresent());

        // hephd's own plist: the same
        assertEquals(0, h.heph("start").exit());
        assertEquals(0, h.heph("stop").exit());
        Path hephd = installed("org.hephaestus.hephd");
        Files.setPosixFilePermissions(hephd, PosixFilePermissions.fromString("rw-rw-rw-"));
        HephInSim.Run again = h.heph("start");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("has mode 0666, not 0644"), again.err());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(hephd)));
    }

    /** A refused hand edit is undone with the exact bytes heph loaded: the user's comments and formatting kept. */
    @Test
    void undoingARefusedHandEditPutsTheAgentsOwnFileBackByteForByte() throws IOException {
        Path file = agent("sync.plist", SYNC, "sync");
        byte[] given = Files.readAllBytes(file);
        assertEquals(0, h.heph("start", "--plist", file.toString()).exit());
        String edited = new String(given, java.nio.charset.StandardCharsets.UTF_8)
                .replace("<array>\n", "<array>\n\t\t<string>/bin/sh</string><string>-c</string><string>exit 3</string>\n")
                .replace("\t\t<string>" + h.sim.hephd() + "</string>\n", "");
        heph.fs.AtomicFile.write(installed(SYNC), edited.replaceAll("\t\t<string>--[a-z]+</string>\n", "")
                .replaceAll("\t\t<string>/[^<]*agents/sync\\.(sock|db)</string>\n", ""
                ).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HephInSim.Run bad = h.heph("restart", "--label", SYNC);
        assertEquals(1, bad.exit(), bad.err());
        assertTrue(bad.err().contains("put the previous " + SYNC + ".plist back"), bad.err());
        assertArrayEquals(given, Files.readAllBytes(installed(SYNC)), "the user's own file, comments included");
        assertTrue(new String(Files.readAllBytes(installed(SYNC))).contains("<!-- sync: my dotfiles"));
        assertTrue(h.sim.runningPid(SYNC).isPresent());
    }

    /**
     * A RunAtLoad agent (no KeepAlive) whose run exited 1 stays loaded after the failed start: a second start is no
     * "already loaded" success, it runs it once more and verifies it (fails again naming the exit; runs once fixed).
     */
    @Test
    void aSecondStartOfARunAtLoadAgentWhoseLastRunFailedRunsItAgainAndVerifies() throws IOException {
        Path flag = dir.resolve("fixed");
        Path once = dotfiles.resolve("once.plist");
        Files.writeString(once, "<plist><dict><key>Label</key><string>org.example.once</string>"
                + "<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
                + "<string>test -f " + flag + "</string></array><key>RunAtLoad</key><true/></dict></plist>");
        Files.writeString(flag, ""); // installed while it worked: a failing start leaves it installed and loaded
        assertEquals(0, h.heph("start", "--plist", once.toString()).exit());
        Files.delete(flag);
        HephInSim.Run first = h.heph("restart", "--plist", once.toString());
        assertEquals(1, first.exit(), first.err());
        HephInSim.Run second = h.heph("start", "--plist", once.toString(), "--json");
        assertEquals(1, second.exit(), second.err());
        assertTrue(second.err().contains("exited right after starting") && second.err().contains("last exit code = 1"),
                second.err());
        HephInSim.Run apply = h.heph("apply", dotfiles.toString(), "--json");
        assertEquals(1, apply.exit(), "apply reports it failed too: " + apply.out());

        Files.writeString(flag, "");
        HephInSim.Run fixed = h.heph("start", "--plist", once.toString(), "--json");
        assertEquals(0, fixed.exit(), fixed.err());
        assertEquals("kickstart", fixed.json().get("path"));
        assertTrue(fixed.json().get("message").toString().contains("run again"), fixed.out());
        h.sim.clearCalls();
        HephInSim.Run after = h.heph("start", "--plist", once.toString(), "--json");
        assertEquals(0, after.exit(), after.err());
        assertEquals("none", after.json().get("path"), "last exit 0: nothing to do");
        assertTrue(h.verbs().stream().allMatch(v -> v.startsWith("print")), h.verbs().toString());
    }

    /** The installed plist deleted while the agent runs: --label uses heph's copy of what it loaded, and says so. */
    @Test
    void restartByLabelOfAnAgentWhosePlistWasDeletedReinstallsItFromHephsCopy() throws IOException {
        Path file = agent("sync.plist", SYNC, "sync");
        assertEquals(0, h.heph("start", "--plist", file.toString()).exit());
        long before = h.sim.runningPid(SYNC).getAsLong();
        Files.delete(installed(SYNC));
        HephInSim.Run r = h.heph("restart", "--label", SYNC, "--json");
        assertEquals(0, r.exit(), r.err());
        assertEquals("kickstart", r.json().get("path"));
        assertEquals(true, r.json().get("changed"), "the plist was written again");
        assertTrue(r.err().contains("installing it again from heph's copy"), r.err());
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(installed(SYNC)), "byte for byte");
        assertNotEquals(before, h.sim.runningPid(SYNC).getAsLong());
    }

    @Test
    void twoHephsOnOneAgentSerializeOnItsLock() throws Exception {
        Path file = agent("sync.plist", SYNC, "sync");
        assertEquals(0, h.heph("start", "--plist", file.toString()).exit());
        agent("sync.plist", SYNC, "sync", "--mode", "server");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> h.heph("restart", "--plist", file.toString(), "--json"));
            var b = pool.submit(() -> h.heph("restart", "--plist", file.toString(), "--json"));
            HephInSim.Run ra = a.get(120, java.util.concurrent.TimeUnit.SECONDS);
            HephInSim.Run rb = b.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(0, ra.exit(), ra.err());
            assertEquals(0, rb.exit(), rb.err());
            // one reloads; the other, after waiting for the lock, finds it unchanged and restarts it in place
            assertEquals(java.util.Set.of("reload", "kickstart"), java.util.Set.of(ra.json().get("path"),
                    rb.json().get("path")));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, h.sim.spawns(SYNC).stream().filter(s -> s.alive()).count());
        assertTrue(Files.exists(h.sim.home().resolve(".local/state/heph/" + SYNC + ".lock")));
    }

    static String line(HephInSim.Run r, String check) {
        return r.out().lines().filter(l -> l.matches("^(ok|warn|fail) +" + check + ": .*")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " line in:\n" + r.out()));
    }

    @Test
    void doctorOnAnotherAgentSkipsHephdsSocketAndFailsForAnAgentThatDoesNotExist() throws IOException {
        Path file = agent("sync.plist", SYNC, "sync");
        assertEquals(0, h.heph("start", "--plist", file.toString()).exit());
        argvOf("sync"); // it runs (and answers on its own socket, not hephd's)
        HephInSim.Run d = h.heph("doctor", "--label", SYNC);
        assertEquals(0, d.exit(), d.out() + d.err());
        assertTrue(d.out().lines().noneMatch(l -> l.contains(" socket: ")), "hephd's socket is hephd's: " + d.out());
        assertTrue(line(d, "loaded").startsWith("ok    loaded: running, pid " + h.sim.runningPid(SYNC).getAsLong()),
                d.out());
        assertEquals("warn  stdout-log: no StandardOutPath: launchd discards what " + SYNC + " writes there; fix:"
                + " add StandardOutPath to its plist, then `heph restart --plist FILE`", line(d, "stdout-log"));
        HephInSim.Run byFile = h.heph("doctor", "--plist", file.toString());
        assertEquals(d.out(), byFile.out(), "--plist names the same agent");

        // its program gone: the fix is the plist's, not hephd's
        Path gone = dotfiles.resolve("gone.plist");
        Files.writeString(gone, "<plist><dict><key>Label</key><string>org.example.gone</string>"
                + "<key>ProgramArguments</key><array><string>/nonexistent/sync.sh</string></array></dict></plist>");
        Files.copy(gone, installed("org.example.gone"));
        HephInSim.Run program = h.heph("doctor", "--label", "org.example.gone");
        assertEquals(1, program.exit(), program.out());
        assertEquals("fail  program: program /nonexistent/sync.sh does not exist (bootstrap answers 5, or the spawn"
                + " fails with 78: EX_CONFIG); fix: install it there, or point Program/ProgramArguments of "
                + installed("org.example.gone") + " at it", line(program, "program"));
        assertTrue(program.out().lines().noneMatch(l -> l.contains("hephd")), program.out());

        for (String[] args : List.of(new String[] {"doctor", "--label", "org.example.nosuch"},
                new String[] {"doctor", "--label", "org.example.nosuch", "--json"})) {
            HephInSim.Run none = h.heph(args);
            assertEquals(1, none.exit(), none.out() + none.err());
            assertTrue(none.out().contains("no such agent: no " + installed("org.example.nosuch")
                    + " and not loaded"), none.out());
        }
        assertEquals(2, h.heph("doctor", "--unit", "sync").exit(), "--unit on launchd, as for status");
    }

    @Test
    void logsOfAnotherAgentNameItAndTakeTheSameOptionsAsStatus() throws IOException {
        HephInSim.Run none = h.heph("logs", "--label", "org.example.nosuch");
        assertEquals(1, none.exit());
        assertEquals("heph: nothing to show: no such agent: no " + installed("org.example.nosuch")
                + " (`heph list` shows the installed agents; `heph start --plist FILE` installs one)",
                none.err().strip());

        Path quiet = dotfiles.resolve("quiet.plist");
        Files.writeString(quiet, "<plist><dict><key>Label</key><string>org.example.quiet</string>"
                + "<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
                + "<string>exit 0</string></array><key>RunAtLoad</key><true/></dict></plist>");
        assertEquals(0, h.heph("start", "--plist", quiet.toString()).exit());
        HephInSim.Run noPaths = h.heph("logs", "--label", "org.example.quiet");
        assertEquals(1, noPaths.exit());
        assertEquals("heph: nothing to show: " + installed("org.example.quiet") + " sets no StandardOutPath or"
                + " StandardErrorPath: launchd discards org.example.quiet's output (add StandardOutPath and"
                + " StandardErrorPath to its plist, then `heph restart --plist FILE`)", noPaths.err().strip());
        assertEquals(noPaths.err(), h.heph("logs", "--plist", quiet.toString()).err(), "--plist: the same agent");

        HephInSim.Run unit = h.heph("logs", "--unit", "sync");
        HephInSim.Run statusUnit = h.heph("status", "--unit", "sync");
        assertEquals(2, unit.exit(), unit.err());
        assertEquals(statusUnit.err(), unit.err(), "the same refusal as status");
        assertEquals(2, h.heph("logs", "--plist", quiet.toString(), "--label", "org.example.other").exit());
    }

    @Test
    void listShowsAPlistWhoseLabelDoesNotMatchItsFileAsThatFile() throws IOException {
        Path odd = installed("org.example.xx");
        Files.createDirectories(odd.getParent());
        Files.writeString(odd, "<plist><dict><key>Label</key><string>org.example.yy</string>"
                + "<key>ProgramArguments</key><array><string>/bin/sh</string></array></dict></plist>");
        HephInSim.Run list = h.heph("list", "--json");
        assertEquals(0, list.exit(), list.err());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) list.json().get("agents");
        assertEquals(1, rows.size(), rows.toString());
        Map<String, Object> row = rows.get(0);
        assertEquals(odd.toString(), row.get("file"));
        assertEquals(true, row.get("installed"));
        assertTrue(String.valueOf(row.get("hint")).startsWith("Label org.example.yy does not match the file name"
                + " org.example.xx.plist"), row.toString());
    }

    @Test
    void aPlistWithHephdsLabelIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path file = agent("hephd.plist", "org.hephaestus.hephd", "hephd");
        h.sim.clearCalls();
        for (String verb : List.of("start", "restart")) {
            HephInSim.Run r = h.heph(verb, "--plist", file.toString());
            assertEquals(2, r.exit(), r.err());
            assertEquals("heph: " + file + " has Label org.hephaestus.hephd, which is hephd's: manage hephd with"
                    + " heph's own flags (no --plist), or give the agent another Label", r.err().strip());
        }
        assertTrue(h.sim.calls().isEmpty(), "no launchctl call: " + h.sim.calls());
        assertFalse(Files.exists(h.plist()));
        HephInSim.Run apply = h.heph("apply", dotfiles.toString(), "--json");
        assertEquals(1, apply.exit(), apply.err());
        assertEquals("failed", services(apply).get(0).get("how"));
        assertFalse(Files.exists(h.plist()));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> services(HephInSim.Run r) {
        return (List<Map<String, Object>>) r.json().get("services");
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
