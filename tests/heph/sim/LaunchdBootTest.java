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
import heph.sim.daemon.SampleDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Process-level, through the real bin/launchctl shim: bootstrap, bootout, print, enable/disable: docs/facts/launchd-facts.md §1,
 * §2, §3, §5, §6.
 */
@org.junit.jupiter.api.Tag("simulator")
class LaunchdBootTest extends SimTestSupport {
    @Test
    void bootstrapSpawnsARealDaemonWhoseSocketAnswersWithItsArgv() throws Exception {
        start();
        Path plist = h.plist(LABEL, List.of("--mode", "local", "--hub-url", "http://hub:8787"), Map.of());
        ExecResult r = h.lc("bootstrap", sim.domain(), plist.toString());
        assertEquals(List.of(0, "", ""), List.of(r.exitCode(), r.stdout(), r.stderr())); // docs/facts/launchd-facts.md §1 success
        Map<String, Object> info = h.awaitInfo();
        assertEquals(List.of("--mode", "local", "--hub-url", "http://hub:8787"), info.get("argv"));
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) info.get("env");
        // docs/facts/launchd-facts.md §11 EnvironmentVariables: default PATH + XPC_SERVICE_NAME; HOME is the sim's deviation
        assertEquals("/usr/bin:/bin:/usr/sbin:/sbin", env.get("PATH"));
        assertEquals(LABEL, env.get("XPC_SERVICE_NAME"));
        assertEquals(sim.home().toString(), env.get("HOME"));

        String print = h.lc("print", h.target(LABEL)).stdout(); // docs/facts/launchd-facts.md §3 loaded -> dump, exit 0
        assertTrue(print.startsWith(h.target(LABEL) + " = {\n\tactive count = 1\n\tpath = " + plist + "\n"), print);
        assertTrue(print.contains("\tstate = running\n\n\tprogram = " + sim.hephd() + "\n"), print);
        assertTrue(print.contains("\tpid = " + info.get("pid") + "\n\tlast exit code = (never exited)\n"), print);
        assertTrue(print.contains("\tproperties = keepalive | runatload | inferred program\n}\n"), print);
        // docs/facts/launchd-facts.md §11 StandardOutPath: appended to the named file
        await("daemon log line", () -> read(sim.logs().resolve(LABEL + ".out.log")).contains("listening on"),
                Duration.ofSeconds(5));

        ExecResult again = h.lc("bootstrap", sim.domain(), plist.toString());
        assertEquals(List.of(5, EIO), List.of(again.exitCode(), again.stderr())); // docs/facts/launchd-facts.md §1 already loaded
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
        assertEquals(0, out.exitCode()); // docs/facts/launchd-facts.md §2 loaded -> 0
        assertTrue(sim.spawns(LABEL).get(0).alive(), "bootout returned before the daemon died (§2, §9)");
        ExecResult print = h.lc("print", h.target(LABEL));
        assertEquals(0, print.exitCode()); // docs/facts/launchd-facts.md §3: during teardown print still 0
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
        // docs/facts/launchd-facts.md §1: missing plist as user (HERMES-31212)
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
        // docs/facts/launchd-facts.md §3 "after failure": no pid, `last exit code = 78: EX_CONFIG`; §9 KeepAlive retries throttled
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
                + "\t}\n"; // docs/facts/launchd-facts.md §6 verbatim form
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
}
