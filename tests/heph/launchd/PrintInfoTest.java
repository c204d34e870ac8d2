package heph.launchd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.launchd.PrintInfo.Presence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import heph.support.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fixtures under tests/fixtures/launchctl-print/ come from docs/facts/launchd-facts.md §3. Verbatim: not-found-bad-request (POGO),
 * not-found (LUMEN/DBARJS/BROW form), no-domain (SILVERBACK-2). Assembled from §3 fragments, with the fragments'
 * "..." elisions filled by fields §3 lists: running-agent (PYFIN), mattstack-running (MATTSTACK full capture, its
 * coalition blocks written out), and the hephd-* / state fixtures built on the plain-LaunchAgent field list.
 */
@org.junit.jupiter.api.Tag("unit")
class PrintInfoTest {
    static final String HOME = "/Users/alice";
    static final List<String> HEPHD_ARGS = List.of(HOME + "/.cargo/bin/hephd", "--mode", "local",
            "--db", HOME + "/.local/share/heph/heph.db", "--socket", HOME + "/.local/share/heph/hephd.sock");

    static String fixture(String name) {
        try {
            return Files.readString(Repo.root().resolve("tests/fixtures/launchctl-print").resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException("missing fixture " + name, e);
        }
    }

    static PrintInfo loaded(String fixtureName) {
        return PrintInfo.parse(0, fixture(fixtureName), "");
    }

    @Test
    void runningAgentPyfin() { // docs/facts/launchd-facts.md §3: running LaunchAgent (T: PYFIN)
        PrintInfo p = loaded("running-agent.txt");
        assertEquals(Presence.LOADED, p.presence());
        assertTrue(p.running());
        assertFalse(p.draining());
        assertEquals(OptionalLong.of(85245), p.pid());
        assertEquals("/usr/bin/caffeinate", p.program());
        assertEquals(List.of("/usr/bin/caffeinate", "-s"), p.arguments());
        assertEquals(OptionalLong.of(12), p.runs());
        assertEquals(OptionalInt.of(5), p.exitTimeoutSecs());
        assertEquals("", p.lastExitCode()); // PYFIN shows only `last terminating signal`
        assertEquals(OptionalInt.empty(), p.lastExitStatus());
        assertEquals(List.of("keepalive", "runatload", "legacy timer behavior", "inferred program", "managed LWCR",
                "has LWCR"), p.properties());
    }

    @Test
    void mattstackFullCaptureSkipsNestedBlocks() { // docs/facts/launchd-facts.md §3: full capture (F-captured: MATTSTACK)
        String out = fixture("mattstack-running.txt");
        PrintInfo p = PrintInfo.parse(0, out, "");
        assertTrue(p.running());
        assertEquals("running", p.state()); // not the coalition blocks' `state = active`
        assertEquals(OptionalLong.of(28474), p.pid());
        assertEquals("", p.program()); // `program identifier = ...` is another field
        assertEquals("", p.path()); // `(submitted by smd.543)` is no file: an SMAppService job
        assertEquals("smd.543", p.submittedBy());
        assertEquals(List.of("Contents/MacOS/rt", "--daemon"), p.arguments());
        assertEquals(OptionalInt.of(30), p.exitTimeoutSecs());
        assertEquals(OptionalLong.of(3), p.runs());
        assertEquals("1", p.lastExitCode());
        assertEquals(OptionalInt.of(1), p.lastExitStatus());
        assertEquals(List.of("partial import", "runatload", "resolve program", "has LWCR"), p.properties());
        Map<String, String> f = PrintInfo.fields(out);
        assertEquals("1", f.get("active count"));
        assertEquals("running", f.get("job state"));
        assertEquals("0 (queried = 1)", f.get("checked allocations"));
        for (String nested : List.of("ID", "name", "OSLogRateLimit", "successful exit", "PATH")) {
            assertFalse(f.containsKey(nested), nested + " leaked from a nested block");
        }
        assertEquals("Submitted", f.get("type"));
    }

    @Test
    void hephdRunningWholeRecord() { // docs/facts/launchd-facts.md §3: plain ~/Library/LaunchAgents job, assembled
        PrintInfo expected = new PrintInfo(Presence.LOADED, "running", OptionalLong.of(4242), HOME + "/.cargo/bin/hephd",
                HEPHD_ARGS, HOME + "/Library/LaunchAgents/org.hephaestus.hephd.plist", OptionalInt.of(5),
                OptionalLong.of(1), "(never exited)", List.of("keepalive", "runatload", "inferred program"), "", "", "",
                "running", "");
        assertEquals(expected, loaded("hephd-running.txt"));
    }

    @Test
    void spacesAndCrlfParseLikeTabs() {
        String tabs = fixture("hephd-running.txt");
        String spaces = tabs.replace("\t", "    ").replace("\n", "\r\n");
        assertEquals(PrintInfo.parse(0, tabs, ""), PrintInfo.parse(0, spaces, ""));
        assertEquals(HEPHD_ARGS, PrintInfo.parse(0, spaces, "").arguments());
    }

    @Test
    void fieldsInAnyOrderWithUnknownLinesAnywhere() {
        String out = """
                gui/501/org.hephaestus.hephd = {
                  pid = 77
                  brand new field = 3
                  submitted job. ignore execute allowed
                  arguments = {
                    /opt/heph/bin/hephd
                    --db
                    /Volumes/My Disk/heph.db
                  }
                  last exit code = 75: EX_TEMPFAIL
                  state = running
                  properties = runatload
                  runs = 2
                  program = /opt/heph/bin/hephd
                }
                """;
        PrintInfo p = PrintInfo.parse(0, out, "");
        assertTrue(p.running());
        assertEquals(OptionalLong.of(77), p.pid());
        assertEquals(List.of("/opt/heph/bin/hephd", "--db", "/Volumes/My Disk/heph.db"), p.arguments());
        assertEquals(OptionalInt.of(75), p.lastExitStatus()); // previous run's code next to a live pid (RUNDESK-A §6)
        assertEquals(List.of("runatload"), p.properties());
        assertEquals("3", PrintInfo.fields(out).get("brand new field"));
    }

    @Test
    void nestedBlocksNeverLeakIntoTopLevelFields() {
        String out = """
                gui/501/org.hephaestus.hephd = {
                \tendpoints = {
                \t\t"org.hephaestus.hephd.rpc" = {
                \t\t\tpid = 1
                \t\t\tstate = bogus
                \t\t\targuments = {
                \t\t\t\t/evil
                \t\t\t}
                \t\t}
                \t\tprogram = /evil
                \t}
                \tparent = {
                \t\truns = 999
                \t\tproperties = evil
                \t\tlast exit code = 66: EX_NOINPUT
                \t\texit timeout = 1
                \t\tpath = /evil
                \t}
                \tstate = SIGKILLed
                \tpid = 99
                \tprogram = /good
                }
                """;
        PrintInfo p = PrintInfo.parse(0, out, "");
        assertEquals("SIGKILLed", p.state());
        assertEquals(OptionalLong.of(99), p.pid());
        assertEquals("/good", p.program());
        assertEquals(List.of(), p.arguments());
        assertEquals(OptionalLong.empty(), p.runs());
        assertEquals(OptionalInt.empty(), p.exitTimeoutSecs());
        assertEquals("", p.path());
        assertEquals("", p.lastExitCode());
        assertEquals(List.of(), p.properties());
        assertTrue(p.draining()); // SIGKILLed: bootout escalated, label still registered (docs/facts/launchd-facts.md §2)
        assertFalse(p.running());
    }

    @Test
    void notRunningNeverExited() { // docs/facts/launchd-facts.md §3: `state = not running`, `(never exited)` (T: OPENBASE-15)
        PrintInfo p = loaded("not-running-never-exited.txt");
        assertTrue(p.loaded());
        assertFalse(p.running());
        assertFalse(p.draining());
        assertEquals("not running", p.state());
        assertEquals(OptionalLong.empty(), p.pid());
        assertEquals(OptionalLong.of(0), p.runs());
        assertEquals("(never exited)", p.lastExitCode());
        assertEquals(OptionalInt.empty(), p.lastExitStatus());
        assertEquals(HEPHD_ARGS, p.arguments());
    }

    @Test
    void spawnFailedExConfig() { // docs/facts/launchd-facts.md §3: `last exit code = 78: EX_CONFIG`, `job state = spawn failed`
        String out = fixture("spawn-failed-ex-config.txt");
        PrintInfo p = PrintInfo.parse(0, out, "");
        assertTrue(p.loaded());
        assertFalse(p.running());
        assertEquals(OptionalLong.empty(), p.pid());
        assertEquals("78: EX_CONFIG", p.lastExitCode());
        assertEquals(OptionalInt.of(78), p.lastExitStatus());
        assertEquals("spawn failed", PrintInfo.fields(out).get("job state"));
        assertEquals("0", PrintInfo.fields(out).get("active count"));
    }

    @Test
    void sigtermedDuringBootoutIsDraining() { // docs/facts/launchd-facts.md §2/§3: print still 0, `state = SIGTERMed` (CODEX-914)
        PrintInfo p = loaded("sigtermed-bootout.txt");
        assertTrue(p.loaded());
        assertTrue(p.draining());
        assertFalse(p.running());
        assertEquals(OptionalLong.of(4242), p.pid());
    }

    @Test
    void spawnScheduledIsNeitherRunningNorDraining() { // docs/facts/launchd-facts.md §3: throttled (RUNDESK-A §5)
        String out = fixture("spawn-scheduled.txt");
        PrintInfo p = PrintInfo.parse(0, out, "");
        assertEquals("spawn scheduled", p.state());
        assertFalse(p.running());
        assertFalse(p.draining());
        assertEquals(OptionalLong.empty(), p.pid());
        assertEquals(OptionalInt.of(1), p.lastExitStatus());
        assertEquals("3", PrintInfo.fields(out).get("successive crashes"));
    }

    @Test
    void fragmentWithoutHeaderStillParses() { // docs/facts/launchd-facts.md §3: IPHONEUSE-28 fragment, verbatim
        String out = """
                state = running
                runs = 38771
                pid = 60560
                immediate reason = inefficient
                last exit code = 1
                properties = keepalive | runatload | inferred program | managed LWCR | has LWCR
                """;
        PrintInfo p = PrintInfo.parse(0, out, "");
        assertTrue(p.running());
        assertEquals(OptionalLong.of(38771), p.runs());
        assertEquals(OptionalLong.of(60560), p.pid());
        assertEquals(OptionalInt.of(1), p.lastExitStatus());
        assertEquals(5, p.properties().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-found-bad-request.txt", "not-found.txt"})
    void exit113IsNotFound(String stderrFixture) { // docs/facts/launchd-facts.md §3: not loaded -> 113, with/without `Bad request.`
        PrintInfo p = PrintInfo.parse(113, "", fixture(stderrFixture));
        assertEquals(Presence.NOT_FOUND, p.presence());
        assertFalse(p.loaded());
        assertFalse(p.running());
        assertFalse(p.draining());
        assertEquals(OptionalLong.empty(), p.pid());
        assertEquals("", p.state());
    }

    @Test
    void exit112IsNoDomain() { // docs/facts/launchd-facts.md §3: domain missing -> 112
        PrintInfo p = PrintInfo.parse(112, "", fixture("no-domain.txt"));
        assertEquals(Presence.NO_DOMAIN, p.presence());
        assertFalse(p.loaded());
    }

    @Test
    void otherNonzeroIsErrorAndStdoutIsIgnored() {
        // docs/facts/launchd-facts.md General rules: bad target specifier -> 64 + usage
        PrintInfo p = PrintInfo.parse(64, fixture("hephd-running.txt"),
                "Unrecognized target specifier. <service-target> takes a form of <domain-target>/<service-id>.");
        assertEquals(Presence.ERROR, p.presence());
        assertFalse(p.running());
        assertEquals(OptionalLong.empty(), p.pid());
        assertEquals(Presence.ERROR, PrintInfo.parse(5, "", "").presence());
    }

    @Test
    void exitZeroWithEmptyOutputIsLoadedButNotRunning() {
        PrintInfo p = PrintInfo.parse(0, "", "");
        assertTrue(p.loaded());
        assertFalse(p.running());
        assertEquals("", p.state());
        assertEquals(List.of(), p.arguments());
        assertTrue(PrintInfo.parse(0, null, null).loaded());
    }

    @Test
    void malformedNumbersAreEmpty() {
        PrintInfo p = PrintInfo.parse(0, "gui/501/x = {\n\tpid = none\n\truns = 1e3\n\texit timeout = 99999999999\n}\n", "");
        assertEquals(OptionalLong.empty(), p.pid());
        assertEquals(OptionalLong.empty(), p.runs());
        assertEquals(OptionalInt.empty(), p.exitTimeoutSecs());
    }

    @Test
    void pairsBareLinesAndEqualsInsideValues() { // docs/facts/launchd-facts.md §3/§13: `=>` pairs, lines without ` = `
        String out = """
                org.example.agent = {
                	"FOO = bar" => 1
                	PATH => /usr/bin:/bin
                	submitted job. ignore execute allowed
                	checked allocations = 0 (queried = 1)
                	stdout path =
                	state = running
                	pid = 7
                }
                trailing junk = after the block
                """;
        Map<String, String> f = PrintInfo.fields(out);
        assertEquals(Map.of("checked allocations", "0 (queried = 1)", "stdout path", "", "state", "running",
                "pid", "7"), f);
        assertTrue(PrintInfo.parse(0, out, "").running());
    }
}
