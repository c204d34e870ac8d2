package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ZtExecRunner;
import heph.sim.Call;
import heph.sim.SimOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heph apply DIR --prune} through the launchd simulator: exactly the agents an earlier apply of DIR installed
 * and DIR dropped are stopped and removed; an agent of another folder, one started by hand with --plist (its label
 * alike) and one another program bootstrapped survive. The dry run lists the same launchctl calls the real run makes;
 * a second run changes nothing.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class ApplyPruneLaunchdTest {
    static final Set<String> READ_ONLY = Set.of("print", "print-disabled", "list", "help", "version");

    @TempDir
    Path dir;
    HephInSim h;

    @BeforeEach
    void start() {
        h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(47).withCleanupLagMs(200, 400));
    }

    @AfterEach
    void close() {
        h.close();
    }

    /** A KeepAlive agent: /bin/sleep, so many run at once cheaply. */
    static Path agent(Path folder, String file, String label, String... extra) throws IOException {
        Files.createDirectories(folder);
        StringBuilder more = new StringBuilder();
        for (String e : extra) {
            more.append("<string>").append(e).append("</string>");
        }
        Path p = folder.resolve(file);
        Files.writeString(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
                + "\t<key>Label</key>\n\t<string>" + label + "</string>\n"
                + "\t<key>ProgramArguments</key>\n\t<array><string>/bin/sleep</string><string>10000</string>" + more
                + "</array>\n\t<key>KeepAlive</key>\n\t<true/>\n</dict>\n</plist>\n");
        return p;
    }

    Path installed(String label) {
        return h.sim.launchAgents().resolve(label + ".plist");
    }

    boolean running(String label) {
        return h.sim.runningPid(label).isPresent();
    }

    Path state() {
        return h.sim.home().resolve(".local/state/heph");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> services(HephInSim.Run r) {
        return (List<Map<String, Object>>) r.json().get("services");
    }

    /** The launchctl calls that change launchd's state, as "verb target". */
    List<String> mutating() {
        return h.sim.calls().stream().filter(c -> c.tool().equals("launchctl") && !READ_ONLY.contains(c.verb()))
                .map(ApplyPruneLaunchdTest::brief).toList();
    }

    static String brief(Call c) {
        return c.verb() + " " + c.argv().get(c.argv().size() - 1);
    }

    @SuppressWarnings("unchecked")
    static List<String> plannedMutating(HephInSim.Run dry) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> s : services(dry)) {
            for (List<String> argv : (List<List<String>>) s.get("commands")) {
                if (!READ_ONLY.contains(argv.get(1))) {
                    out.add(argv.get(1) + " " + argv.get(argv.size() - 1));
                }
            }
        }
        return out;
    }

    @Test
    void pruneRemovesExactlyTheFolderDroppedAgentsAndTheDryRunMatchesCallForCall() throws Exception {
        Path dotfiles = dir.resolve("dotfiles");
        for (String n : List.of("a", "b", "c")) {
            agent(dotfiles, n + ".plist", "org.example." + n);
        }
        Path other = dir.resolve("other");
        agent(other, "d.plist", "org.example.d");
        Path hand = agent(dir.resolve("hand"), "b2.plist", "org.example.b2");
        assertEquals(0, h.heph("apply", dotfiles.toString()).exit());
        assertEquals(0, h.heph("apply", other.toString()).exit());
        assertEquals(0, h.heph("start", "--plist", hand.toString()).exit());
        // another program's agent: written and bootstrapped with launchctl itself
        Path foreign = agent(h.sim.launchAgents(), "org.example.foreign.plist", "org.example.foreign");
        assertEquals(0, new ZtExecRunner().run(List.of(h.sim.launchctl().toString(), "bootstrap", h.sim.domain(),
                foreign.toString()), Duration.ofSeconds(20)).exitCode());
        for (String l : List.of("a", "b", "c", "d", "b2", "foreign")) {
            assertTrue(running("org.example." + l), l);
        }
        try (Stream<Path> records = Files.list(state().resolve("applied"))) {
            for (Path r : records.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(r)), r.toString());
            }
        }

        byte[] bBytes = Files.readAllBytes(installed("org.example.b"));
        Files.delete(dotfiles.resolve("b.plist"));
        Files.delete(dotfiles.resolve("c.plist"));

        // without --prune: said, nothing touched
        h.sim.clearCalls();
        HephInSim.Run said = h.heph("apply", dotfiles.toString());
        assertEquals(0, said.exit(), said.err());
        assertTrue(said.err().contains("heph: org.example.b: not in " + dotfiles + " any more; --prune removes it\n"),
                said.err());
        assertTrue(said.err().contains("heph: org.example.c: not in " + dotfiles + " any more; --prune removes it\n"),
                said.err());
        assertEquals(List.of(), mutating());
        assertTrue(running("org.example.b") && running("org.example.c"));

        // the dry run: what prune would stop and remove, with the calls; nothing touched
        h.sim.clearCalls();
        HephInSim.Run dry = h.heph("apply", dotfiles.toString(), "--prune", "--dry-run", "--json");
        assertEquals(0, dry.exit(), dry.err());
        Map<String, Map<String, Object>> planned = new TreeMap<>();
        services(dry).forEach(s -> planned.put(s.get("label").toString(), s));
        assertEquals(Set.of("org.example.a", "org.example.b", "org.example.c"), planned.keySet());
        assertEquals("removed", planned.get("org.example.b").get("path"));
        assertEquals(true, planned.get("org.example.b").get("changed"));
        assertEquals(installed("org.example.b").toString(), planned.get("org.example.b").get("file"));
        assertEquals(List.of(), mutating(), "the dry run touches nothing");
        List<String> plan = plannedMutating(dry);
        assertEquals(List.of("bootout " + h.sim.domain() + "/org.example.b",
                "bootout " + h.sim.domain() + "/org.example.c"), plan);
        HephInSim.Run dryText = h.heph("apply", dotfiles.toString(), "--prune", "--dry-run");
        assertTrue(dryText.out().contains("heph: dry run: org.example.c: not in " + dotfiles + " any more; prune:"
                + " uninstall would stop org.example.c"), dryText.out());
        assertTrue(dryText.out().contains("--- a" + installed("org.example.c")), dryText.out());
        assertTrue(running("org.example.b") && Files.exists(installed("org.example.b")));

        // the real run: the same calls, the two removed, a copy of each kept, everything else untouched
        h.sim.clearCalls();
        HephInSim.Run real = h.heph("apply", dotfiles.toString(), "--prune", "--json");
        assertEquals(0, real.exit(), real.err());
        assertEquals(plan, mutating(), "the dry run was the truth, call for call");
        Map<String, Map<String, Object>> done = new TreeMap<>();
        services(real).forEach(s -> done.put(s.get("label").toString(), s));
        for (String l : List.of("org.example.b", "org.example.c")) {
            Map<String, Object> s = done.get(l);
            assertEquals("removed", s.get("how"), s.toString());
            assertEquals(true, s.get("changed"), s.toString());
            assertEquals(installed(l).toString(), s.get("file"));
            assertFalse(Files.exists(installed(l)), l);
            assertFalse(running(l), l);
        }
        assertEquals("none", done.get("org.example.a").get("how"));
        assertEquals(true, real.json().get("changed"));
        String message = done.get("org.example.b").get("message").toString();
        Path copy = Path.of(message.substring(message.indexOf("its last file is kept as ") + 25));
        assertTrue(copy.startsWith(state().resolve("pruned")), message);
        assertArrayEquals(bBytes, Files.readAllBytes(copy));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
        for (String l : List.of("a", "d", "b2", "foreign")) {
            assertTrue(running("org.example." + l), l + " survives");
            assertTrue(Files.exists(installed("org.example." + l)), l);
        }
        assertTrue(real.json().get("message").toString().endsWith(": 1 service(s), 0 changed, 2 removed, 0 failed"),
                real.out());

        // a second run: no mutating call, nothing said about b and c any more
        h.sim.clearCalls();
        HephInSim.Run again = h.heph("apply", dotfiles.toString(), "--prune", "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals(false, again.json().get("changed"));
        assertEquals(1, services(again).size(), again.out());
        assertEquals(List.of(), mutating());
    }

    @Test
    void anAgentInstalledAgainByHandOrByAnotherFolderOrLinkedIsLeftAloneAndForgotten() throws IOException {
        Path dotfiles = dir.resolve("dotfiles");
        for (String n : List.of("a", "b", "c", "d")) {
            agent(dotfiles, n + ".plist", "org.example." + n);
        }
        assertEquals(0, h.heph("apply", dotfiles.toString()).exit());
        Path shared = dir.resolve("shared"); // d: another folder installs it too
        Files.createDirectories(shared);
        Files.copy(dotfiles.resolve("d.plist"), shared.resolve("d.plist"));
        assertEquals(0, h.heph("apply", shared.toString()).exit());
        // a: installed again by hand from another file; b: its installed plist is now a link (no longer heph's
        // file); c: prunable
        Path mine = agent(dir.resolve("hand"), "a.plist", "org.example.a", "1");
        assertEquals(0, h.heph("start", "--plist", mine.toString()).exit());
        Path target = dir.resolve("b-target.plist");
        Files.copy(installed("org.example.b"), target);
        Files.delete(installed("org.example.b"));
        Files.createSymbolicLink(installed("org.example.b"), target);
        for (String n : List.of("a", "b", "c", "d")) {
            Files.delete(dotfiles.resolve(n + ".plist"));
        }

        HephInSim.Run r = h.heph("apply", dotfiles.toString(), "--prune", "--json");
        assertEquals(0, r.exit(), r.out());
        Map<String, Map<String, Object>> by = new TreeMap<>();
        services(r).forEach(s -> by.put(s.get("label").toString(), s));
        assertEquals("kept", by.get("org.example.a").get("how"));
        assertTrue(by.get("org.example.a").get("message").toString().contains("changed since"), by.toString());
        assertTrue(running("org.example.a"), "installed by hand since: survives");
        assertEquals("kept", by.get("org.example.b").get("how"));
        assertTrue(by.get("org.example.b").get("message").toString().contains("is a symlink now"), by.toString());
        assertTrue(running("org.example.b"), "a linked plist is not heph's file any more: survives");
        assertEquals("removed", by.get("org.example.c").get("how"));
        assertFalse(running("org.example.c"));
        assertEquals("kept", by.get("org.example.d").get("how"));
        assertTrue(by.get("org.example.d").get("message").toString().endsWith(", but " + shared.toRealPath()
                + " installs it too; left alone"), by.toString());
        assertTrue(running("org.example.d"), "another folder's agent survives");

        // all four are forgotten: even with b's file back, the next run says and touches nothing
        Files.delete(installed("org.example.b"));
        Files.copy(target, installed("org.example.b"));
        HephInSim.Run again = h.heph("apply", dotfiles.toString(), "--prune", "--json");
        assertEquals(0, again.exit(), again.out());
        assertEquals(List.of(), services(again), again.out());
        assertTrue(running("org.example.b"));
        assertTrue(running("org.example.a"));
    }

    @Test
    void anUnparseableRecordIsKeptAsideAndNothingIsPrunedFromIt() throws IOException {
        Path dotfiles = dir.resolve("dotfiles");
        agent(dotfiles, "a.plist", "org.example.a");
        agent(dotfiles, "b.plist", "org.example.b");
        assertEquals(0, h.heph("apply", dotfiles.toString()).exit());
        Path record;
        try (Stream<Path> records = Files.list(state().resolve("applied"))) {
            record = records.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        Files.writeString(record, "{\"version\": 1, \"dir\": ");
        Files.delete(dotfiles.resolve("b.plist"));
        agent(dotfiles, "c.plist", "org.example.c");

        h.sim.clearCalls();
        HephInSim.Run r = h.heph("apply", dotfiles.toString(), "--prune");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("could not parse " + record), r.err());
        assertTrue(r.err().contains("kept it as " + record + ".unparseable-"), r.err());
        assertTrue(mutating().stream().noneMatch(c -> c.startsWith("bootout")), mutating().toString());
        assertTrue(running("org.example.b"), "nothing pruned from a record heph cannot read");
        try (Stream<Path> names = Files.list(record.getParent())) {
            assertEquals(1, names.filter(p -> p.getFileName().toString().contains(".unparseable-")).count());
        }
        // a fresh record of what this run installed; a, installed before with the same bytes, may have been
        // started with --plist as far as heph can tell now: not adopted
        assertTrue(Files.readString(record).contains("org.example.c"), "a fresh record");
        assertFalse(Files.readString(record).contains("org.example.a"), "not adopted");
    }
}
