package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.launchd.plist.LaunchdPlist;
import heph.sim.SimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the simulator: doctor, logs and completion through heph's CLI. */
@org.junit.jupiter.api.Tag("simulator")
class OperatorVerbsTest {
    @TempDir
    Path dir;
    HephInSim h;

    @BeforeEach
    void start() {
        h = new HephInSim(SimOptions.in(dir).withSeed(21).withCleanupLagMs(100, 300));
    }

    @AfterEach
    void close() {
        h.close();
    }

    private List<String> lines(HephInSim.Run r) {
        return r.out().lines().toList();
    }

    private String line(HephInSim.Run r, String check) {
        return lines(r).stream().filter(l -> l.matches("^(ok|warn|fail) +" + check + ": .*")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " line in:\n" + r.out()));
    }

    @Test
    void doctorOnAHealthyDaemonPassesAndItsJsonIsValid() {
        assertEquals(0, h.heph("start").exit());
        h.daemonInfo(); // the socket answers (a daemon JVM takes a moment on a loaded machine)
        HephInSim.Run d = h.heph("doctor");
        assertEquals(0, d.exit(), d.out() + d.err());
        for (String check : List.of("domain", "label-enabled", "plist", "label", "plist-owner", "program",
                "stdout-log", "stderr-log", "loaded", "socket")) {
            assertTrue(line(d, check).startsWith("ok "), line(d, check));
        }
        assertTrue(line(d, "loaded").contains("running, pid " + h.sim.runningPid("org.hephaestus.hephd").getAsLong()),
                line(d, "loaded"));

        HephInSim.Run j = h.heph("doctor", "--json");
        assertEquals(0, j.exit());
        Map<String, Object> json = j.json();
        assertEquals(false, json.get("changed"));
        assertEquals(true, json.get("ok"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> checks = (List<Map<String, Object>>) json.get("checks");
        assertEquals(lines(d).size() - 1, checks.size(), "one object per text line (plus the summary line)");
        for (Map<String, Object> c : checks) {
            assertEquals(List.of("name", "status", "message", "fix"), List.copyOf(c.keySet()));
        }
    }

    @Test
    void doctorNamesADisabledLabelWithItsFix() {
        assertEquals(0, h.heph("start").exit());
        assertEquals(0, h.heph("stop").exit());
        heph.proc.ExecResult r = new heph.proc.ZtExecRunner().run(List.of(h.sim.launchctl().toString(), "disable",
                h.target()), java.time.Duration.ofSeconds(15));
        assertEquals(0, r.exitCode());
        HephInSim.Run d = h.heph("doctor");
        assertEquals(1, d.exit(), d.out());
        assertEquals("fail  label-enabled: org.hephaestus.hephd is disabled in launchd's override database: bootstrap"
                + " answers 5 (Input/output error) and launchd does not load it at login; fix: `launchctl enable "
                + h.target() + "`, or `heph start` (it enables before bootstrap)", line(d, "label-enabled"));
        assertTrue(line(d, "loaded").startsWith("warn  loaded: org.hephaestus.hephd is installed but not loaded"));
        assertEquals(0, h.heph("start").exit(), "start enables, then bootstraps");
        h.daemonInfo();
        HephInSim.Run after = h.heph("doctor");
        assertEquals(0, after.exit(), after.out());
    }

    @Test
    void doctorNamesAMissingProgramAndTheExConfigItCauses() throws Exception {
        assertEquals(0, h.heph("start").exit());
        assertEquals(0, h.heph("stop").exit());
        var plist = LaunchdPlist.read(h.plist());
        plist.put("ProgramArguments", new String[] {"/nonexistent/hephd", "--mode", "local"});
        Files.write(h.plist(), LaunchdPlist.toXml(plist));
        // load it by hand, as a user would: launchd accepts it and every spawn fails with 78 (docs/facts/launchd-facts.md §13)
        assertEquals(0, new heph.proc.ZtExecRunner().run(List.of(h.sim.launchctl().toString(), "bootstrap",
                h.sim.domain(), h.plist().toString()), java.time.Duration.ofSeconds(15)).exitCode());
        HephInSim.Run d = h.heph("doctor");
        assertEquals(1, d.exit(), d.out());
        assertEquals("fail  program: program /nonexistent/hephd does not exist (bootstrap answers 5, or the spawn"
                + " fails with 78: EX_CONFIG); fix: install hephd there, or run `heph start --hephd"
                + " /path/to/hephd`", line(d, "program"));
        String loaded = line(d, "loaded");
        assertTrue(loaded.startsWith("fail  loaded: ") && loaded.contains("78: EX_CONFIG")
                && loaded.contains("a program that does not exist"), loaded);
    }

    @Test
    void doctorNamesAMissingGuiSessionAndDomainUser() {
        h.sim.knobs().noGuiDomain(true);
        HephInSim.Run d = h.heph("doctor");
        assertEquals(1, d.exit(), d.out());
        String domain = line(d, "domain");
        assertTrue(domain.startsWith("fail  domain: gui/" + h.sim.uid() + " is missing (launchctl print answers 112"),
                domain);
        assertTrue(domain.contains("over ssh") && domain.contains("`heph --domain user <verb>`")
                && domain.contains("does not restore it at the next login"), domain);
        HephInSim.Run user = h.heph("--domain", "user", "doctor");
        assertTrue(line(user, "domain").startsWith("warn  domain: user/" + h.sim.uid() + " exists"), user.out());
    }

    @Test
    void logsShowTheDaemonsOutputLinesMarked() {
        HephInSim.Run none = h.heph("logs");
        assertEquals(1, none.exit());
        assertEquals("heph: nothing to show: not installed: no " + h.plist() + " (run `heph start`)",
                none.err().strip());

        HephInSim.Run start = h.heph("start", "--json");
        assertEquals(0, start.exit(), start.err());
        long pid = ((Number) start.json().get("new_pid")).longValue();
        h.daemonInfo(); // it has written its first line by the time its socket answers
        HephInSim.Run logs = h.heph("logs", "-n", "5");
        assertEquals(0, logs.exit(), logs.err());
        assertTrue(logs.out().lines().anyMatch(l -> l.startsWith("out | hephd[" + pid + "]: starting mode=local")),
                logs.out());
        assertTrue(logs.out().lines().allMatch(l -> l.startsWith("out | ") || l.startsWith("err | ")), logs.out());
        Path errLog = h.sim.home().resolve("Library/Logs/heph/hephd.err.log");
        if (!Files.exists(errLog)) {
            assertTrue(logs.err().contains("err: " + errLog + " does not exist yet"), logs.err());
        }
        assertEquals(2, h.heph("logs", "-n", "-1").exit());
    }

    @Test
    void completionPrintsABashScript() {
        HephInSim.Run bash = h.heph("completion", "bash");
        assertEquals(0, bash.exit(), bash.err());
        assertTrue(bash.out().startsWith("#!/usr/bin/env bash"), bash.out().substring(0, 80));
        assertTrue(bash.out().contains("complete -F _complete_heph"), "defines and registers the function");
        for (String verb : List.of("start", "stop", "restart", "status", "uninstall", "doctor", "logs")) {
            assertTrue(bash.out().contains(verb), verb);
        }
        HephInSim.Run zsh = h.heph("completion", "zsh");
        assertTrue(zsh.out().contains("bashcompinit") && zsh.out().contains("_complete_heph"));
        HephInSim.Run fish = h.heph("completion", "fish");
        assertEquals(2, fish.exit());
        assertTrue(fish.err().contains("'fish' is not valid; expected bash or zsh"), fish.err());
        assertFalse(fish.out().contains("complete"));
    }
}
