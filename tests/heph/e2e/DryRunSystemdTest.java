package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.support.Patch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --dry-run} on systemd, end to end through the systemctl fake: the plan (daemon-reload + restart for a
 * changed unit, restart for an unchanged one, enable --now from nothing, stop, disable --now + daemon-reload) with
 * the unit's diff, and nothing changed: the unit's bytes, the main pid, only {@code show} calls.
 */
@org.junit.jupiter.api.Tag("simulator")
class DryRunSystemdTest extends SystemdHephBaseTest {
    String systemctl() {
        return sim.bin("systemctl").toString();
    }

    List<String> argv(String... args) {
        List<String> a = new java.util.ArrayList<>(List.of(systemctl(), "--user"));
        a.addAll(List.of(args));
        return a;
    }

    @SuppressWarnings("unchecked")
    static List<List<String>> commands(Map<String, Object> json) {
        return (List<List<String>>) json.get("commands");
    }

    void onlyShowCalls() {
        assertTrue(calls().stream().allMatch("show"::equals), "only read-only systemctl calls: " + calls());
    }

    @Test
    void aChangedFlagPlansDaemonReloadThenRestartAndChangesNothing() throws Exception {
        assertEquals(0, heph("start").exit());
        byte[] unit = Files.readAllBytes(unitFile());
        long pid = mainPid();
        sim.clearCalls();

        Run text = heph("restart", "--dry-run", "--self-update-interval-secs", "600");
        assertEquals(0, text.exit(), text.err());
        List<String> lines = text.out().lines().toList();
        assertEquals("heph: dry run: restart would reload heph.service (pid " + pid + ") (the unit file changed)",
                lines.get(0));
        assertEquals(systemctl() + " --user daemon-reload", lines.get(1));
        assertEquals(systemctl() + " --user restart heph.service", lines.get(2));
        assertEquals("--- a" + unitFile(), lines.get(3));
        assertEquals("+++ b" + unitFile(), lines.get(4));
        assertTrue(text.out().contains("\n-ExecStart=" + sim.hephd() + " --mode local\n+ExecStart=" + sim.hephd()
                + " --mode local --self-update-interval-secs 600\n"), text.out());

        Map<String, Object> j = heph("restart", "--dry-run", "--self-update-interval-secs", "600", "--json").json();
        assertEquals(List.of("restart", true, true, "reload"), List.of(j.get("action"), j.get("dry_run"),
                j.get("changed"), j.get("path")));
        assertEquals(List.of(argv("daemon-reload"), argv("restart", "heph.service")), commands(j));
        String diff = (String) j.get("diff");
        assertEquals(text.out().substring(text.out().indexOf("--- a")), diff);

        assertArrayEquals(unit, Files.readAllBytes(unitFile()));
        assertEquals(pid, mainPid());
        onlyShowCalls();

        Run real = heph("restart", "--self-update-interval-secs", "600", "--json");
        assertEquals("reload", real.json().get("path"));
        assertEquals(Patch.apply(new String(unit), diff), Files.readString(unitFile()));
    }

    @Test
    void fromNothingUnchangedStopAndUninstall() throws Exception {
        Map<String, Object> fresh = heph("start", "--dry-run", "--json").json();
        assertEquals("start", fresh.get("path"));
        assertEquals(List.of(argv("daemon-reload"), argv("enable", "--now", "heph.service")), commands(fresh));
        assertTrue(((String) fresh.get("diff")).startsWith("--- /dev/null\n+++ b" + unitFile() + "\n@@ -0,0 +1,"),
                (String) fresh.get("diff"));
        assertFalse(Files.exists(unitFile()));
        onlyShowCalls();

        assertEquals(0, heph("start").exit());
        long pid = mainPid();
        sim.clearCalls();
        Map<String, Object> bare = heph("restart", "--dry-run", "--json").json();
        assertEquals("restart", bare.get("path"));
        assertEquals(List.of(argv("restart", "heph.service")), commands(bare));
        assertEquals("", bare.get("diff"));
        Map<String, Object> none = heph("start", "--dry-run", "--json").json();
        assertEquals(List.of("none", false, List.of()), List.of(none.get("path"), none.get("changed"),
                none.get("commands")));

        Map<String, Object> stop = heph("stop", "--dry-run", "--json").json();
        assertEquals("stop", stop.get("path"));
        assertEquals(List.of(argv("stop", "heph.service")), commands(stop));
        Run un = heph("uninstall", "--dry-run");
        assertEquals(0, un.exit(), un.err());
        assertTrue(un.out().startsWith("heph: dry run: uninstall would stop heph.service (pid " + pid
                + "), disable heph.service and remove " + unitFile() + "\n" + systemctl()
                + " --user disable --now heph.service\n" + systemctl() + " --user daemon-reload\n--- a" + unitFile()
                + "\n+++ /dev/null\n"), un.out());
        assertTrue(Files.exists(unitFile()));
        assertEquals(pid, mainPid());
        onlyShowCalls();

        assertEquals(0, heph("stop").exit());
        assertEquals("none", heph("stop", "--dry-run", "--json").json().get("path"));
    }

