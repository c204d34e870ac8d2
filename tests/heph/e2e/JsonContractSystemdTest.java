package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/json.md on systemd, with heph as its own process (its real stdout): one JSON object per run, on success and
 * failure; file is the installed unit, path the route; a bare restart is changed in the plan and the real run.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class JsonContractSystemdTest extends SystemdHephBaseTest {
    @SuppressWarnings("unchecked")
    static Map<String, Object> one(Run r, int exit, String action) {
        assertEquals(exit, r.exit(), r.out() + r.err());
        assertEquals(1, r.out().lines().count(), "exactly one line on stdout: " + r.out());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out());
        assertEquals(List.of(exit == 0, (long) exit, action), List.of(m.get("ok"), m.get("exit_code"),
                m.get("action")), r.out());
        assertEquals(exit != 0, m.containsKey("error"), r.out());
        return m;
    }

    @Test
    void verbsAsTheirOwnProcessPrintOneObjectOnSuccessAndFailure() throws Exception {
        Map<String, Object> down = one(hephProcess("status", "--json"), 3, "status");
        assertEquals(List.of(UNIT, unitFile().toString(), "systemd", false), List.of(down.get("label"),
                down.get("file"), down.get("backend"), down.get("changed")));

        Map<String, Object> start = one(hephProcess("start", "--json"), 0, "start");
        assertEquals(List.of("start", true, UNIT, unitFile().toString()), List.of(start.get("path"),
                start.get("changed"), start.get("label"), start.get("file")));

        Map<String, Object> bad = one(hephProcess("restart", "--json", "--label", "org.example.x"), 2, "restart");
        assertTrue(bad.get("error").toString().startsWith("--label: the backend is systemd"), bad.toString());
        assertEquals(false, bad.get("changed"));

        Map<String, Object> unknown = one(hephProcess("logs", "--json"), 2, "logs");
        assertEquals("Unknown option: '--json'", unknown.get("error"));

        Map<String, Object> plan = one(heph("restart", "--dry-run", "--json"), 0, "restart");
        Map<String, Object> restart = one(heph("restart", "--json"), 0, "restart");
        assertEquals(List.of("restart", true, unitFile().toString()), List.of(plan.get("path"), plan.get("changed"),
                plan.get("file")));
        assertEquals(List.of("restart", true, unitFile().toString()), List.of(restart.get("path"),
                restart.get("changed"), restart.get("file")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void applyAndListAsObjects() throws Exception {
        Path dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
        Files.writeString(dotfiles.resolve("a.service"), "[Service]\nExecStart=" + sim.hephd() + " --socket "
                + runtime.resolve("a.sock") + " --db " + dir.resolve("a.db") + "\n\n[Install]\nWantedBy=default.target\n");
        Files.writeString(dotfiles.resolve("bad.service"), "[Service]\nExecStart=relative --flag\n");
        Map<String, Object> apply = one(hephProcess("apply", dotfiles.toString(), "--json"), 1, "apply");
        List<Map<String, Object>> services = (List<Map<String, Object>>) apply.get("services");
        Map<String, Object> a = services.get(0);
        assertEquals(List.of("a.service", sim.home().resolve(".config/systemd/user/a.service").toString(),
                dotfiles.resolve("a.service").toString(), true, true), List.of(a.get("label"), a.get("file"),
                a.get("source"), a.get("ok"), a.get("changed")));
        assertEquals(List.of(false, false, "failed"), List.of(services.get(1).get("ok"),
                services.get(1).get("changed"), services.get(1).get("path")));
        assertTrue(apply.get("error").toString().contains("1 failed"), apply.toString());

        Map<String, Object> list = one(hephProcess("list", "--json"), 0, "list");
        List<Map<String, Object>> agents = (List<Map<String, Object>>) list.get("agents");
        assertTrue(agents.stream().anyMatch(r -> r.get("label").equals("a.service")), agents.toString());
        assertFalse(agents.stream().anyMatch(r -> r.get("label").equals("bad.service")), agents.toString());
    }
}
