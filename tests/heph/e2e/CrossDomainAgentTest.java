package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.json.Json;
import heph.proc.ZtExecRunner;
import heph.sim.Call;
import heph.sim.SimOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One instance across gui/&lt;uid&gt; and user/&lt;uid&gt; for an agent other than hephd ({@code --plist},
 * {@code --label}, {@code apply}), and the ssh case: no gui/ domain at all, where {@code --domain user} runs an
 * agent's whole life cycle (start, kickstart restart, reload of a changed plist, stop) without a mutating call
 * to gui/.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class CrossDomainAgentTest {
    static final String SYNC = "org.example.sync";
    static final String MAIL = "org.example.mail";
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

    /** A KeepAlive agent running the sample daemon on its own socket and database, plus {@code extra} args. */
    Path agent(Path folder, String label, String name, String... extra) throws IOException {
        StringBuilder args = new StringBuilder();
        for (String a : List.of(h.sim.hephd().toString(), "--socket", h.sim.home().resolve("agents/" + name
                + ".sock").toString(), "--db", h.sim.home().resolve("agents/" + name + ".db").toString())) {
            args.append("\t\t<string>").append(a).append("</string>\n");
        }
        for (String a : extra) {
            args.append("\t\t<string>").append(a).append("</string>\n");
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\""
                + " \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n<dict>\n"
                + "\t<key>Label</key>\n\t<string>" + label + "</string>\n"
                + "\t<key>ProgramArguments</key>\n\t<array>\n" + args + "\t</array>\n"
                + "\t<key>KeepAlive</key>\n\t<true/>\n"
                + "</dict>\n</plist>\n";
        Files.createDirectories(folder);
        Path p = folder.resolve(label + ".plist");
        Files.writeString(p, xml);
        return p;
    }

    Path installed(String label) {
        return h.sim.launchAgents().resolve(label + ".plist");
    }

    static long newPid(HephInSim.Run r) {
        return ((Number) r.json().get("new_pid")).longValue();
    }

    @Test
    void anAgentLoadedInGuiIsRefusedInUserAndApplyGoesOnWithTheOthers() throws IOException {
        h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(31).withCleanupLagMs(100, 300));
        int uid = h.sim.uid();
        Path dotfiles = dir.resolve("dotfiles");
        Path sync = agent(dotfiles, SYNC, "sync");
        HephInSim.Run start = h.heph("start", "--plist", sync.toString(), "--json");
        assertEquals(0, start.exit(), start.err());
        long pid = newPid(start);
        byte[] plist = Files.readAllBytes(installed(SYNC));
        String refusal = SYNC + " is loaded in gui/" + uid + " (pid " + pid + "); you asked for user/" + uid
                + ": stop it there first (`heph --domain gui stop --label " + SYNC + "` at the console) or keep"
                + " using gui/" + uid;

        h.sim.clearCalls();
        for (List<String> verb : List.of(List.of("start", "--plist", sync.toString()),
                List.of("restart", "--label", SYNC), List.of("stop", "--label", SYNC),
                List.of("uninstall", "--label", SYNC), List.of("start", "--dry-run", "--plist", sync.toString()),
                List.of("uninstall", "--dry-run", "--label", SYNC))) {
            HephInSim.Run r = h.heph(CrossDomainTest.args("--domain", "user", verb));
            assertEquals(1, r.exit(), verb + ": " + r.err());
            assertEquals("heph: " + refusal, r.err().strip(), verb.toString());
        }
        assertTrue(h.sim.calls().stream().noneMatch(c -> MUTATING.contains(c.verb())), calls());
        assertArrayEquals(plist, Files.readAllBytes(installed(SYNC)), "the plist gui/ is loaded from stays");
        assertEquals(pid, h.sim.runningPid(SYNC).getAsLong());

        // apply in user/: that agent is a failed item, the batch goes on
        Path mail = agent(dotfiles, MAIL, "mail");
        HephInSim.Run dry = h.heph("--domain", "user", "apply", "--dry-run", dotfiles.toString());
        assertEquals(1, dry.exit(), dry.out());
        assertTrue(dry.out().contains("FAILED " + SYNC + ": " + refusal), dry.out());
        HephInSim.Run apply = h.heph("--domain", "user", "apply", dotfiles.toString(), "--json");
        assertEquals(1, apply.exit(), apply.out() + apply.err());
        List<?> results = (List<?>) apply.json().get("services");
        Map<?, ?> failed = (Map<?, ?>) results.stream().filter(r -> SYNC.equals(((Map<?, ?>) r).get("label")))
                .findFirst().orElseThrow();
        assertEquals(false, failed.get("ok"));
        assertEquals(refusal, failed.get("message"));
        Map<?, ?> started = (Map<?, ?>) results.stream().filter(r -> MAIL.equals(((Map<?, ?>) r).get("label")))
                .findFirst().orElseThrow();
        assertEquals(true, started.get("ok"), started.toString());
        assertEquals(0, h.heph("--domain", "user", "status", "--label", MAIL).exit(), "mail runs in user/");
        assertEquals(pid, h.sim.runningPid(SYNC).getAsLong(), "sync untouched in gui/");
        assertTrue(Files.exists(mail));

        HephInSim.Run st = h.heph("--domain", "user", "status", "--label", SYNC, "--json");
        assertEquals(Map.of("domain", "gui/" + uid, "pid", pid), st.json().get("other_domain"));
        HephInSim.Run list = h.heph("--domain", "user", "list", "--json");
        List<?> rows = (List<?>) ((Map<?, ?>) Json.parse(list.out().strip())).get("agents");
        Map<?, ?> row = (Map<?, ?>) rows.stream().filter(r -> SYNC.equals(((Map<?, ?>) r).get("label")))
                .findFirst().orElseThrow();
        assertEquals(Map.of("domain", "gui/" + uid, "pid", pid), row.get("other_domain"));
    }

    @Test
    void anAgentLoadedInUserIsRefusedAtTheConsole() throws IOException {
        h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(32).withCleanupLagMs(100, 300));
        int uid = h.sim.uid();
        Path sync = agent(dir.resolve("dotfiles"), SYNC, "sync");
        HephInSim.Run start = h.heph("--domain", "user", "start", "--plist", sync.toString(), "--json");
        assertEquals(0, start.exit(), start.err());
        long pid = newPid(start);
        String refusal = SYNC + " is loaded in user/" + uid + " (pid " + pid + "); you asked for gui/" + uid
                + ": stop it there first (`heph --domain user stop --label " + SYNC + "`) or keep using user/" + uid;

        h.sim.clearCalls();
        for (List<String> verb : List.of(List.of("start", "--plist", sync.toString()),
                List.of("restart", "--label", SYNC), List.of("uninstall", "--label", SYNC),
                List.of("restart", "--dry-run", "--label", SYNC))) {
            HephInSim.Run r = h.heph(verb.toArray(String[]::new));
            assertEquals(1, r.exit(), verb + ": " + r.err());
            assertEquals("heph: " + refusal, r.err().strip(), verb.toString());
        }
        assertTrue(h.sim.calls().stream().noneMatch(c -> MUTATING.contains(c.verb())), calls());
        assertTrue(Files.exists(installed(SYNC)));
        assertEquals(113, new ZtExecRunner().run(List.of(h.sim.launchctl().toString(), "print", "gui/" + uid + "/"
                + SYNC), Duration.ofSeconds(30)).exitCode(), "nothing bootstrapped into gui/");
        assertEquals(0, h.heph("--domain", "user", "uninstall", "--label", SYNC).exit());
        assertFalse(Files.exists(installed(SYNC)), "uninstalled where it was loaded");
    }

    @Test
    void overSshWithoutAGuiDomainAnAgentRunsItsWholeLifeInUser() throws IOException {
        h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(33).withCleanupLagMs(100, 300)
                .withNoGuiDomain(true));
        h.env.put("HEPH_DOMAIN", "user");
        String user = "user/" + h.sim.uid();
        Path sync = agent(dir.resolve("dotfiles"), SYNC, "sync");

        HephInSim.Run start = h.heph("start", "--plist", sync.toString(), "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals("start", start.json().get("path"));
        HephInSim.Run st = h.heph("status", "--label", SYNC, "--json");
        assertEquals(0, st.exit(), st.err());
        assertEquals(newPid(start), ((Number) st.json().get("pid")).longValue());
        assertEquals(null, st.json().get("other_domain"), "gui/ is missing: not loaded there");

        HephInSim.Run kick = h.heph("restart", "--label", SYNC, "--json");
        assertEquals(0, kick.exit(), kick.err());
        assertEquals("kickstart", kick.json().get("path"));
        assertNotEquals(newPid(start), newPid(kick));

        agent(dir.resolve("dotfiles"), SYNC, "sync", "--self-update-interval-secs", "600");
        HephInSim.Run reload = h.heph("restart", "--plist", sync.toString(), "--json");
        assertEquals(0, reload.exit(), reload.err());
        assertEquals("reload", reload.json().get("path"));
        assertTrue(Files.readString(installed(SYNC)).contains("600"));

        HephInSim.Run stop = h.heph("stop", "--label", SYNC, "--json");
        assertEquals(0, stop.exit(), stop.err());
        assertEquals("stop", stop.json().get("path"));
        assertEquals(3, h.heph("status", "--label", SYNC).exit());
        assertTrue(h.sim.calls().stream().filter(c -> MUTATING.contains(c.verb()))
                .allMatch(c -> c.argv().stream().anyMatch(a -> a.startsWith(user))), calls());
        assertTrue(h.sim.calls().stream().filter(c -> c.argv().stream().anyMatch(a -> a.startsWith("gui/")))
                .allMatch(c -> c.verb().equals("print") && c.exitCode() == 112), "gui/ only asked: " + calls());
    }

    private String calls() {
        return h.sim.calls().stream().map(Call::commandLine).toList().toString();
    }
}
