package heph.launchd;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.support.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every real {@code launchctl print} paste in tests/fixtures/real-launchctl/ (sources in its INDEX.md, section A),
 * read by {@link PrintInfo} exactly as launchd meant it. Each case states every value heph reads, so a field read
 * from a nested block, a header heph fails to recognise (macOS 10.10-10.15 print {@code label = {} without the
 * domain, docs/facts/launchd-facts.md §13) or a replacement of {@code last exit code} it misses fails the case.
 */
@org.junit.jupiter.api.Tag("unit")
class RealPrintTranscriptsTest {
    static final Path DIR = Repo.root().resolve("tests/fixtures/real-launchctl");

    static String read(String file) {
        try {
            return Files.readString(DIR.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What heph must read from one fixture; every value not set must be absent ("" / empty / false). */
    static final class Expect {
        final String file;
        final String facts;
        String state = "";
        OptionalLong pid = OptionalLong.empty();
        OptionalLong runs = OptionalLong.empty();
        String lastExitCode = "";
        OptionalInt lastExitStatus = OptionalInt.empty();
        String lastExitName = "";
        String lastSignal = "";
        String lastExitReason = "";
        String pendedSpawn = "";
        String program = "";
        List<String> arguments = List.of();
        OptionalInt exitTimeout = OptionalInt.empty();
        String path = "";
        List<String> properties = List.of();
        boolean running;
        boolean crashLoop;
        boolean respawning;
        boolean transitional;
        String submittedBy = "";
        String jobState = "";
        final Map<String, String> fields = new LinkedHashMap<>();
        final List<String> absentFields = new ArrayList<>();
        int fieldCount = -1;

        Expect(String file, String facts) {
            this.file = file;
            this.facts = facts;
        }

        Expect state(String s) {
            state = s;
            return this;
        }

        Expect pid(long p) {
            pid = OptionalLong.of(p);
            return this;
        }

        Expect runs(long n) {
            runs = OptionalLong.of(n);
            return this;
        }

        Expect exit(String code) {
            lastExitCode = code;
            return this;
        }

        Expect exitStatus(int n) {
            lastExitStatus = OptionalInt.of(n);
            return this;
        }

        Expect exitName(String n) {
            lastExitName = n;
            return this;
        }

        Expect signal(String s) {
            lastSignal = s;
            return this;
        }

        Expect reason(String r) {
            lastExitReason = r;
            return this;
        }

        Expect pended(String p) {
            pendedSpawn = p;
            return this;
        }

        Expect program(String p) {
            program = p;
            return this;
        }

        Expect args(String... a) {
            arguments = List.of(a);
            return this;
        }

        Expect timeout(int secs) {
            exitTimeout = OptionalInt.of(secs);
            return this;
        }

        Expect path(String p) {
            path = p;
            return this;
        }

        Expect properties(String... p) {
            properties = List.of(p);
            return this;
        }

        Expect running() {
            running = true;
            return this;
        }

        Expect crashLoop() {
            crashLoop = true;
            return this;
        }

        Expect submittedBy(String who) {
            submittedBy = who;
            return this;
        }

        Expect jobState(String js) {
            jobState = js;
            fields.put("job state", js);
            return this;
        }

        Expect respawning() {
            respawning = true;
            return this;
        }

        Expect transitional() {
            transitional = true;
            return this;
        }

        Expect field(String key, String value) {
            fields.put(key, value);
            return this;
        }

        Expect fieldCount(int n) {
            fieldCount = n;
            return this;
        }

        Expect noField(String key) {
            absentFields.add(key);
            return this;
        }

        @Override
        public String toString() {
            return file;
        }
    }

    static final String DOCK = "/System/Library/CoreServices/Dock.app/Contents/MacOS/Dock";
    static final String AXVSA = "/System/Library/PrivateFrameworks/UniversalAccess.framework/Versions/A/Resources/"
            + "AXVisualSupportAgent.app/Contents/MacOS/AXVisualSupportAgent";
    static final String CLEANUP = "/Users/dev/.local/bin/weekly-cache-cleanup.sh";
    static final String WAZUH_APP = "/usr/local/Library/Application Support/Wazuh agent.app";

    static Stream<Expect> cases() {
        return Stream.of(
                new Expect("print-01-running-gui-Dock-macos26-dumpstate.txt", "§3 running LaunchAgent, macOS 26")
                        .state("running").pid(1269).runs(1).exit("(never exited)").program(DOCK).timeout(5)
                        .path("/System/Library/LaunchAgents/com.apple.Dock.plist").running()
                        .properties("app", "system service", "exponential throttling", "tle system")
                        .field("active count", "13").field("spawn role", "ui (2)").field("job state", "running")
                        .noField("port").noField("ID"), // endpoint and coalition blocks stay nested
                new Expect("print-02-notrunning-exit0-jobstate-exited-gui-AXVisualSupportAgent-macos26-dumpstate.txt",
                        "§3 loaded but not running, self-exit; §13 coalitions still `state = active`")
                        .state("not running").runs(8).exit("0").exitStatus(0).program(AXVSA)
                        .args(AXVSA, "launchd", "-s").timeout(5)
                        .path("/System/Library/LaunchAgents/com.apple.accessibility.AXVisualSupportAgent.plist")
                        .properties("supports transactions", "app", "inferred program", "system service",
                                "exponential throttling", "tle system")
                        .field("job state", "exited").field("active count", "0")
                        .field("bundle id", "com.apple.accessibility.AXVisualSupportAgent").noField("bundle ID"),
                new Expect("print-03-notrunning-lastexitreason-jetsam-noexitcode-gui-mlruntimed-macos26-dumpstate.txt",
                        "§13 `last exit reason` in place of `last exit code`")
                        .state("not running").runs(1).reason("JETSAM_REASON_MEMORY_IDLE_EXIT")
                        .program("/usr/libexec/mlruntimed").args("/usr/libexec/mlruntimed").timeout(5)
                        .path("/System/Library/LaunchAgents/com.apple.mlruntimed.plist")
                        .properties("supports transactions", "supports pressured exit", "inferred program",
                                "system service", "exponential throttling", "tle system")
                        .field("last jetsam exit details", "JETSAM_REASON_MEMORY_IDLE_EXIT")
                        .field("spawn type", "adaptive (6)"),
                new Expect("print-07-running-after-kickstart-k-lastsignal-TERM-gui-thirdparty-agent.txt",
                        "§3/§13 `last terminating signal` after kickstart -k")
                        .state("running").pid(16090).runs(2).signal("Terminated: 15").program(CLEANUP).args(CLEANUP)
                        .timeout(5).path("/Users/dev/Library/LaunchAgents/com.dev.weekly-cache-cleanup.plist")
                        .running().properties("runatload", "low priority i/o", "inferred program")
                        .field("nice", "10").field("run interval", "43200 seconds")
                        .field("stdout path", "/Users/dev/.local/state/weekly-cache-cleanup.out.log")
                        .noField("name"),
                new Expect("print-08-grep-filtered-notrunning-nested-state-leak-gui-thirdparty-agent.txt",
                        "§13 nested coalition `state = active` under a grep; FRAGMENT")
                        .state("not running").runs(2).exit("0").exitStatus(0)
                        .field("stderr path", "/Users/dev/.local/state/weekly-cache-cleanup.err.log")
                        .field("run interval", "43200 seconds").fieldCount(6),
                new Expect("print-09-running-neverexited-system-daemon-ventura-wazuh1917.txt",
                        "§3 running, `system/` header, macOS 13")
                        .state("running").pid(337).runs(1).exit("(never exited)")
                        .program("/Library/StartupItems/WAZUH/launcher.sh")
                        .args("/Library/StartupItems/WAZUH/launcher.sh").timeout(5)
                        .path("/Library/LaunchDaemons/com.wazuh.agent.plist").running()
                        .properties("runatload", "inferred program", "system service")
                        .field("forks", "19901").field("domain", "system").noField("activation rate"),
                new Expect("print-11-running-system-daemon-mojave-wazuh2206-TRUNCATED.txt",
                        "§13 header without domain (macOS 10.14), 8-space indentation")
                        .state("running").pid(1486).runs(3).exit("0").exitStatus(0)
                        .program("/Library/StartupItems/WAZUH/Wazuh-launcher")
                        .args("/Library/StartupItems/WAZUH/Wazuh-launcher").timeout(5)
                        .path("/Library/LaunchDaemons/com.wazuh.agent.plist").running()
                        .field("immediate reason", "one-shot").field("successive crashes", "0")
                        .field("domain", "com.apple.xpc.launchd.domain.system").noField("PATH"),
                new Expect("print-16-running-args-with-spaces-system-daemon-wazuhagent626-TRUNCATED.txt",
                        "§3 arguments containing spaces, one per line")
                        .state("running").pid(4205).runs(1).exit("(never exited)")
                        .program(WAZUH_APP + "/bin/wazuh-agent")
                        .args(WAZUH_APP + "/bin/wazuh-agent", "--config-file", WAZUH_APP + "/etc/wazuh-agent.yml")
                        .timeout(5).path("/Library/LaunchDaemons/com.wazuh.agent.plist").running()
                        .field("working directory", WAZUH_APP + "/bin")
                        .field("spawn type", "daemon (3)"), // the last line, without a newline
                new Expect("print-17-running-tabs-copycount-oneshot-nodomainprefix-wazuhdoc7498-TRUNCATED.txt",
                        "§13 header without domain, tabs; TRUNCATED before `pid =`, so not provably running")
                        .state("running").program("/Library/StartupItems/WAZUH/Wazuh-launcher")
                        .args("/Library/StartupItems/WAZUH/Wazuh-launcher")
                        .path("/Library/LaunchDaemons/com.wazuh.agent.plist")
                        .field("copy count", "0").field("one shot", "0").noField("PATH"),
                new Expect("print-18-submitted-loginitem-notrunning-jobstate-exited-gui-sLaunchctl-fixture.txt",
                        "§3 SMAppService job; a line without `=`; Swift's 8 extra spaces on every line")
                        .state("not running").runs(1).exit("0").exitStatus(0).timeout(5)
                        .submittedBy("smd.500")
                        .properties("supports transactions", "resolve program", "has LWCR")
                        .field("type", "Submitted").field("job state", "exited")
                        .field("program identifier", "com.vendor.helper (mode: 1)")
                        .field("BTM uuid", "2149970E-6C68-4C98-8D3A-EBA52AC7B12F")
                        .noField("submitted job. ignore execute allowed").noField("port"),
                new Expect("print-21-spawn-scheduled-crashloop-runs17169-exit1-gui-mimi-TRIMMED.txt",
                        "§3 throttled, §13 crash loop under KeepAlive")
                        .state("spawn scheduled").runs(17169).exit("1").exitStatus(1).program("/usr/local/bin/mimi")
                        .path("/Users/test/Library/LaunchAgents/com.y3owk1n.mimi.plist").crashLoop()
                        .field("active count", "0"),
                new Expect("print-22-running-neverexited-gui-mimi-TRIMMED.txt", "§3 running, never exited")
                        .state("running").pid(1478).runs(1).exit("(never exited)").program("/usr/local/bin/mimi")
                        .path("/Users/test/Library/LaunchAgents/com.y3owk1n.mimi.plist").running()
                        .field("immediate reason", "speculative"),
                new Expect("print-23-FRAGMENT-grep-lastexit-78-EX_CONFIG-gui501-sopsnix801.txt",
                        "§3/§13 `last exit code = 78: EX_CONFIG`, number and name")
                        .exit("78: EX_CONFIG").exitStatus(78).exitName("EX_CONFIG").fieldCount(1),
                new Expect("print-24-FRAGMENT-grep-lastexit-150-8space-tahoe-sshaskpass57.txt",
                        "§13 grep with the prompt line, 8-space indentation, macOS 26")
                        .exit("150").exitStatus(150).fieldCount(1),
                new Expect("print-25-FRAGMENT-domain-print-services-table-row-agenix180.txt",
                        "§3 domain print table row: no service fields at all")
                        .fieldCount(0),
                new Expect("print-26-notrunning-exit1-jobstate-exited-user501-thirdparty-ipados18-dumpstate.txt",
                        "§3 `user/501/` header")
                        .state("not running").runs(1).exit("1").exitStatus(1).program("/var/jb/bin/sh")
                        .args("/var/jb/usr/bin/sh", "/var/jb/usr/libexec/shshd-wrapper").timeout(3)
                        .path("/private/preboot/8AE96CBA8922A9DC788EA78346D5DD9A0B42207051F4F0BD9D508BE44FECA3A8273B87"
                                + "BDDF4865880C1B568598E2185E/jb-vANnV1eY/procursus/Library/LaunchDaemons/"
                                + "us.diatr.shshd.plist")
                        .properties("runatload", "supports transactions", "supports pressured exit",
                                "exponential throttling", "needs proxy")
                        .field("retain only", "0").field("job state", "exited")
                        .field("run interval", "604800 seconds").field("domain", "user/501"),
                new Expect("print-28-FRAGMENT-notrunning-runs0-pended-nondemand-spawn-speculative-gui501-libydotfiles28.txt",
                        "§13 RunAtLoad never fired: `pended nondemand spawn = speculative`")
                        .state("not running").runs(0).pended("speculative").fieldCount(3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsEveryRealPrintBlockRight(Expect e) {
        verify(e, read(e.file));
    }

    /** Checks every value {@code e} names against what PrintInfo reads from {@code out}. */
    static void verify(Expect e, String out) {
        PrintInfo p = PrintInfo.parse(0, out, "");
        Map<String, String> f = PrintInfo.fields(out);
        String why = e.file + " (docs/facts/launchd-facts.md " + e.facts + ")";
        assertAll(why,
                () -> assertTrue(p.loaded(), "presence"),
                () -> assertEquals(e.state, p.state(), "state"),
                () -> assertEquals(e.pid, p.pid(), "pid"),
                () -> assertEquals(e.runs, p.runs(), "runs"),
                () -> assertEquals(e.lastExitCode, p.lastExitCode(), "last exit code"),
                () -> assertEquals(e.lastExitStatus, p.lastExitStatus(), "last exit status"),
                () -> assertEquals(e.lastExitName, p.lastExitName(), "last exit name"),
                () -> assertEquals(e.lastSignal, p.lastSignal(), "last terminating signal"),
                () -> assertEquals(e.lastExitReason, p.lastExitReason(), "last exit reason"),
                () -> assertEquals(e.pendedSpawn, p.pendedSpawn(), "pended nondemand spawn"),
                () -> assertEquals(e.program, p.program(), "program"),
                () -> assertEquals(e.arguments, p.arguments(), "arguments"),
                () -> assertEquals(e.exitTimeout, p.exitTimeoutSecs(), "exit timeout"),
                () -> assertEquals(e.path, p.path(), "path"),
                () -> assertEquals(e.properties, p.properties(), "properties"),
                () -> assertEquals(e.running, p.running(), "running()"),
                () -> assertEquals(e.crashLoop, p.crashLoop(), "crashLoop()"),
                () -> assertEquals(e.transitional, p.transitional(), "transitional()"), // only print-42 is caught there
                () -> assertEquals(e.respawning, p.respawning(), "respawning()"),
                () -> assertEquals(e.submittedBy, p.submittedBy(), "submitted by"),
                () -> assertEquals(e.jobState.isEmpty() ? f.getOrDefault("job state", "") : e.jobState, p.jobState(),
                        "job state"),
                () -> assertFalse(p.draining(), "draining()"),
                () -> e.fields.forEach((k, v) -> assertEquals(v, f.get(k), "field " + k)),
                () -> assertTrue(e.fieldCount < 0 || e.fieldCount == f.size(), "fields " + f),
                () -> e.absentFields.forEach(k -> assertFalse(f.containsKey(k), k + " leaked from a nested block")),
                () -> assertFalse(f.keySet().stream().anyMatch(k -> k.contains("=>") || k.endsWith("{")),
                        "a `=>` pair or a block opener read as a field: " + f.keySet()));
    }

    @Test
    void everyPrintFixtureHasACase() {
        Set<String> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.map(x -> x.getFileName().toString()).filter(n -> n.startsWith("print-"))
                    .filter(n -> !RealPrintTranscripts2Test.isBatch2(n))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(17, files.size(), "INDEX.md section A lists 17 print blocks");
        assertEquals(files, cases().map(e -> e.file).collect(Collectors.toCollection(TreeSet::new)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gui/501/com.wazuh.agent", "system/com.wazuh.agent", "user/501/com.wazuh.agent",
        "com.wazuh.agent", "pid/337/com.wazuh.agent"})
    void headerWithOrWithoutDomainReadsTheSame(String name) { // docs/facts/launchd-facts.md §13: no domain before Big Sur
        String ventura = read("print-09-running-neverexited-system-daemon-ventura-wazuh1917.txt");
        PrintInfo expected = PrintInfo.parse(0, ventura, "");
        PrintInfo p = PrintInfo.parse(0, ventura.replaceFirst("system/com\\.wazuh\\.agent = \\{", name + " = {"), "");
        assertEquals(expected, p);
        assertTrue(p.running());
    }

    @Test
    void swiftIndentationAndSpacesReadLikeTheTabsLaunchdPrints() { // INDEX.md: print-18 carries 8 extra spaces
        String swift = read("print-18-submitted-loginitem-notrunning-jobstate-exited-gui-sLaunchctl-fixture.txt");
        String plain = swift.lines().map(l -> l.startsWith("        ") ? l.substring(8) : l)
                .collect(Collectors.joining("\n", "", "\n"));
        String tabs = plain.lines().map(l -> {
            int n = 0;
            while (n < l.length() && l.charAt(n) == ' ') {
                n++;
            }
            return "\t".repeat(n / 4) + l.substring(n);
        }).collect(Collectors.joining("\n", "", "\n"));
        PrintInfo expected = PrintInfo.parse(0, swift, "");
        assertEquals(expected, PrintInfo.parse(0, plain, ""));
        assertEquals(expected, PrintInfo.parse(0, tabs, ""));
        assertEquals(PrintInfo.fields(swift), PrintInfo.fields(tabs));

        String mojave = read("print-11-running-system-daemon-mojave-wazuh2206-TRUNCATED.txt");
        assertEquals(PrintInfo.parse(0, mojave, ""), PrintInfo.parse(0, mojave.replace("        ", "\t"), ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"xpcproxy", "spawning"})
    void spawnInProgressIsTransitionalNotStopped(String state) {
        // docs/facts/launchd-facts.md §3 state enum (spawning) and §13 (`state = xpcproxy` after kickstart, siq-agent-security
        // PR 66, macOS 26.6.2): the real print-22 block with the state launchd shows while the spawn is under way
        String out = read("print-22-running-neverexited-gui-mimi-TRIMMED.txt")
                .replace("state = running", "state = " + state).replace("\tpid = 1478\n", "");
        PrintInfo p = PrintInfo.parse(0, out, "");
        assertEquals(state, p.state());
        assertTrue(p.transitional());
        assertFalse(p.running());
        assertFalse(p.crashLoop());
        assertFalse(p.draining());
        assertFalse(PrintInfo.parse(113, out, "").transitional(), "not loaded is never transitional");
    }

    @Test
    void crashLoopNeedsSpawnScheduledSeveralRunsAndAnEnd() { // docs/facts/launchd-facts.md §3 Throttled, §13 print-21
        String loop = read("print-21-spawn-scheduled-crashloop-runs17169-exit1-gui-mimi-TRIMMED.txt");
        assertTrue(PrintInfo.parse(0, loop, "").crashLoop());
        assertFalse(PrintInfo.parse(0, loop.replace("runs = 17169", "runs = 1"), "").crashLoop(),
                "a first throttled respawn is not a loop yet");
        assertFalse(PrintInfo.parse(0, loop.replace("last exit code = 1", "last exit code = (never exited)"), "")
                .crashLoop());
        assertFalse(PrintInfo.parse(0, loop.replace("spawn scheduled", "not running"), "").crashLoop());
        PrintInfo signalled = PrintInfo.parse(0,
                loop.replace("last exit code = 1", "last terminating signal = Killed: 9"), "");
        assertTrue(signalled.crashLoop());
        assertEquals("Killed: 9", signalled.lastSignal());
        assertEquals("last terminating signal Killed: 9", signalled.lastExit());
    }

    @Test
    void lastExitSaysWhichFieldLaunchdGave() { // docs/facts/launchd-facts.md §13: three fields end a run
        assertEquals("last exit code 78: EX_CONFIG", PrintInfo.parse(0,
                read("print-23-FRAGMENT-grep-lastexit-78-EX_CONFIG-gui501-sopsnix801.txt"), "").lastExit());
        assertEquals("last terminating signal Terminated: 15", PrintInfo.parse(0,
                read("print-07-running-after-kickstart-k-lastsignal-TERM-gui-thirdparty-agent.txt"), "").lastExit());
        assertEquals("last exit reason JETSAM_REASON_MEMORY_IDLE_EXIT", PrintInfo.parse(0,
                read("print-03-notrunning-lastexitreason-jetsam-noexitcode-gui-mlruntimed-macos26-dumpstate.txt"),
                "").lastExit());
        assertEquals("", PrintInfo.parse(0,
                read("print-28-FRAGMENT-notrunning-runs0-pended-nondemand-spawn-speculative-gui501-libydotfiles28.txt"),
                "").lastExit());
    }

    @Test
    void nestedStateOfAGrepNeverWinsWhateverTheOrder() {
        // docs/facts/launchd-facts.md §13 (print-08; aragora PR 6072: a coalition's `state = active` overrode the job's state in a
        // parser that kept the last match): the grep's lines in reverse order put the nested lines first
        List<String> lines = new ArrayList<>(
                read("print-08-grep-filtered-notrunning-nested-state-leak-gui-thirdparty-agent.txt").lines().toList());
        java.util.Collections.reverse(lines);
        PrintInfo p = PrintInfo.parse(0, String.join("\n", lines) + "\n", "");
        assertEquals("not running", p.state());
        assertEquals(OptionalLong.of(2), p.runs());
        assertFalse(p.running());
    }

    @Test
    void sigtermedAfterBootoutIsDraining() { // err-22b: `print | grep "state ="` right after bootout
        String line = read("err-22b-sigtermed-after-bootout-then-bootstrap-5-repro-codexremote916.txt").lines()
                .filter(l -> l.contains("# state = ")).findFirst().orElseThrow();
        PrintInfo p = PrintInfo.parse(0, line.substring(line.indexOf("# ") + 2) + "\n", "");
        assertEquals("SIGTERMed", p.state());
        assertTrue(p.draining());
        assertFalse(p.transitional());
        assertFalse(p.running());
    }
}
