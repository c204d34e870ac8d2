package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import heph.proc.ZtExecRunner;
import heph.sim.Call;
import heph.sim.SimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of one instance across gui/&lt;uid&gt; and user/&lt;uid&gt;: a self-restart from inside hephd is
 * refused before the hand-off; a print of the other domain that fails (exit 5, a signal, output that is no service
 * block) stops every mutating verb instead of counting as "not loaded"; one print of the other domain per run; over
 * ssh (no gui/) list, status and doctor name user/&lt;uid&gt;; stop of a label in both domains says so in --json.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class CrossDomainEdgesTest {
    static final String LABEL = "org.hephaestus.hephd";
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
    void aSelfRestartInsideHephdIsRefusedBeforeTheHandoff() throws Exception {
        h = new HephInSim(SimOptions.in(dir).withSeed(31).withCleanupLagMs(100, 300));
        int uid = h.sim.uid();
        HephInSim.Run start = h.heph("--domain", "user", "start", "--json");
        assertEquals(0, start.exit(), start.err());
        long pid = ((Number) start.json().get("new_pid")).longValue();
        h.env.put("XPC_SERVICE_NAME", LABEL); // as hephd's self-update runs heph from inside its own job
        for (boolean json : new boolean[] {false, true}) {
            HephInSim.Run r = json ? h.heph("restart", "--self-update-interval-secs", "900", "--json")
                    : h.heph("restart", "--self-update-interval-secs", "900");
            assertEquals(1, r.exit(), r.out() + r.err());
            String refusal = LABEL + " is loaded in user/" + uid + " (pid " + pid + "); you asked for gui/" + uid
                    + ": stop it there first (`heph --domain user stop`) or keep using user/" + uid;
            if (json) {
                assertTrue(r.out().contains(refusal.replace("`", "")) || r.out().contains(refusal), r.out());
                assertFalse(r.out().contains("handoff"), r.out());
            } else {
                assertEquals("heph: " + refusal, r.err().strip());
            }
        }
        assertFalse(Files.exists(h.sim.home().resolve(".local/state/heph/handoff-" + LABEL + ".log")),
                "no hand-off was started");
        assertEquals(113, launchctl("print", "gui/" + uid + "/" + LABEL).exitCode(), "nothing in gui/");
    }

    @Test
    void aFailedPrintOfTheOtherDomainStopsEveryVerbAndStatusSaysUnknown() throws Exception {
        h = new HephInSim(SimOptions.in(dir).withSeed(32).withCleanupLagMs(100, 300));
        int uid = h.sim.uid();
        Path mode = dir.resolve("mode");
        Files.writeString(mode, "pass");
        Path agent = dir.resolve("org.example.sync.plist");
        Files.writeString(agent, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
                + "<key>Label</key><string>org.example.sync</string><key>ProgramArguments</key><array><string>"
                + h.sim.hephd() + "</string><string>--db</string><string>" + dir.resolve("sync.db") // not hephd's store
                + "</string></array><key>RunAtLoad</key><true/></dict></plist>\n");
        h.env.put("HEPH_LAUNCHCTL", wrapper(mode).toString());
        HephInSim.Run installed = h.heph("start", "--plist", agent.toString()); // a second row for heph list
        assertEquals(0, installed.exit(), installed.err());
        for (String m : List.of("io", "signal", "garbage", "usage")) {
            Files.writeString(mode, m);
            h.sim.clearCalls();
            for (List<String> verb : List.of(List.of("start"), List.of("restart"), List.of("start", "--dry-run"),
                    List.of("uninstall"))) {
                HephInSim.Run r = h.heph(verb.toArray(String[]::new));
                assertEquals(1, r.exit(), m + " " + verb + ": " + r.err());
                assertTrue(r.err().startsWith("heph: cannot tell whether " + LABEL + " is loaded in user/" + uid
                        + ": `launchctl print user/" + uid + "/" + LABEL + "` "), m + " " + verb + ": " + r.err());
                assertEquals(1, r.err().strip().lines().count(), r.err());
            }
            assertTrue(h.sim.calls().stream().noneMatch(c -> List.of("bootstrap", "enable", "kickstart")
                    .contains(c.verb())), m + ": " + calls());
            assertEquals(113, launchctl("print", "gui/" + uid + "/" + LABEL).exitCode(), m + ": nothing loaded");
            assertFalse(Files.exists(h.plist()), m + ": no plist written");
            HephInSim.Run st = h.heph("status", "--json");
            Map<?, ?> other = (Map<?, ?>) st.json().get("other_domain");
            assertEquals("user/" + uid, other.get("domain"), st.out());
            assertTrue(String.valueOf(other.get("unknown")).startsWith("`launchctl print user/"), st.out());
            assertTrue(h.heph("status").out().contains("other domain:   user/" + uid + " unknown\n"), m);
            HephInSim.Run list = h.heph("list");
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("org.example.sync")
                    && l.contains(", user/" + uid + " unknown")), m + ": " + list.out());
            HephInSim.Run doctor = h.heph("doctor");
            assertTrue(doctor.out().contains("fail  other-domain: cannot tell whether " + LABEL + " is loaded in user/"
                    + uid + ": `launchctl print user/"), m + ": " + doctor.out());
        }
        Files.writeString(mode, "pass"); // the real answer (113): start goes ahead
        assertEquals(0, h.heph("start").exit());
        assertEquals(0, h.heph("stop", "--label", "org.example.sync").exit()); // its print of user/ answers 113

    }

    @Test
    void oneRunPrintsTheOtherDomainOnce() throws Exception {
        h = new HephInSim(SimOptions.in(dir).withSeed(33).withCleanupLagMs(100, 300));
        String other = "user/" + h.sim.uid() + "/" + LABEL;
        for (String verb : List.of("start", "restart", "stop", "uninstall")) {
            h.sim.clearCalls();
            HephInSim.Run r = h.heph(verb);
            assertEquals(0, r.exit(), verb + ": " + r.err());
            assertEquals(1, h.sim.calls().stream().filter(c -> c.verb().equals("print") && c.argv().contains(other))
                    .count(), verb + ": " + calls());
        }
    }

    @Test
    void overSshListStatusAndDoctorNameUserWhereTheLabelIsLoaded() throws Exception {
        h = new HephInSim(SimOptions.in(dir).withSeed(34).withCleanupLagMs(100, 300).withNoGuiDomain(true));
        int uid = h.sim.uid();
        HephInSim.Run start = h.heph("--domain", "user", "start", "--json");
        assertEquals(0, start.exit(), start.err());
        long pid = ((Number) start.json().get("new_pid")).longValue();

        HephInSim.Run list = h.heph("list");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(LABEL) && l.contains(" in user/" + uid)), list.out());
        HephInSim.Run st = h.heph("status", "--json");
        assertEquals(Map.of("domain", "user/" + uid, "pid", pid), st.json().get("other_domain"), st.out() + st.err());
        HephInSim.Run doctor = h.heph("doctor");
        assertTrue(doctor.out().contains("warn  other-domain: loaded in user/" + uid + ", pid " + pid), doctor.out());
        assertTrue(doctor.out().contains("use `heph --domain user <verb>`"), doctor.out());
    }

    @Test
    void doctorsLoadedFixPointsToTheDomainItIsLoadedIn() throws Exception {
        h = new HephInSim(SimOptions.in(dir).withSeed(35).withCleanupLagMs(100, 300));
        int uid = h.sim.uid();
        assertEquals(0, h.heph("--domain", "user", "start").exit());
        HephInSim.Run doctor = h.heph("doctor");
        String loaded = doctor.out().lines().filter(l -> l.contains(" loaded: ")).findFirst().orElseThrow();
        assertFalse(loaded.contains("`heph start`"), loaded);
        assertTrue(loaded.contains("fix: it is loaded in user/" + uid + ": `heph --domain user status`"), loaded);
    }

    @Test
    void stopInBothDomainsSaysItInJsonAndTheDryRunSaysWhatWouldHappen() throws Exception {
        h = new HephInSim(SimOptions.in(dir).withSeed(36).withCleanupLagMs(100, 300));
        int uid = h.sim.uid();
        assertEquals(0, h.heph("start").exit());
        long pid = h.sim.runningPid(LABEL).getAsLong();
        ExecResult boot = launchctl("bootstrap", "user/" + uid, h.plist().toString());
        assertEquals(0, boot.exitCode(), boot.stderr());

        HephInSim.Run dry = h.heph("--domain", "user", "stop", "--dry-run", "--json");
        assertEquals(0, dry.exit(), dry.err());
        String would = LABEL + " is loaded in user/" + uid + " and in gui/" + uid + " (pid " + pid + "): the stop"
                + " would unload it in user/" + uid + " only (the copy in gui/" + uid + " would stay)";
        assertEquals(List.of(would), dry.json().get("warnings"), dry.out());
        assertTrue(String.valueOf(dry.json().get("message")).endsWith(would), dry.out());

        HephInSim.Run stop = h.heph("--domain", "user", "stop", "--json");
        assertEquals(0, stop.exit(), stop.err());
        String note = LABEL + " is loaded in user/" + uid + " and in gui/" + uid + " (pid " + pid + "): stopping it in"
                + " user/" + uid + " only";
        assertEquals(List.of(note), stop.json().get("warnings"), stop.out());
        assertTrue(String.valueOf(stop.json().get("message")).endsWith("; the copy in gui/" + uid + " stays"),
                stop.out());
        assertEquals(pid, h.sim.runningPid(LABEL).getAsLong(), "gui/'s copy stays");
    }

    /** launchctl, except that `print user/...` answers as the file {@code mode} says; "pass" asks the simulator. */
    private Path wrapper(Path mode) throws Exception {
        Path w = dir.resolve("launchctl-wrapper");
        Files.writeString(w, "#!/bin/sh\n"
                + "case \"$1 $2\" in\n"
                + "  'print user/'*)\n"
                + "    case \"$(cat '" + mode + "')\" in\n"
                + "      io) echo 'Could not print: 5: Input/output error' >&2; exit 5 ;;\n"
                + "      signal) kill -9 $$ ;;\n"
                + "      garbage) echo 'launchd is busy, try later'; exit 0 ;;\n"
                + "      usage) echo 'Usage: launchctl print <service-target>' >&2; exit 64 ;;\n"
                + "    esac ;;\n"
                + "esac\n"
                + "exec '" + h.sim.launchctl() + "' \"$@\"\n");
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwx------"));
        return w;
    }

    private ExecResult launchctl(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(h.sim.launchctl().toString()));
        argv.addAll(List.of(args));
        return new ZtExecRunner().run(argv, Duration.ofSeconds(30));
    }

    private String calls() {
        return h.sim.calls().stream().map(Call::commandLine).toList().toString();
    }
}
