package heph.sim;

import static heph.sim.SimHarness.EIO;
import static heph.sim.SimHarness.LABEL;
import static heph.sim.SimHarness.await;
import static heph.sim.SimHarness.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Process-level: real daemons behind the real bin/launchctl shim, reached through heph's ZtExecRunner. */
class LaunchdSimTest {
    @TempDir
    Path dir;
    Simulator sim;
    SimHarness h;

    SimHarness start(SimOptions o) {
        sim = Simulator.start(o);
        h = new SimHarness(sim);
        return h;
    }

    SimHarness start() {
        return start(SimOptions.in(dir).withCleanupLagMs(300, 300));
    }

    @AfterEach
    void closeSim() {
        if (sim != null) {
            sim.close();
        }
    }

    String noService(String label) {
        return "Could not find service \"" + label + "\" in domain for user gui: " + sim.uid() + "\n";
    }

    @Test
    void bootstrapSpawnsARealDaemonWhoseSocketAnswersWithItsArgv() throws Exception {
        start();
        Path plist = h.plist(LABEL, List.of("--mode", "local", "--hub-url", "http://hub:8787"), Map.of());
        ExecResult r = h.lc("bootstrap", sim.domain(), plist.toString());
        assertEquals(List.of(0, "", ""), List.of(r.exitCode(), r.stdout(), r.stderr())); // launchd-facts §1 success
        Map<String, Object> info = h.awaitInfo();
        assertEquals(List.of("--mode", "local", "--hub-url", "http://hub:8787"), info.get("argv"));
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) info.get("env");
        // launchd-facts §11 EnvironmentVariables: default PATH + XPC_SERVICE_NAME; HOME is the sim's deviation
        assertEquals("/usr/bin:/bin:/usr/sbin:/sbin", env.get("PATH"));
        assertEquals(LABEL, env.get("XPC_SERVICE_NAME"));
        assertEquals(sim.home().toString(), env.get("HOME"));

        String print = h.lc("print", h.target(LABEL)).stdout(); // launchd-facts §3 loaded -> dump, exit 0
        assertTrue(print.startsWith(h.target(LABEL) + " = {\n\tactive count = 1\n\tpath = " + plist + "\n"), print);
        assertTrue(print.contains("\tstate = running\n\n\tprogram = " + sim.hephd() + "\n"), print);
        assertTrue(print.contains("\tpid = " + info.get("pid") + "\n\tlast exit code = (never exited)\n"), print);
        assertTrue(print.contains("\tproperties = keepalive | runatload | inferred program\n}\n"), print);
        // launchd-facts §11 StandardOutPath: appended to the named file
        await("daemon log line", () -> read(sim.logs().resolve(LABEL + ".out.log")).contains("listening on"),
                Duration.ofSeconds(5));

