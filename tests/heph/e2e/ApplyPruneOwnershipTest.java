package heph.e2e;

import static heph.e2e.ApplyPruneLaunchdTest.agent;
import static heph.e2e.ApplyPruneLaunchdTest.services;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ZtExecRunner;
import heph.sim.SimOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heph apply DIR --prune} removes only what an apply of DIR wrote and still finds, byte for byte, where it
 * wrote it: an agent whose installed file is gone (another program may have loaded the label from its own file
 * since), a record entry naming another file, an agent adopted from a --plist start, and a link are left alone;
 * the record of a folder that no longer exists holds nothing back; bookkeeping trouble is a warning.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class ApplyPruneOwnershipTest {
    @TempDir
    Path dir;
    HephInSim h;

    @BeforeEach
    void start() {
        h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(53).withCleanupLagMs(200, 400));
    }

    @AfterEach
    void close() {
        h.close();
    }

    Path installed(String label) {
        return h.sim.launchAgents().resolve(label + ".plist");
    }

    boolean running(String label) {
        return h.sim.runningPid(label).isPresent();
    }

    Path record() throws IOException {
        try (Stream<Path> records = Files.list(h.sim.home().resolve(".local/state/heph/applied"))) {
            return records.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
    }

    void bootstrap(Path plist) throws IOException {
        assertEquals(0, new ZtExecRunner().run(List.of(h.sim.launchctl().toString(), "bootstrap", h.sim.domain(),
                plist.toString()), Duration.ofSeconds(20)).exitCode());
    }

    @Test
    void aLabelAnotherProgramLoadedAfterTheInstalledFileWentIsForgottenNotBootedOut() throws IOException {
        Path d = dir.resolve("d");
        agent(d, "a.plist", "org.me.a");
        agent(d, "y.plist", "org.me.y");
        assertEquals(0, h.heph("apply", d.toString()).exit());
        Files.delete(d.resolve("y.plist"));
        assertEquals(0, h.heph("uninstall", "--label", "org.me.y").exit());
        bootstrap(agent(dir.resolve("other"), "org.me.y.plist", "org.me.y", "2"));
        assertTrue(running("org.me.y"));

        HephInSim.Run r = h.heph("apply", d.toString(), "--prune", "--json");
        assertEquals(0, r.exit(), r.out());
        Map<String, Object> y = services(r).stream().filter(s -> "org.me.y".equals(s.get("label"))).findFirst()
                .orElseThrow();
        assertFalse(y.get("how").equals("removed"), y.toString());
        assertTrue(y.get("message").toString().contains("is no longer installed; forgotten"), y.toString());
        assertTrue(running("org.me.y"), "another program's agent survives");
        assertFalse(Files.readString(record()).contains("org.me.y"), "forgotten");
    }

    @Test
    void aRecordEntryNamingAnotherFileIsIgnored() throws IOException {
        Path d = dir.resolve("d");
        agent(d, "a.plist", "org.me.a");
        agent(d, "z.plist", "org.me.z");
        assertEquals(0, h.heph("apply", d.toString()).exit());
        Path rec = record();
        // the foreign agent's file, named through the right folder and back out of it, with its true sha256
        Path foreign = agent(dir.resolve("etc"), "org.me.z.plist", "org.me.z", "3");
        assertEquals(0, h.heph("uninstall", "--label", "org.me.z").exit());
        bootstrap(foreign);
        String sneaky = h.sim.launchAgents() + "/../../../../.." + foreign;
        Files.writeString(rec, "{\"version\": 1, \"dir\": \"" + d.toRealPath() + "\", \"agents\": [{\"label\":"
                + " \"org.me.z\", \"source\": \"z.plist\", \"file\": \"" + sneaky + "\", \"sha256\": \""
                + sha256(Files.readAllBytes(foreign)) + "\"}]}\n");
        Files.delete(d.resolve("z.plist"));

        HephInSim.Run r = h.heph("apply", d.toString(), "--prune", "--json");
        assertEquals(0, r.exit(), r.out());
        assertTrue(running("org.me.z"), r.out());
        assertTrue(Files.exists(foreign));
        assertTrue(r.err().contains("which is not where heph installs it"), r.err());
        assertTrue(r.json().get("warnings").toString().contains("heph did not write that entry"), r.out());
        assertFalse(Files.readString(rec).contains("org.me.z"), "dropped");
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAgentStartedWithPlistFromTheSameBytesIsNotAdoptedByApply() throws IOException {
        Path plist = agent(dir.resolve("other"), "org.me.u.plist", "org.me.u");
        assertEquals(0, h.heph("start", "--plist", plist.toString()).exit());
        Path d = dir.resolve("d");
        agent(d, "a.plist", "org.me.a");
        Files.copy(plist, d.resolve("org.me.u.plist"));
        assertEquals(0, h.heph("apply", d.toString()).exit());
        Files.delete(d.resolve("org.me.u.plist"));

        HephInSim.Run r = h.heph("apply", d.toString(), "--prune", "--json");
        assertEquals(0, r.exit(), r.out());
        assertTrue(running("org.me.u"), r.out());
        assertEquals(List.of("org.me.a"), services(r).stream().map(s -> s.get("label")).toList(), r.out());
    }

    @Test
    void aSymlinkedInstalledFileIsKeptAndForgotten() throws IOException {
        Path d = dir.resolve("d");
        agent(d, "a.plist", "org.me.a");
        agent(d, "b.plist", "org.me.b");
        assertEquals(0, h.heph("apply", d.toString()).exit());
        Path target = dir.resolve("b-target.plist");
        Files.copy(installed("org.me.b"), target);
        Files.delete(installed("org.me.b"));
        Files.createSymbolicLink(installed("org.me.b"), target);
        Files.delete(d.resolve("b.plist"));

        HephInSim.Run r = h.heph("apply", d.toString(), "--prune", "--json");
        assertEquals(0, r.exit(), r.out());
        Map<String, Object> b = services(r).stream().filter(s -> "org.me.b".equals(s.get("label"))).findFirst()
                .orElseThrow();
        assertEquals("kept", b.get("how"), b.toString());
        assertTrue(b.get("message").toString().contains("is a symlink now"), b.toString());
        assertTrue(running("org.me.b"));
        HephInSim.Run again = h.heph("apply", d.toString(), "--prune", "--json");
        assertEquals(0, again.exit(), again.out());
        assertEquals(List.of("org.me.a"), services(again).stream().map(s -> s.get("label")).toList());
    }

    @Test
    void theRecordOfARenamedFolderHoldsNothingBack() throws IOException {
        Path four = dir.resolve("four");
        agent(four, "a.plist", "org.me.a");
        agent(four, "b.plist", "org.me.b");
        assertEquals(0, h.heph("apply", four.toString()).exit());
        Path five = dir.resolve("five");
        Files.move(four, five);
        assertEquals(0, h.heph("apply", five.toString()).exit());
        Files.delete(five.resolve("b.plist"));

        HephInSim.Run r = h.heph("apply", five.toString(), "--prune", "--json");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.err().contains("the record of " + four + ", which no longer exists, is ignored"), r.err());
        Map<String, Object> b = services(r).stream().filter(s -> "org.me.b".equals(s.get("label"))).findFirst()
                .orElseThrow();
        assertEquals("removed", b.get("how"), b.toString());
        assertFalse(running("org.me.b"));
    }

    @Test
    void aRecordThatCannotBeWrittenIsAWarningNotAFailure() throws IOException {
        Path state = h.sim.home().resolve(".local/state/heph");
        Files.createDirectories(state);
        Files.writeString(state.resolve("applied"), "not a folder\n"); // writing the record fails, even for root
        Path d = dir.resolve("d");
        agent(d, "a.plist", "org.me.a");
        HephInSim.Run r = h.heph("apply", d.toString(), "--prune", "--json");
        assertEquals(0, r.exit(), r.out());
        assertEquals(0, ((Number) r.json().get("failed")).intValue(), r.out());
        assertTrue(r.json().get("warnings").toString().contains("cannot record what " + d), r.out());
        assertTrue(r.err().contains("cannot record what " + d), r.err());
        assertTrue(running("org.me.a"));
    }

    @Test
    void anUnparseableRecordIsSaidOnce() throws IOException {
        Path d = dir.resolve("d");
        agent(d, "a.plist", "org.me.a");
        assertEquals(0, h.heph("apply", d.toString()).exit());
        Files.writeString(record(), "{");
        HephInSim.Run r = h.heph("apply", d.toString(), "--prune");
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.err().split("could not parse", -1).length - 1, r.err());
    }

    @Test
    void aSecondApplyOfTheFolderWaitsNamingTheFolder() throws IOException {
        Path d = dir.resolve("d");
        agent(d, "a.plist", "org.me.a");
        String real = d.toRealPath().toString();
        String name = "apply-" + sha256(real.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
        try (heph.fs.LabelLock held = heph.fs.LabelLock.acquire(h.sim.home().resolve(".local/state/heph"), name,
                Duration.ofSeconds(5), w -> { })) {
            HephInSim.Run r = h.heph("apply", d.toString(), "--lock-wait", "1");
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains("another heph is applying " + real), r.err());
            assertFalse(r.err().contains("working on " + name), r.err());
        }
    }
}
