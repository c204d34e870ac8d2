package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import heph.proc.ZtExecRunner;
import heph.sim.Call;
import heph.sim.SimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One hephd across launchd's two per-user domains: gui/&lt;uid&gt; and user/&lt;uid&gt; hold separate jobs
 * (docs/facts/launchd-facts.md §13), so a heph that asked only the domain it was told would bootstrap a second hephd (which finds
 * the store locked and crash-loops under KeepAlive) or remove the plist the other domain's job is loaded from.
 * Every mutating verb, and its dry run, refuses while the label is loaded in the other domain; status, doctor and
 * list say where it is loaded.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class CrossDomainTest {
    static final String LABEL = "org.hephaestus.hephd";
    static final List<String> MUTATING = List.of("bootstrap", "bootout", "enable", "disable", "kickstart");
    @TempDir
    Path dir;
    HephInSim h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void loadedInGuiEveryVerbInUserRefusesAndChangesNothing() throws Exception {
        h = new HephInSim(SimOptions.in(dir).withSeed(21).withCleanupLagMs(100, 300));
        int uid = h.sim.uid();
        HephInSim.Run start = h.heph("start", "--json");
        assertEquals(0, start.exit(), start.err());
        long pid = ((Number) start.json().get("new_pid")).longValue();
        byte[] plist = Files.readAllBytes(h.plist());
        String refusal = LABEL + " is loaded in gui/" + uid + " (pid " + pid + "); you asked for user/" + uid
                + ": stop it there first (`heph --domain gui stop` at the console) or keep using gui/" + uid;

        h.sim.clearCalls();
        for (List<String> verb : List.of(List.of("start"), List.of("restart"), List.of("stop"), List.of("uninstall"),
                List.of("restart", "--self-update-interval-secs", "600"), List.of("start", "--dry-run"),
                List.of("restart", "--dry-run"), List.of("stop", "--dry-run"), List.of("uninstall", "--dry-run"))) {
            HephInSim.Run r = h.heph(args("--domain", "user", verb));
            assertEquals(1, r.exit(), verb + ": " + r.err());
            assertEquals("heph: " + refusal, r.err().strip(), verb.toString());
        }
        HephInSim.Run json = h.heph("--domain", "user", "start", "--json");
        assertEquals(1, json.exit());
        assertTrue(json.err().contains(refusal), json.err());
        assertNothingChanged(pid, plist);
        assertTrue(h.sim.calls().stream().allMatch(c -> c.verb().equals("print")), calls());
        assertTrue(called("print", "user/" + uid + "/" + LABEL), "asked user/: " + calls());

        // status and doctor in user/ say where it is; gui/ sees no other copy
        HephInSim.Run st = h.heph("--domain", "user", "status", "--json");
        assertEquals(3, st.exit(), st.err());
        assertEquals(Map.of("domain", "gui/" + uid, "pid", pid), st.json().get("other_domain"));
        assertEquals("loaded in gui/" + uid + ", pid " + pid + "; you asked about user/" + uid
                + " (`heph --domain gui status`)", st.json().get("hint"));
        HephInSim.Run text = h.heph("--domain", "user", "status");
        assertTrue(text.out().contains("other domain:   gui/" + uid + " (pid " + pid + ")\n"), text.out());
        HephInSim.Run gui = h.heph("status", "--json");
        assertEquals(0, gui.exit(), gui.err());
        assertNull(gui.json().get("other_domain"));
        assertTrue(gui.json().containsKey("other_domain"));
        HephInSim.Run doctor = h.heph("--domain", "user", "doctor");
        assertTrue(doctor.out().contains("warn  other-domain: loaded in gui/" + uid + ", pid " + pid
                + "; you asked about user/" + uid + "; fix: use `heph --domain gui <verb>`, or stop it there first"
                + " (`heph --domain gui stop`)"), doctor.out());
        HephInSim.Run list = h.heph("--domain", "user", "list");
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(LABEL) && l.contains(" in gui/" + uid)),
                list.out());
        assertNothingChanged(pid, plist);
    }

    @Test
    void loadedInUserStartAtTheConsoleRefusesUntilItIsStoppedThere() throws Exception {
        h = new HephInSim(SimOptions.in(dir).withSeed(22).withCleanupLagMs(100, 300));
        int uid = h.sim.uid();
        HephInSim.Run start = h.heph("--domain", "user", "start", "--json");
        assertEquals(0, start.exit(), start.err());
        long pid = ((Number) start.json().get("new_pid")).longValue();
        byte[] plist = Files.readAllBytes(h.plist());
        String refusal = LABEL + " is loaded in user/" + uid + " (pid " + pid + "); you asked for gui/" + uid
                + ": stop it there first (`heph --domain user stop`) or keep using user/" + uid;

        h.sim.clearCalls();
        for (String verb : List.of("start", "restart", "stop", "uninstall")) {
            HephInSim.Run r = h.heph(verb);
            assertEquals(1, r.exit(), verb + ": " + r.err());
            assertEquals("heph: " + refusal, r.err().strip(), verb);
            HephInSim.Run dry = h.heph(verb, "--dry-run");
            assertEquals(1, dry.exit(), verb + " --dry-run: " + dry.err());
            assertEquals("heph: " + refusal, dry.err().strip(), verb + " --dry-run");
        }
        assertTrue(h.sim.calls().stream().noneMatch(c -> MUTATING.contains(c.verb())), calls());
        assertArrayEquals(plist, Files.readAllBytes(h.plist()), "the plist user/ is loaded from stays");
        assertEquals(pid, userPid());
        assertEquals(113, launchctl("print", "gui/" + uid + "/" + LABEL).exitCode(), "nothing bootstrapped into gui/");
        HephInSim.Run st = h.heph("status", "--json");
        assertEquals(Map.of("domain", "user/" + uid, "pid", pid), st.json().get("other_domain"));

        // stopped there, the console's heph takes over
        assertEquals(0, h.heph("--domain", "user", "stop").exit());
        HephInSim.Run console = h.heph("start", "--json");
        assertEquals(0, console.exit(), console.err());
        assertEquals(((Number) console.json().get("new_pid")).longValue(), h.sim.runningPid(LABEL).getAsLong());
    }

    @Test
    void loadedInBothStatusAndDoctorSayTwoCopiesAndStopUnloadsOne() throws Exception {
        h = new HephInSim(SimOptions.in(dir).withSeed(23).withCleanupLagMs(100, 300));
        int uid = h.sim.uid();
        assertEquals(0, h.heph("start").exit());
        long pid = h.sim.runningPid(LABEL).getAsLong();
        // what an older heph did: a second copy bootstrapped into user/ (it finds the store locked and crash-loops)
        ExecResult boot = launchctl("bootstrap", "user/" + uid, h.plist().toString());
        assertEquals(0, boot.exitCode(), boot.stderr());

        HephInSim.Run st = h.heph("status", "--json");
        assertEquals(0, st.exit(), st.err());
        assertEquals("user/" + uid, ((Map<?, ?>) st.json().get("other_domain")).get("domain"));
        assertTrue(String.valueOf(st.json().get("hint")).startsWith("also loaded in user/" + uid), st.out());
        HephInSim.Run doctor = h.heph("doctor");
        assertEquals(1, doctor.exit(), doctor.out());
        assertTrue(doctor.out().contains("fail  other-domain: also loaded in user/" + uid), doctor.out());
        assertTrue(doctor.out().contains("`heph --domain user stop` unloads that copy"), doctor.out());

        HephInSim.Run restart = h.heph("restart");
        assertEquals(1, restart.exit());
        assertTrue(restart.err().contains("(it is loaded in gui/" + uid + " too: `heph --domain gui stop` unloads"
                + " that copy)"), restart.err());
        HephInSim.Run uninstall = h.heph("--domain", "user", "uninstall");
        assertEquals(1, uninstall.exit(), uninstall.err());
        assertTrue(Files.exists(h.plist()));

        // the way back to one copy: stop it in the domain that should not have it
        HephInSim.Run stop = h.heph("--domain", "user", "stop");
        assertEquals(0, stop.exit(), stop.err());
        assertTrue(stop.err().contains("stopping it in user/" + uid + " only"), stop.err());
        assertEquals(113, launchctl("print", "user/" + uid + "/" + LABEL).exitCode());
        assertEquals(pid, h.sim.runningPid(LABEL).getAsLong(), "gui/'s hephd untouched");
        HephInSim.Run fine = h.heph("doctor");
        assertTrue(fine.out().contains("ok    other-domain: not loaded in user/" + uid), fine.out());
    }

    private void assertNothingChanged(long pid, byte[] plist) throws Exception {
        assertEquals(pid, h.sim.runningPid(LABEL).getAsLong(), "gui/'s hephd still runs");
        assertArrayEquals(plist, Files.readAllBytes(h.plist()), "the plist gui/ is loaded from stays");
        assertEquals(113, launchctl("print", "user/" + h.sim.uid() + "/" + LABEL).exitCode(), "nothing in user/");
    }

    private long userPid() {
        String out = launchctl("print", "user/" + h.sim.uid() + "/" + LABEL).stdout();
        return Long.parseLong(out.lines().filter(l -> l.startsWith("\tpid = ")).findFirst().orElseThrow()
                .substring("\tpid = ".length()).strip());
    }

    private ExecResult launchctl(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(h.sim.launchctl().toString()));
        argv.addAll(List.of(args));
        return new ZtExecRunner().run(argv, Duration.ofSeconds(30));
    }

    static String[] args(String a, String b, List<String> rest) {
        List<String> all = new java.util.ArrayList<>(List.of(a, b));
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    private boolean called(String verb, String arg) {
        return h.sim.calls().stream().anyMatch(c -> c.verb().equals(verb) && c.argv().contains(arg));
    }

    private String calls() {
        return h.sim.calls().stream().map(Call::commandLine).toList().toString();
    }
}
