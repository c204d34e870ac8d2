package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.json.Json;
import heph.sim.SimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/json.md, verb by verb through the launchd simulator: with --json, stdout is exactly one JSON object, on
 * success and on failure (ok, exit_code, error, action), usage errors included; changed means the same in a dry run
 * and the real run; file is the installed plist, path the route taken.
 */
@org.junit.jupiter.api.Tag("simulator")
class JsonContractTest {
    static final String HEPHD = "org.hephaestus.hephd";

    @TempDir
    Path dir;
    HephInSim h;
    Path dotfiles;

    @BeforeEach
    void start() throws Exception {
        h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(1707));
        dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** stdout parses as one JSON object (one line) with the contract's head; returns it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> one(HephInSim.Run r, int exit, String action) {
        assertEquals(exit, r.exit(), r.out() + r.err());
        assertEquals(1, r.out().strip().lines().count(), "one line on stdout: " + r.out());
        Object parsed = Json.parse(r.out().strip());
        assertTrue(parsed instanceof Map, "an object: " + r.out());
        Map<String, Object> m = (Map<String, Object>) parsed;
        assertEquals(exit == 0, m.get("ok"), r.out());
        assertEquals((long) exit, m.get("exit_code"), r.out());
        assertEquals(action, m.get("action"), r.out());
        if (exit == 0) {
            assertFalse(m.containsKey("error"), r.out());
        } else {
            String error = (String) m.get("error");
            assertTrue(error != null && !error.isBlank() && !error.contains("\n"), r.out());
        }
        return m;
    }

    void agent(String file, String label) throws Exception {
        Files.writeString(dotfiles.resolve(file), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<plist version=\"1.0\">\n<dict>\n\t<key>Label</key>\n\t<string>" + label + "</string>\n"
                + "\t<key>ProgramArguments</key>\n\t<array>\n\t\t<string>" + h.sim.hephd() + "</string>\n"
                + "\t\t<string>--socket</string>\n\t\t<string>" + h.sim.home().resolve(label + ".sock")
                + "</string>\n\t\t<string>--db</string>\n\t\t<string>" + h.sim.home().resolve(label + ".db")
                + "</string>\n\t</array>\n\t<key>KeepAlive</key>\n\t<true/>\n</dict>\n</plist>\n");
    }

    @Test
    void hephdVerbsOnSuccessAndFailure() {
        Map<String, Object> down = one(h.heph("status", "--json"), 3, "status");
        assertEquals(HEPHD + " is not installed", down.get("error"));
        assertEquals(h.plist().toString(), down.get("file"));

        Map<String, Object> start = one(h.heph("start", "--json"), 0, "start");
        assertEquals(List.of("start", true, HEPHD, h.plist().toString(), "launchd"), List.of(start.get("path"),
                start.get("changed"), start.get("label"), start.get("file"), start.get("backend")));

        Map<String, Object> up = one(h.heph("status", "--json"), 0, "status");
        assertEquals(List.of(HEPHD, false, true), List.of(up.get("label"), up.get("changed"), up.get("running")));

        Map<String, Object> plan = one(h.heph("restart", "--dry-run", "--json"), 0, "restart");
        Map<String, Object> restart = one(h.heph("restart", "--json"), 0, "restart");
        // a restart in place restarts a process: a change, in the plan and in the real run alike
        assertEquals(List.of("kickstart", true, true, h.plist().toString()), List.of(plan.get("path"),
                plan.get("changed"), plan.get("dry_run"), plan.get("file")));
        assertEquals(List.of("kickstart", true, h.plist().toString()), List.of(restart.get("path"),
                restart.get("changed"), restart.get("file")));

        Map<String, Object> again = one(h.heph("start", "--json"), 0, "start");
        assertEquals(List.of("none", false), List.of(again.get("path"), again.get("changed")));

        Map<String, Object> stop = one(h.heph("stop", "--json"), 0, "stop");
        assertEquals(List.of("stop", true), List.of(stop.get("path"), stop.get("changed")));
        Map<String, Object> stopped = one(h.heph("stop", "--json"), 0, "stop");
        assertEquals(List.of("none", false), List.of(stopped.get("path"), stopped.get("changed")));

        Map<String, Object> uninstall = one(h.heph("uninstall", "--json"), 0, "uninstall");
        assertEquals(List.of("uninstall", true), List.of(uninstall.get("path"), uninstall.get("changed")));
        assertFalse(Files.exists(h.plist()));
    }

    @Test
    void usageErrorsAreOneObjectWithExitTwoAndNothingChanged() {
        Map<String, Object> bad = one(h.heph("restart", "--json", "--mode", "cloud"), 2, "restart");
        assertEquals("--mode: 'cloud' is not valid; expected local or server", bad.get("error"));
        assertEquals(false, bad.get("changed"));

        Map<String, Object> unknown = one(h.heph("start", "--json", "--bogus"), 2, "start");
        assertTrue(unknown.get("error").toString().contains("--bogus"), unknown.toString());

        // a verb without --json: picocli refuses the option, and the refusal is still one object
        Map<String, Object> logs = one(h.heph("logs", "--json"), 2, "logs");
        assertTrue(logs.get("error").toString().contains("--json"), logs.toString());

        Map<String, Object> noVerb = one(h.heph("--json"), 2, null);
        assertEquals("Unknown option: '--json'", noVerb.get("error"));

        Map<String, Object> missing = one(h.heph("start", "--json", "--plist", dir.resolve("nope.plist").toString()),
                2, "start");
        assertTrue(missing.get("error").toString().contains("nope.plist"), missing.toString());

        Map<String, Object> noDir = one(h.heph("apply", dir.resolve("absent").toString(), "--json"), 2, "apply");
        assertTrue(noDir.get("error").toString().contains("is not a folder"), noDir.toString());
        assertEquals(dir.resolve("absent").toString(), noDir.get("dir"));
        assertTrue(h.sim.calls().isEmpty(), "nothing asked of launchctl: " + h.verbs());
    }

    @Test
    void aVeryLongLabelIsEchoedAsAPrefixOnly() {
        String label = "a".repeat(10_000);
        HephInSim.Run r = h.heph("status", "--json", "--label", label);
        Map<String, Object> m = one(r, 2, "status");
        String error = m.get("error").toString();
        assertTrue(error.startsWith("--label: 'aaaa") && error.contains("expected 1 to 212 characters"), error);
        assertTrue(error.length() < 300, "a prefix, not 10 000 characters: " + error.length());
        assertTrue(r.err().length() < 400, r.err());
    }

    @Test
    void aRefusalBeforeAnythingChangedSaysChangedFalse() throws java.io.IOException {
        java.nio.file.Path file = h.sim.home().resolve("org.example.gone.plist");
        java.nio.file.Files.writeString(file, "{ Label = org.example.gone; ProgramArguments = (\""
                + h.sim.home().resolve("bin/not-there") + "\"); }\n");
        Map<String, Object> m = one(h.heph("start", "--json", "--plist", file.toString()), 1, "start");
        assertTrue(m.get("error").toString().contains("does not exist"), m.toString());
        assertEquals(false, m.get("changed"), "refused before acting: nothing changed: " + m);
    }

    @Test
    void aFailedOperationIsOneObjectNamingTheService() {
        h.env.put("HEPH_LAUNCHCTL", "/bin/false");
        Map<String, Object> m = one(h.heph("start", "--json"), 1, "start");
        assertEquals(List.of(HEPHD, h.plist().toString(), "launchd"), List.of(m.get("label"), m.get("file"),
                m.get("backend")));
        assertTrue(m.containsKey("changed") && m.get("changed") == null, "unknown after a failure: " + m);
    }

    @Test
    @SuppressWarnings("unchecked")
    void applyAndListShareNamesAndChangedMeansTheSameInTheDryRun() throws Exception {
        agent("a.plist", "org.example.a");
        agent("b.plist", "org.example.b");
        Map<String, Object> first = one(h.heph("apply", dotfiles.toString(), "--json"), 0, "apply");
        List<Map<String, Object>> services = (List<Map<String, Object>>) first.get("services");
        Map<String, Object> a = services.get(0);
        assertEquals(List.of("org.example.a", h.sim.launchAgents().resolve("org.example.a.plist").toString(),
                dotfiles.resolve("a.plist").toString(), "start", "start", true), List.of(a.get("label"),
                a.get("file"), a.get("source"), a.get("path"), a.get("how"), a.get("changed")));

        Map<String, Object> plan = one(h.heph("apply", dotfiles.toString(), "--restart", "--dry-run", "--json"),
                0, "apply");
        Map<String, Object> real = one(h.heph("apply", dotfiles.toString(), "--restart", "--json"), 0, "apply");
        List<Map<String, Object>> planned = (List<Map<String, Object>>) plan.get("services");
        List<Map<String, Object>> done = (List<Map<String, Object>>) real.get("services");
        assertEquals(planned.stream().map(s -> List.of(s.get("label"), s.get("file"), s.get("path"),
                s.get("changed"))).toList(), done.stream().map(s -> List.of(s.get("label"), s.get("file"),
                s.get("path"), s.get("changed"))).toList());
        assertTrue(done.stream().allMatch(s -> s.get("changed").equals(true) && s.get("path").equals("kickstart")),
                done.toString());
        assertEquals(List.of(true, true), List.of(plan.get("changed"), real.get("changed")));
        assertTrue(real.get("message").toString().contains("2 changed"), real.toString());

        Map<String, Object> list = one(h.heph("list", "--json"), 0, "list");
        List<Map<String, Object>> agents = (List<Map<String, Object>>) list.get("agents");
        assertEquals(List.of("org.example.a", "org.example.b"), agents.stream().map(r -> r.get("label")).toList());
        assertEquals(h.sim.launchAgents().resolve("org.example.b.plist").toString(), agents.get(1).get("file"));

        Files.writeString(dotfiles.resolve("c.plist"), "not a plist");
        Map<String, Object> failed = one(h.heph("apply", dotfiles.toString(), "--json"), 1, "apply");
        assertTrue(failed.get("error").toString().contains("1 failed"), failed.toString());
        Map<String, Object> c = ((List<Map<String, Object>>) failed.get("services")).get(2);
        assertEquals(List.of(false, false, dotfiles.resolve("c.plist").toString()), List.of(c.get("ok"),
                c.get("changed"), c.get("source")));
        assertNull(c.get("label"));
        // text: the file is named once
        HephInSim.Run text = h.heph("apply", dotfiles.toString());
        String line = text.err().lines().filter(l -> l.contains("FAILED")).findFirst().orElseThrow();
        assertEquals(line.indexOf(dotfiles.resolve("c.plist").toString()),
                line.lastIndexOf(dotfiles.resolve("c.plist").toString()), line);
    }

    @Test
    void listApplyAndCompletionRefuseLabel() throws Exception {
        Map<String, Object> list = one(h.heph("list", "--json", "--label", "org.example.a"), 2, "list");
        assertEquals("--label: list works on every agent; expected no --label", list.get("error"));
        Map<String, Object> apply = one(h.heph("apply", dotfiles.toString(), "--json", "--label", "org.example.a"),
                2, "apply");
        assertEquals("--label: apply works on every agent of DIR; expected no --label", apply.get("error"));
        HephInSim.Run completion = h.heph("completion", "bash", "--label", "org.example.a");
        assertEquals(2, completion.exit());
        assertEquals("", completion.out());
    }

    @Test
    void doctorFailsAsOneObject() {
        h.env.put("HEPH_LAUNCHCTL", "/bin/false"); // no domain to check
        Map<String, Object> d = one(h.heph("doctor", "--json"), 1, "doctor");
        assertTrue(d.get("error").toString().matches("\\d+ checks? failed; first: .+"), d.toString());
        assertEquals(List.of(false, HEPHD), List.of(d.get("changed"), d.get("label")));
        assertTrue(d.get("checks") instanceof List<?>);
    }
}