        ExecResult again = h.lc("bootstrap", sim.domain(), plist.toString());
        assertEquals(List.of(5, EIO), List.of(again.exitCode(), again.stderr())); // launchd-facts §1 already loaded
        assertEquals(List.of("bootstrap " + sim.domain() + " " + plist + "=0", "print " + h.target(LABEL) + "=0",
                "bootstrap " + sim.domain() + " " + plist + "=5"),
                sim.calls().stream().map(c -> String.join(" ", c.argv()) + "=" + c.exitCode()).toList());
    }

    @Test
    void bootoutReturnsAtOnceThenTheLabelDrainsUntilReapedPlusLag() {
        start();
        sim.daemonProperty(SampleDaemon.SHUTDOWN_MS, "2000");
        Path plist = h.plist(LABEL);
        h.lc("bootstrap", sim.domain(), plist.toString());
        long pid = ((Number) h.awaitInfo().get("pid")).longValue();

        ExecResult out = h.lc("bootout", h.target(LABEL));
        assertEquals(0, out.exitCode()); // launchd-facts §2 loaded -> 0
        assertTrue(sim.spawns(LABEL).get(0).alive(), "bootout returned before the daemon died (§2, §9)");
        ExecResult print = h.lc("print", h.target(LABEL));
        assertEquals(0, print.exitCode()); // launchd-facts §3: during teardown print still 0
        assertTrue(print.stdout().contains("\tactive count = 1\n"), print.stdout());
        assertTrue(print.stdout().contains("\tstate = SIGTERMed\n"), print.stdout());
        assertTrue(print.stdout().contains("\tpid = " + pid + "\n"), print.stdout());

        ExecResult drain = h.lc("bootstrap", sim.domain(), plist.toString());
        assertEquals(List.of(5, "", EIO), List.of(drain.exitCode(), drain.stdout(), drain.stderr())); // §1 transitional

        ExecResult gone = SimHarness.awaitValue("print -> 113", () -> h.lc("print", h.target(LABEL)),
                r -> r.exitCode() != 0, Duration.ofSeconds(15));
        assertEquals(List.of(113, "", noService(LABEL)), List.of(gone.exitCode(), gone.stdout(), gone.stderr()));
        Spawn s = sim.spawns(LABEL).get(0);
        assertEquals(List.of(false, 0, 0), List.of(s.alive(), s.exitCode(), s.signal())); // graceful exit 0
        Call first113 = sim.calls().stream().filter(c -> c.exitCode() == 113).findFirst().orElseThrow();
        assertTrue(first113.endMs() >= s.endMs() + 300, "label left before reap + cleanup lag");

        assertEquals(0, h.lc("bootstrap", sim.domain(), plist.toString()).exitCode());
        assertNotEquals(pid, sim.runningPid(LABEL).orElseThrow());
    }

    @Test
    void bootstrapRefusesMissingGarbageWritableAndDisabledPlistsWithEio() throws Exception {
        start();
        // launchd-facts §1: missing plist as user (HERMES-31212)
        ExecResult missing = h.lc("bootstrap", sim.domain(), dir.resolve("nope.plist").toString());
        assertEquals(List.of(5, EIO), List.of(missing.exitCode(), missing.stderr()));
        Path garbage = sim.launchAgents().resolve("garbage.plist");
        Files.createDirectories(garbage.getParent());
        Files.writeString(garbage, "<plist><dict><key>Label</key>"); // §1 invalid plist as user (uncertainty 5)
        assertEquals(5, h.lc("bootstrap", sim.domain(), garbage.toString()).exitCode());
        Path plist = h.plist(LABEL, List.of(), map("RunAtLoad", false, "KeepAlive", false));
        Files.setPosixFilePermissions(plist, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals(5, h.lc("bootstrap", sim.domain(), plist.toString()).exitCode()); // §11 group-writable
        Files.setPosixFilePermissions(plist, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, h.lc("disable", h.target(LABEL)).exitCode());
        ExecResult disabled = h.lc("bootstrap", sim.domain(), plist.toString()); // §1 disabled label as user
        assertEquals(List.of(5, EIO), List.of(disabled.exitCode(), disabled.stderr()));

        assertEquals(0, h.lc("enable", h.target(LABEL)).exitCode()); // §5 fix pattern: enable, then bootstrap
        // a relative plist path is resolved against the caller's $PWD, which the shim forwards
        Path relative = Path.of("").toAbsolutePath().relativize(plist);
        assertEquals(0, h.lc("bootstrap", sim.domain(), relative.toString()).exitCode());
        // §1 note: without RunAtLoad/KeepAlive nothing starts; §3 loaded but not running
        String print = h.lc("print", h.target(LABEL)).stdout();
        assertTrue(print.contains("\tpath = " + plist + "\n"), print);
        assertTrue(print.contains("\tactive count = 0\n") && print.contains("\tstate = not running\n"), print);
        assertFalse(print.contains("\tpid = "), print);
        assertEquals(List.of(), sim.spawns(null));
        // §4 loaded, not running -> kickstart spawns it
        ExecResult kick = h.lc("kickstart", "-p", h.target(LABEL));
        assertEquals(0, kick.exitCode());
        assertEquals("service spawned with pid: " + sim.runningPid(LABEL).orElseThrow() + "\n", kick.stdout());
    }

    @Test
    void aJobWhoseProgramIsMissingFailsToSpawnWithExConfigAndIsThrottled() {
        start();
        Path plist = h.plist("broken.job", List.of(), map("ProgramArguments", new String[] {"/nonexistent/hephd"}));
        assertEquals(0, h.lc("bootstrap", sim.domain(), plist.toString()).exitCode()); // §1: bootstrap succeeds
        // launchd-facts §3 "after failure": no pid, `last exit code = 78: EX_CONFIG`; §9 KeepAlive retries throttled
        String print = h.lc("print", h.target("broken.job")).stdout();
        assertTrue(print.contains("\tstate = spawn scheduled\n") && !print.contains("\tpid = "), print);
        assertTrue(print.contains("\truns = 1\n") && print.contains("\tlast exit code = 78: EX_CONFIG\n"), print);
        assertEquals(List.of(), sim.spawns("broken.job"));
    }

    @Test
    void enableAndDisableArePersistedAndPrintDisabledListsThem() {
        start();
        assertEquals(List.of(0, "", ""), outcome(h.lc("disable", h.target("never.seen")))); // §5 unknown label ok
        assertEquals(0, h.lc("enable", h.target("other.label")).exitCode());
        String expected = "\tdisabled services = {\n\t\t\"never.seen\" => disabled\n\t\t\"other.label\" => enabled\n"
                + "\t}\n"; // launchd-facts §6 verbatim form
        assertEquals(List.of(0, expected, ""), outcome(h.lc("print-disabled", sim.domain())));
        assertEquals(expected, h.lc("print-disabled", "user/" + sim.uid()).stdout()); // §6 gui and user same set
        ExecResult bad = h.lc("disable", sim.domain()); // General rules: bad specifier -> 64
        assertEquals(64, bad.exitCode());
        assertTrue(bad.stderr().startsWith("Unrecognized target specifier. <service-target> takes a form of"
                + " <domain-target>/<service-id>.\n"), bad.stderr());
        sim.close();
        start(); // §5: persists (like /var/db/com.apple.xpc.launchd/disabled.<uid>.plist)
        assertTrue(Files.exists(sim.state().resolve("disabled." + sim.uid() + ".plist")));
        assertEquals(expected, h.lc("print-disabled", sim.domain()).stdout());
    }

    @Test
    void kickstartKillGivesAFreshPidAndTheTwoDaemonsNeverOverlap() {
        start();
        h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString());
        long first = ((Number) h.awaitInfo().get("pid")).longValue();
        ExecResult k = h.lc("kickstart", "-k", "-p", h.target(LABEL)); // launchd-facts §4 -k running
        assertEquals(0, k.exitCode());
        long second = sim.runningPid(LABEL).orElseThrow();
        assertEquals("service spawned with pid: " + second + "\n", k.stdout());
        assertNotEquals(first, second);
        List<Spawn> spawns = sim.spawns(LABEL);
        assertEquals(2, spawns.size());
        assertEquals(List.of(false, 9), List.of(spawns.get(0).alive(), spawns.get(0).signal())); // §4 KIRO-1562
        assertFalse(spawns.get(0).overlaps(spawns.get(1)), spawns.toString());
        h.awaitInfo(h.defaultSocket(), second); // the new daemon takes the lock and the socket
        String print = h.lc("print", h.target(LABEL)).stdout();
        assertTrue(print.contains("\truns = 2\n") && print.contains("last terminating signal = Killed: 9\n"), print);
        // §4 already running, no -k: nothing restarts; -p shows the running pid
        assertEquals("service spawned with pid: " + second + "\n", h.lc("kickstart", "-p", h.target(LABEL)).stdout());
        assertEquals(2, sim.spawns(LABEL).size());
        ExecResult unknown = h.lc("kickstart", "-k", h.target("no.such")); // §4 not loaded -> 113
        assertEquals(List.of(113, "", noService("no.such")), outcome(unknown));
    }

    @Test
    void keepAliveRespawnsAnExternallyKilledDaemonAfterTheThrottle() {
        start();
        // launchd-facts §9: ThrottleInterval = minimum runtime; 2 s here to keep the test short
        h.lc("bootstrap", sim.domain(), h.plist(LABEL, List.of(), map("ThrottleInterval", 2)).toString());
        long first = sim.runningPid(LABEL).orElseThrow();
        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // killed from outside, a few ms after its start
        await("spawn scheduled", () -> sim.state(LABEL).orElse("").equals("spawn scheduled"), Duration.ofSeconds(5));
        String print = h.lc("print", h.target(LABEL)).stdout(); // §3 throttled: spawn scheduled, no pid
        assertTrue(print.contains("\tstate = spawn scheduled\n") && !print.contains("\tpid = "), print);
        assertTrue(print.contains("\tlast terminating signal = Killed: 9\n"), print);
        await("respawn", () -> sim.spawns(LABEL).size() == 2, Duration.ofSeconds(10));
        List<Spawn> s = sim.spawns(LABEL);
        // ran < 2 s, so the respawn was pushed out to (start + 2 s); 10 ms slack for the two clocks involved
        assertTrue(s.get(1).startMs() - s.get(0).startMs() >= 1990, s.toString());
        assertFalse(s.get(0).overlaps(s.get(1)));
        h.awaitInfo(h.defaultSocket(), s.get(1).pid());
    }

    @Test
    void aDaemonIgnoringSigtermIsKilledAtExitTimeOut() {
        start(SimOptions.in(dir).withCleanupLagMs(800, 800));
        sim.daemonProperty(SampleDaemon.IGNORE_SIGTERM, "true");
        h.lc("bootstrap", sim.domain(), h.plist(LABEL, List.of(), map("ExitTimeOut", 2)).toString());
        h.awaitInfo();
        assertEquals(0, h.lc("bootout", h.target(LABEL)).exitCode());
        Call bootout = sim.calls().get(sim.calls().size() - 1);
        assertTrue(h.lc("print", h.target(LABEL)).stdout().contains("\tstate = SIGTERMed\n"));
        // launchd-facts §9 / §2 teardown: SIGTERM, wait ExitTimeOut, then SIGKILL; label held until then
        await("state SIGKILLed", () -> h.lc("print", h.target(LABEL)).stdout().contains("\tstate = SIGKILLed\n"),
                Duration.ofSeconds(10));
        Spawn s = sim.spawns(LABEL).get(0);
        assertEquals(9, s.signal());
        assertTrue(s.endMs() >= bootout.startMs() + 2000, "SIGKILL came before ExitTimeOut: " + s);
        await("label gone", () -> h.lc("print", h.target(LABEL)).exitCode() == 113, Duration.ofSeconds(10));
    }

    @Test
    void whatIsLeftOfTheProcessGroupIsKilledOnReap() {
        start();
        sim.daemonProperty(SampleDaemon.SPAWN_CHILD, "true");
        h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString());
        long child = ((Number) h.awaitInfo().get("child_pid")).longValue();
        long pgid = sim.runningPid(LABEL).orElseThrow();
        assertTrue(ProcessGroups.isLive(child));
        assertEquals(java.util.Set.of(pgid, child), java.util.Set.copyOf(ProcessGroups.members(pgid)));
        h.lc("bootout", h.target(LABEL)); // the daemon exits 0 leaving its child behind
        await("label gone", () -> h.lc("print", h.target(LABEL)).exitCode() == 113, Duration.ofSeconds(10));
        assertFalse(ProcessGroups.isLive(child), "child " + child + " survived its daemon"); // §2 teardown
        assertEquals(List.of(), ProcessGroups.members(pgid));
    }

    @Test
    void aSecondDaemonOnTheSameDatabaseFailsOnTheLock() {
        start();
        h.lc("bootstrap", sim.domain(), h.plist(LABEL).toString());
        long pid = ((Number) h.awaitInfo().get("pid")).longValue();
        Path db = sim.home().resolve(".local/share/heph/heph.db");
        ExecResult second = h.runner.run(List.of(sim.hephd().toString(), "--db", db.toString(), "--socket",
                dir.resolve("other.sock").toString()), Duration.ofSeconds(20));
        // heph-notes §3 single-writer lock
        assertEquals(List.of(75, "hephd: database " + db + " is locked by another hephd (pid " + pid + ")\n"),
                List.of(second.exitCode(), second.stderr()));
        // through launchd: the second job keeps failing and is throttled (launchd-facts §9, §3 exit-code format)
        h.lc("bootstrap", sim.domain(), h.plist("second.job", List.of("--db", db.toString()), Map.of()).toString());
        await("second job throttled", () -> sim.state("second.job").orElse("").equals("spawn scheduled"),
                Duration.ofSeconds(20));
        assertTrue(h.lc("print", h.target("second.job")).stdout().contains("\tlast exit code = 75: EX_TEMPFAIL\n"));
        assertEquals(pid, ((Number) h.awaitInfo().get("pid")).longValue());
    }

    @Test
    void aHungVerbBlocksTheShimUntilReleased() {
        // Knobs.hang: a launchctl that never answers (launchd-facts §2 `bootout --wait` "may block indefinitely")
        start();
        sim.knobs().hang("print");
        List<String> argv = List.of(sim.launchctl().toString(), "print", h.target("x"));
        org.junit.jupiter.api.Assertions.assertThrows(heph.proc.CommandTimeoutException.class,
                () -> h.runner.run(argv, Duration.ofMillis(700)));
        await("shim process gone", () -> ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine()
                .orElse("").contains(sim.launchctl().toString())), Duration.ofSeconds(5));
        assertEquals(0, h.lc("print-disabled", sim.domain()).exitCode()); // other verbs still answer
        sim.knobs().release("print");
        assertEquals(113, h.lc("print", h.target("x")).exitCode());
    }

    @Test
    void failNextAnswersTheVerbsFailureFormWithoutActing() {
        start();
        Path plist = h.plist(LABEL, List.of(), map("RunAtLoad", false, "KeepAlive", false));
        sim.knobs().failNext("bootstrap", 2, 5);
        assertEquals(List.of(5, "", EIO), outcome(h.lc("bootstrap", sim.domain(), plist.toString())));
        assertEquals(5, h.lc("bootstrap", sim.domain(), plist.toString()).exitCode());
        assertEquals(0, h.lc("bootstrap", sim.domain(), plist.toString()).exitCode());
        sim.knobs().failNext("bootout", 1, 36); // launchd-facts §2 old macOS EINPROGRESS
        assertEquals(List.of(36, "", "Boot-out failed: 36: Operation now in progress\n"),
                outcome(h.lc("bootout", h.target(LABEL))));
        assertEquals("not running", sim.state(LABEL).orElseThrow()); // the failed call did nothing
        sim.knobs().failNext("kickstart", 1, 37);
        assertEquals(List.of(37, "", "Could not kickstart service \"" + LABEL + "\": 37: Operation already in"
                + " progress\n"), outcome(h.lc("kickstart", "-k", h.target(LABEL)))); // §4 other failure
        sim.knobs().alreadyLoadedCode(37); // §1 older macOS, uncertainty 1
        assertEquals(List.of(37, "", "Bootstrap failed: 37: Operation already in progress\n"),
                outcome(h.lc("bootstrap", sim.domain(), plist.toString())));
    }

    @Test
    void withoutAGuiDomainBootstrapAndBootoutAnswer125AndPrint112() {
        start(SimOptions.in(dir).withNoGuiDomain(true));
        Path plist = h.plist(LABEL, List.of(), map("RunAtLoad", false, "KeepAlive", false));
        // launchd-facts §1 gui domain not usable; §2 125; §3 domain missing -> 112
        assertEquals(List.of(125, "", "Bootstrap failed: 125: Domain does not support specified action\n"),
                outcome(h.lc("bootstrap", sim.domain(), plist.toString())));
        assertEquals(125, h.lc("bootout", h.target(LABEL)).exitCode());
        assertEquals(List.of(112, "", "Could not find domain for user gui: " + sim.uid() + "\n"),
                outcome(h.lc("print", h.target(LABEL))));
        sim.knobs().noGuiDomain(false);
        assertEquals(0, h.lc("bootstrap", sim.domain(), plist.toString()).exitCode());
    }

    @Test
    void unknownLabelsUidsSpecifiersAndSubcommandsAnswerLikeLaunchctl() {
        start();
        assertEquals(List.of(113, "", noService("no.such")), outcome(h.lc("print", h.target("no.such")))); // §3
        assertEquals(List.of(112, "", "Could not find domain for user gui: " + (sim.uid() + 1) + "\n"),
                outcome(h.lc("print", "gui/" + (sim.uid() + 1) + "/x"))); // §3 other uid
        assertEquals(List.of(3, "", "Boot-out failed: 3: No such process\n"),
                outcome(h.lc("bootout", h.target("no.such")))); // §2 not loaded
        ExecResult badSpec = h.lc("bootout", "nonsense"); // General rules: bad specifier -> 64 + usage
        assertEquals(64, badSpec.exitCode());
        assertTrue(badSpec.stderr().endsWith("Usage: launchctl bootout <domain-target> [service-path1,"
                + " service-path2, ...] | <service-target>\n"), badSpec.stderr());
        ExecResult unknown = h.lc("frobnicate"); // General rules: unknown subcommand -> 1
        assertEquals(List.of(1, "Unrecognized subcommand: frobnicate\n"), List.of(unknown.exitCode(), unknown.stderr()));
        assertTrue(unknown.stdout().startsWith("Usage: launchctl <subcommand> ... | help [subcommand]\n"));
        assertEquals(64, h.lc("kickstart").exitCode());
        assertEquals(List.of(0, "113: Could not find specified service\n", ""), outcome(h.lc("error", "113"))); // §8
        assertEquals(List.of(113, 112, 3, 64, 1, 64, 0), sim.calls().stream().map(Call::exitCode).toList());
    }

    private static List<Object> outcome(ExecResult r) {
        return List.of(r.exitCode(), r.stdout(), r.stderr());
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