    @Test
    void applyDryRunOfAFolder() throws Exception {
        Path dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
        Files.writeString(dotfiles.resolve("sync.service"), "[Unit]\nDescription=sync\n\n[Service]\nExecStart="
                + sim.hephd() + " --socket " + runtime.resolve("sync.sock") + "\n\n[Install]\n"
                + "WantedBy=default.target\n");
        Run r = heph("apply", dotfiles.toString(), "--dry-run", "--json");
        assertEquals(0, r.exit(), r.err());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> services = (List<Map<String, Object>>) r.json().get("services");
        assertEquals(1, services.size());
        Map<String, Object> s = services.get(0);
        assertEquals(List.of("sync.service", "start", "start", true, true), List.of(s.get("label"), s.get("action"),
                s.get("path"), s.get("dry_run"), s.get("changed")));
        assertEquals(List.of(argv("daemon-reload"), argv("enable", "--now", "sync.service")), commands(s));
        Path installed = unitFile().resolveSibling("sync.service");
        assertTrue(((String) s.get("diff")).startsWith("--- /dev/null\n+++ b" + installed + "\n"));
        assertFalse(Files.exists(installed));
        onlyShowCalls();
    }

    static final String TOKEN = "tok-5be81a2c9d07";

    void noToken(Run r) {
        assertFalse((r.out() + r.err()).contains(TOKEN), r.out() + r.err());
    }

    @Test
    void environmentValuesAreNeverPrinted() throws Exception {
        Path dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
        Path source = dotfiles.resolve("sync.service");
        Files.writeString(source, "[Unit]\nDescription=sync\n\n[Service]\nExecStart=" + sim.hephd() + " --socket "
                + runtime.resolve("sync.sock") + " --db " + runtime.resolve("sync.db") // its own store: hephd below takes the default's lock
                + "\nEnvironment=\"API_TOKEN=" + TOKEN + "\" \"MODE=2\"\n"
                + "Environment=SECOND=" + TOKEN + "\n\n[Install]\nWantedBy=default.target\n");
        for (String[] args : List.of(new String[] {"apply", dotfiles.toString(), "--dry-run"},
                new String[] {"apply", dotfiles.toString(), "--dry-run", "--json"},
                new String[] {"--verbose", "apply", dotfiles.toString(), "--dry-run"})) {
            Run r = heph(args);
            assertEquals(0, r.exit(), r.err());
            noToken(r);
            assertTrue(r.out().contains("API_TOKEN=<redacted>") && r.out().contains("MODE=<redacted>"), r.out());
        }

        assertEquals(0, heph("apply", dotfiles.toString()).exit());
        Files.writeString(source, Files.readString(source).replace("SECOND=" + TOKEN, "SECOND=other" + TOKEN));
        Run changed = heph("apply", dotfiles.toString(), "--dry-run");
        assertEquals(0, changed.exit(), changed.err());
        noToken(changed);
        assertTrue(changed.out().contains("\n-Environment=\"SECOND=<redacted>\"\n+Environment=\"SECOND=<redacted>"
                + " (changed)\"\n"), changed.out());

        // hephd's own unit with a variable the user added by hand
        assertEquals(0, heph("start").exit());
        Files.writeString(unitFile(), Files.readString(unitFile()).replace("[Service]\n", "[Service]\n"
                + "Environment=API_TOKEN=" + TOKEN + "\n"));
        for (String verb : List.of("restart", "uninstall")) {
            Run text = heph(verb, "--dry-run", "--self-update-interval-secs", "600");
            Run json = heph(verb, "--dry-run", "--self-update-interval-secs", "600", "--json");
            if (verb.equals("uninstall")) {
                text = heph(verb, "--dry-run");
                json = heph(verb, "--dry-run", "--json");
            }
            assertEquals(0, text.exit(), text.err());
            noToken(text);
            assertTrue(text.out().contains("Environment=\"API_TOKEN=<redacted>\"\n"), text.out());
            assertEquals(0, json.exit(), json.err());
            noToken(json);
            assertTrue(((String) json.json().get("diff")).contains("Environment=\"API_TOKEN=<redacted>\"\n"),
                    json.out());
        }
        assertTrue(Files.readString(unitFile()).contains("Environment=API_TOKEN=" + TOKEN + "\n"), "a dry run");

        // nor does any other output: the real restart, status, doctor, with --verbose and --json
        for (String[] args : List.of(new String[] {"--verbose", "restart"}, new String[] {"restart", "--json"},
                new String[] {"status"}, new String[] {"status", "--json"}, new String[] {"--verbose", "doctor"},
                new String[] {"doctor", "--json"}, new String[] {"--verbose", "apply", dotfiles.toString()})) {
            noToken(heph(args));
        }
    }
}
