package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.SimOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that are not what their name says, end to end through the CLI and the launchd simulator: a FIFO, a
 * multi-GB sparse file, a plist nested 100 000 deep, a symlink where heph keeps its lock. Each is refused with one
 * line naming it, within a bound (a FIFO used to hang heph for good), and a batch goes on with the other files.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class HostileFilesLaunchdTest {
    /** Generous: these runs take seconds; the bound only turns a hang into a failure. */
    static final Duration BOUND = Duration.ofMinutes(4);

    @TempDir
    Path dir;
    HephInSim h;
    Path dotfiles;

    @BeforeEach
    void start() throws IOException {
        h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(17).withCleanupLagMs(200, 500));
        dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
    }

    @AfterEach
    void close() {
        h.close();
    }

    /** A KeepAlive agent running the sample daemon on its own socket and database. */
    Path agent(String file, String label) throws IOException {
        String name = label.substring(label.lastIndexOf('.') + 1);
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
                + "<key>Label</key><string>" + label + "</string>\n"
                + "<key>ProgramArguments</key><array><string>" + h.sim.hephd() + "</string><string>--socket</string>"
                + "<string>" + h.sim.home().resolve("agents/" + name + ".sock") + "</string><string>--db</string>"
                + "<string>" + h.sim.home().resolve("agents/" + name + ".db") + "</string></array>\n"
                + "<key>KeepAlive</key><true/>\n</dict>\n</plist>\n";
        return Files.writeString(dotfiles.resolve(file), xml);
    }

    static Path fifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        assertTrue(mk.waitFor(30, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo " + p);
        return p;
    }

    static Path deepAscii(Path p) throws IOException {
        return Files.writeString(p, "{ Label = org.example.deep; Program = /bin/true; D = " + "(".repeat(100_000)
                + ")".repeat(100_000) + "; }");
    }

    static Path sparse(Path p) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(4L << 30);
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> services(HephInSim.Run r) {
        return (List<Map<String, Object>>) r.json().get("services");
    }

    /**
     * The deep plist ended the whole run with a StackOverflowError and the sparse one with an OutOfMemoryError: the
     * files after them were never applied. Now each bad file is reported and the good ones on both sides converge.
     */
    @Test
    void applyReportsEachBadFileAndAppliesTheOthers() throws Exception {
        agent("a.plist", "org.example.a");
        deepAscii(dotfiles.resolve("b-deep.plist"));
        sparse(dotfiles.resolve("c-huge.plist"));
        fifo(dotfiles.resolve("d-fifo.plist"));
        Files.createDirectory(dotfiles.resolve("d-folder.plist"));
        agent("e.plist", "org.example.e");
        HephInSim.Run r = assertTimeoutPreemptively(BOUND, () -> h.heph("apply", dotfiles.toString(), "--json"));
        assertEquals(1, r.exit(), r.out() + r.err());
        Map<String, String> how = new TreeMap<>();
        Map<String, String> message = new TreeMap<>();
        services(r).forEach(s -> {
            String file = Path.of(s.get("source").toString()).getFileName().toString();
            how.put(file, s.get("how").toString());
            message.put(file, s.get("message").toString());
        });
        assertEquals(Map.of("a.plist", "start", "b-deep.plist", "failed", "c-huge.plist", "failed",
                "d-fifo.plist", "failed", "d-folder.plist", "failed", "e.plist", "start"), how);
        assertTrue(message.get("b-deep.plist").contains("more than 512 levels deep"), message.toString());
        assertTrue(message.get("c-huge.plist").contains("is larger than 1 MB"), message.toString());
        assertTrue(message.get("d-fifo.plist").contains("is a FIFO (named pipe), not a regular file"),
                message.toString());
        assertTrue(message.get("d-folder.plist").contains("is a directory"), message.toString());
        message.values().forEach(m -> assertEquals(1, m.lines().count(), m));
        assertTrue(h.sim.runningPid("org.example.a").isPresent());
        assertTrue(h.sim.runningPid("org.example.e").isPresent());
        assertEquals(List.of("org.example.a.plist", "org.example.e.plist"), installed());
    }

    /** Opening a FIFO for reading blocks until a writer comes: `start --plist FIFO` used to hang for good. */
    @Test
    void aFifoAsPlistIsAUsageErrorWithinTheBoundAndNothingIsInstalled() throws Exception {
        Path f = fifo(dotfiles.resolve("sync.plist"));
        Path zero = Files.createSymbolicLink(dotfiles.resolve("zero.plist"), Path.of("/dev/zero"));
        for (Path p : List.of(f, zero)) {
            HephInSim.Run r = assertTimeoutPreemptively(BOUND, () -> h.heph("start", "--plist", p.toString()));
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(p + ": is a "), r.err());
            assertTrue(r.err().contains("not a regular file; expected a launchd plist"), r.err());
        }
        assertEquals(List.of(), installed());
        assertTrue(h.verbs().isEmpty(), "no launchctl call: " + h.verbs());
    }

    /** A FIFO found where the agent's plist is installed, and a FIFO as its log: refused, never waited on. */
    @Test
    void aFifoInstalledAsAPlistOrNamedAsALogIsRefusedWithinTheBound() throws Exception {
        Files.createDirectories(h.sim.launchAgents());
        fifo(h.sim.launchAgents().resolve("org.example.f.plist"));
        for (String verb : List.of("status", "start", "logs")) {
            HephInSim.Run r = assertTimeoutPreemptively(BOUND, () -> h.heph(verb, "--label", "org.example.f"));
            assertNotEquals(0, r.exit(), verb + ": " + r.out() + r.err());
            assertTrue((r.out() + r.err()).contains("is a FIFO"), verb + ": " + r.exit() + " " + r.out() + r.err());
        }
        // installed, not loaded: the simulator, like launchd, would open the FIFO for writing to spawn the job
        Path log = fifo(dir.resolve("out.log"));
        Path quiet = agent("quiet.plist", "org.example.quiet");
        Files.writeString(h.sim.launchAgents().resolve("org.example.quiet.plist"), Files.readString(quiet).replace(
                "<key>KeepAlive</key>", "<key>StandardOutPath</key><string>" + log + "</string><key>KeepAlive</key>"));
        HephInSim.Run logs = assertTimeoutPreemptively(BOUND, () -> h.heph("logs", "--label", "org.example.quiet"));
        assertEquals(1, logs.exit(), logs.err());
        assertTrue(logs.err().contains("cannot read " + log + ": is a FIFO (named pipe), not a regular file"),
                logs.err());
    }

    /** The symlinked lock used to be followed: its target truncated and given heph's pid, and `start` exited 0. */
    @Test
    void aSymlinkedLockIsRefusedAndItsTargetIsLeftAlone() throws Exception {
        Path file = agent("a.plist", "org.example.a");
        Path state = Files.createDirectories(h.sim.home().resolve(".local/state/heph"));
        Path precious = Files.writeString(dir.resolve("precious.txt"), "my notes\n");
        Files.createSymbolicLink(state.resolve("org.example.a.lock"), precious);
        HephInSim.Run r = assertTimeoutPreemptively(BOUND, () -> h.heph("start", "--plist", file.toString()));
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("org.example.a.lock is a symlink"), r.err());
        assertEquals("my notes\n", Files.readString(precious));
        assertTrue(Files.isSymbolicLink(state.resolve("org.example.a.lock")));
        assertFalse(h.sim.runningPid("org.example.a").isPresent());
        assertEquals(List.of(), installed());
    }

    /** A plist in ~/Library/LaunchAgents nested 100 000 deep used to end `list` with a StackOverflowError. */
    @Test
    void listShowsTheOthersBesideADeepPlist() throws Exception {
        Path a = agent("a.plist", "org.example.a");
        assertEquals(0, h.heph("start", "--plist", a.toString()).exit());
        deepAscii(h.sim.launchAgents().resolve("org.example.deep.plist"));
        HephInSim.Run list = assertTimeoutPreemptively(BOUND, () -> h.heph("list", "--json"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) ((Map<?, ?>) heph.json.Json.parse(list.out().strip())).get("agents");
        assertEquals(List.of("org.example.a", "org.example.deep"), rows.stream().map(m -> m.get("label")).toList(),
                list.out() + list.err());
        assertEquals(true, rows.get(0).get("running"), rows.toString());
        for (String verb : List.of("status", "doctor")) {
            HephInSim.Run r = assertTimeoutPreemptively(BOUND, () -> h.heph(verb, "--label", "org.example.deep"));
            assertNotEquals(0, r.exit(), verb + ": " + r.out() + r.err());
            assertTrue((r.out() + r.err()).contains("more than 512 levels deep"), verb + ": " + r.out() + r.err());
        }
    }

    /** A 230-character label passed validation, then failed with "File name too long" after state was created. */
    @Test
    void aLabelTooLongForHephsFileNamesIsAUsageErrorBeforeAnythingIsCreated() throws Exception {
        String label = "org." + "x".repeat(226);
        Path file = agent("long.plist", label);
        for (String[] args : List.of(new String[] {"start", "--label", label},
                new String[] {"start", "--plist", file.toString()})) {
            HephInSim.Run r = h.heph(args);
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("(230 bytes) is too long; expected at most 212"), r.err());
            assertFalse(r.err().contains(label), "echoes only a prefix: " + r.err());
        }
        assertFalse(Files.exists(h.sim.home().resolve(".local/state/heph/" + label + ".lock")));
        assertEquals(List.of(), installed());
        assertTrue(h.verbs().isEmpty(), "no launchctl call: " + h.verbs());
    }

    /**
     * Saving heph's loaded copy after a successful bootstrap used to fail the verb (exit 1) although launchd runs the
     * job. (A folder where the copy goes stands in for a read-only or full state folder: the tests run as root.)
     */
    @Test
    void aLoadedCopyThatCannotBeSavedIsAWarningAndTheStartStands() throws Exception {
        Path file = agent("a.plist", "org.example.a");
        Path copy = Files.createDirectories(h.sim.home().resolve(".local/state/heph/loaded/org.example.a.plist"));
        HephInSim.Run r = assertTimeoutPreemptively(BOUND, () -> h.heph("start", "--plist", file.toString(),
                "--json"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(true, r.json().get("changed"), r.out());
        assertEquals("start", r.json().get("path"), r.out());
        @SuppressWarnings("unchecked")
        List<String> warnings = (List<String>) r.json().get("warnings");
        assertEquals(1, warnings.size(), r.out());
        assertTrue(warnings.get(0).startsWith("the job was changed, but heph could not save its copy of what it"
                + " loaded (" + copy + " is a directory"), warnings.get(0));
        assertTrue(r.err().contains("could not save its copy"), r.err());
        assertTrue(h.sim.runningPid("org.example.a").isPresent());
    }

    /**
     * list used to pass over a FIFO, a link to /dev/zero, a dangling link and a folder named like a plist, and
     * showed an unparseable plist as "not loaded" with the reason only in --json: each is a row "invalid" with why.
     */
    @Test
    @SuppressWarnings("unchecked")
    void listShowsEachBadFileAsInvalidWithTheReason() throws Exception {
        Path good = agent("good.plist", "org.example.good");
        assertEquals(0, h.heph("start", "--plist", good.toString()).exit());
        Path la = h.sim.launchAgents();
        fifo(la.resolve("com.rev.fifo.plist"));
        Files.createSymbolicLink(la.resolve("com.rev.zero.plist"), Path.of("/dev/zero"));
        Files.createSymbolicLink(la.resolve("com.rev.gone.plist"), la.resolve("nowhere.plist"));
        Files.createDirectories(la.resolve("com.rev.dir1.plist"));
        Files.writeString(la.resolve("com.rev.junk.plist"), "this is not a plist");
        Map<String, String> why = new TreeMap<>(Map.of("com.rev.fifo", "a FIFO, not an agent file",
                "com.rev.zero", "a link to not a regular file (a device or socket), not an agent file",
                "com.rev.gone", "a link to a missing file", "com.rev.dir1", "a folder, not an agent file"));

        HephInSim.Run json = assertTimeoutPreemptively(BOUND, () -> h.heph("list", "--json"));
        assertEquals(0, json.exit(), json.err());
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        for (Object o : (List<Object>) json.json().get("agents")) {
            Map<String, Object> row = (Map<String, Object>) o;
            rows.put((String) row.get("label"), row);
        }
        assertEquals(List.of("com.rev.dir1", "com.rev.fifo", "com.rev.gone", "com.rev.junk", "com.rev.zero",
                "org.example.good"), List.copyOf(rows.keySet()), json.out());
        why.forEach((label, reason) -> {
            assertEquals("invalid", rows.get(label).get("state"), json.out());
            assertEquals(reason, rows.get(label).get("hint"), json.out());
        });
        assertEquals("invalid", rows.get("com.rev.junk").get("state"), json.out());
        assertTrue(String.valueOf(rows.get("com.rev.junk").get("hint")).startsWith(la.resolve("com.rev.junk.plist")
                + ": "), json.out());
        assertEquals(true, rows.get("org.example.good").get("running"), json.out());

        HephInSim.Run text = assertTimeoutPreemptively(BOUND, () -> h.heph("list"));
        assertEquals(0, text.exit(), "list is a read: " + text.err());
        for (String label : rows.keySet()) {
            if (label.startsWith("com.rev.")) {
                assertTrue(text.out().matches("(?s).*\\n" + label.replace(".", "\\.") + " +no +invalid .*"),
                        text.out());
            }
        }
        why.values().forEach(reason -> assertTrue(text.out().contains("    invalid: " + reason), text.out()));
    }

    List<String> installed() throws IOException {
        if (!Files.isDirectory(h.sim.launchAgents())) {
            return List.of();
        }
        try (var s = Files.list(h.sim.launchAgents())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
