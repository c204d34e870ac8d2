package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.SimOptions;
import heph.support.Patch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --dry-run} end to end through the simulator: the plan (path, launchctl argv in order, the plist's diff)
 * and nothing changed — the plist's bytes, heph's loaded copy, the daemon's pid, and only read-only launchctl verbs
 * in the simulator's record of calls.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class DryRunLaunchdTest {
    static final String REDACTED = heph.plan.Redaction.REDACTED;
    static final Set<String> READ_ONLY = Set.of("print", "print-disabled", "help");
    static final String LABEL = "org.hephaestus.hephd";

    @TempDir
    Path dir;
    HephInSim h;

    @BeforeEach
    void start() {
        h = new HephInSim(SimOptions.in(dir).withSeed(23).withCleanupLagMs(200, 400));
    }

    @AfterEach
    void close() {
        h.close();
    }

    Path copy() {
        return h.sim.home().resolve(".local/state/heph/loaded/" + LABEL + ".plist");
    }

    void onlyReadOnlyCalls() {
        assertTrue(READ_ONLY.containsAll(h.verbs()), "only read-only launchctl verbs: " + h.verbs());
    }

    String launchctl() {
        return h.sim.launchctl().toString();
    }

    @SuppressWarnings("unchecked")
    static List<List<String>> commands(Map<String, Object> json) {
        return (List<List<String>>) json.get("commands");
    }

    @Test
    void restartWithAChangedFlagPrintsTheReloadPlanAndTheDiffAndChangesNothing() throws IOException {
        assertEquals(0, h.heph("start").exit());
        byte[] plist = Files.readAllBytes(h.plist());
        byte[] loaded = Files.readAllBytes(copy());
        long pid = h.sim.runningPid(LABEL).getAsLong();
        h.sim.clearCalls();

        HephInSim.Run text = h.heph("restart", "--dry-run", "--self-update-interval-secs", "600");
        assertEquals(0, text.exit(), text.err());
        List<String> lines = text.out().lines().toList();
        assertEquals("heph: dry run: restart would reload " + LABEL + " (the definition changed)", lines.get(0));
        String t = h.target();
        assertTrue(lines.get(1).startsWith(launchctl() + " bootout --wait " + t + "   # plain `launchctl bootout "
                + t + "` where launchctl has no --wait"), lines.get(1));
        assertTrue(lines.get(2).startsWith(launchctl() + " print " + t + "   # polled until it answers 113"),
                lines.get(2));
        assertEquals(launchctl() + " enable " + t, lines.get(3));
        assertTrue(lines.get(4).startsWith(launchctl() + " bootstrap " + h.sim.domain() + " " + h.plist()
                + "   # retried on 5 and 37"), lines.get(4));
        assertEquals("--- a" + h.plist(), lines.get(5));
        assertEquals("+++ b" + h.plist(), lines.get(6));
        assertTrue(text.out().contains("\n+\t\t<string>--self-update-interval-secs</string>\n+\t\t<string>600"
                + "</string>\n"), text.out());

        HephInSim.Run json = h.heph("restart", "--dry-run", "--self-update-interval-secs", "600", "--json");
        assertEquals(0, json.exit(), json.err());
        Map<String, Object> j = json.json();
        assertEquals("restart", j.get("action"));
        assertEquals(true, j.get("dry_run"));
        assertEquals(true, j.get("changed"));
        assertEquals("reload", j.get("path"));
        assertEquals(List.of(List.of(launchctl(), "bootout", "--wait", t), List.of(launchctl(), "print", t),
                List.of(launchctl(), "enable", t), List.of(launchctl(), "bootstrap", h.sim.domain(),
                        h.plist().toString())), commands(j));
        String diff = (String) j.get("diff");
        assertEquals(text.out().substring(text.out().indexOf("--- a")), diff);
        assertEquals("restart would reload " + LABEL + " (the definition changed)", j.get("message"));
        assertEquals(List.of(), j.get("warnings"));

        // nothing changed: the file, heph's loaded copy, the daemon, and no mutating launchctl call
        assertArrayEquals(plist, Files.readAllBytes(h.plist()));
        assertArrayEquals(loaded, Files.readAllBytes(copy()));
        assertEquals(pid, h.sim.runningPid(LABEL).getAsLong());
        onlyReadOnlyCalls();
        try (var names = Files.list(h.plist().getParent())) {
            assertEquals(List.of(h.plist()), names.toList(), "no temp file, nothing moved aside");
        }

        // the plan was the truth: the real restart takes that path and writes exactly the diffed plist
        HephInSim.Run real = h.heph("restart", "--self-update-interval-secs", "600", "--json");
        assertEquals(0, real.exit(), real.err());
        assertEquals("reload", real.json().get("path"));
        assertEquals(Patch.apply(new String(plist), diff), Files.readString(h.plist()));
    }

    @Test
    void startWhenNotInstalledPlansAFreshStartFromAnEmptyFile() {
        HephInSim.Run r = h.heph("start", "--dry-run", "--json");
        assertEquals(0, r.exit(), r.err());
        Map<String, Object> j = r.json();
        assertEquals("start", j.get("path"));
        assertEquals(true, j.get("changed"));
        String t = h.target();
        assertEquals(List.of(List.of(launchctl(), "enable", t), List.of(launchctl(), "bootstrap", h.sim.domain(),
                h.plist().toString())), commands(j));
        String diff = (String) j.get("diff");
        assertTrue(diff.startsWith("--- /dev/null\n+++ b" + h.plist() + "\n@@ -0,0 +1,"), diff);
        assertTrue(diff.contains("+\t<string>" + LABEL + "</string>\n"), diff);
        assertEquals("start would start " + LABEL + " (not loaded)", j.get("message"));
        assertFalse(Files.exists(h.plist()));
        assertFalse(Files.exists(h.sim.home().resolve(".local/state/heph")), "no lock, no loaded copy");
        assertFalse(Files.exists(h.sim.home().resolve("Library/Logs/heph")), "no log folder made");
        onlyReadOnlyCalls();
        assertTrue(h.sim.runningPid(LABEL).isEmpty());
    }

    @Test
    void unchangedRestartIsAKickstartPlanAndUnchangedStartIsNothing() throws IOException {
        assertEquals(0, h.heph("start").exit());
        long pid = h.sim.runningPid(LABEL).getAsLong();
        h.sim.clearCalls();
        Map<String, Object> kick = h.heph("restart", "--dry-run", "--json").json();
        assertEquals("kickstart", kick.get("path"));
        assertEquals(true, kick.get("changed"));
        assertEquals(List.of(List.of(launchctl(), "kickstart", "-k", h.target())), commands(kick));
        assertEquals("", kick.get("diff"));

        HephInSim.Run none = h.heph("start", "--dry-run");
        assertEquals(0, none.exit());
        assertEquals("heph: dry run: start would change nothing: hephd is already running (pid " + pid + ") with"
                + " this configuration\n", none.out());
        Map<String, Object> j = h.heph("start", "--dry-run", "--json").json();
        assertEquals("none", j.get("path"));
        assertEquals(false, j.get("changed"));
        assertEquals(List.of(), commands(j));
        assertEquals(pid, h.sim.runningPid(LABEL).getAsLong());
        onlyReadOnlyCalls();
    }

    @Test
    void aHandEditIsDiffedFromHephsLoadedCopy() throws IOException {
        assertEquals(0, h.heph("start").exit());
        String edited = Files.readString(h.plist()).replaceFirst("<dict>\n", "<dict>\n\t<key>ExitTimeOut</key>\n"
                + "\t<integer>7</integer>\n");
        Files.writeString(h.plist(), edited);
        h.sim.clearCalls();
        Map<String, Object> j = h.heph("restart", "--dry-run", "--json").json();
        assertEquals("reload", j.get("path"));
        String msg = (String) j.get("message");
        assertTrue(msg.contains("the plist was edited since heph loaded it") && msg.contains(copy().toString()),
                msg + "\n" + j.get("diff"));
        String diff = (String) j.get("diff");
        assertTrue(diff.startsWith("--- a" + copy() + "\n+++ b" + h.plist() + "\n"), diff);
        assertTrue(diff.contains("+\t<key>ExitTimeOut</key>\n+\t<integer>7</integer>\n"), diff);
        assertEquals(edited, Files.readString(h.plist()));
        onlyReadOnlyCalls();
    }

    @Test
    void stopAndUninstallDryRuns() throws IOException {
        assertEquals(0, h.heph("start").exit());
        byte[] plist = Files.readAllBytes(h.plist());
        long pid = h.sim.runningPid(LABEL).getAsLong();
        h.sim.clearCalls();
        String t = h.target();

        Map<String, Object> stop = h.heph("stop", "--dry-run", "--json").json();
        assertEquals("stop", stop.get("action"));
        assertEquals("stop", stop.get("path"));
        assertEquals(List.of(List.of(launchctl(), "bootout", "--wait", t), List.of(launchctl(), "print", t)),
                commands(stop));
        assertEquals("stop would stop " + LABEL + " (pid " + pid + ")", stop.get("message"));

        HephInSim.Run un = h.heph("uninstall", "--dry-run");
        assertEquals(0, un.exit(), un.err());
        assertTrue(un.out().startsWith("heph: dry run: uninstall would stop " + LABEL + " (pid " + pid
                + ") and remove " + h.plist() + "\n"), un.out());
        assertTrue(un.out().contains("--- a" + h.plist() + "\n+++ /dev/null\n@@ -1,"), un.out());
        assertArrayEquals(plist, Files.readAllBytes(h.plist()));
        assertEquals(pid, h.sim.runningPid(LABEL).getAsLong());
        onlyReadOnlyCalls();

        assertEquals(0, h.heph("stop").exit());
        Map<String, Object> again = h.heph("stop", "--dry-run", "--json").json();
        assertEquals("none", again.get("path"));
        assertEquals(false, again.get("changed"));
        Map<String, Object> onlyFile = h.heph("uninstall", "--dry-run", "--json").json();
        assertEquals("uninstall", onlyFile.get("path"));
        assertEquals(List.of(), commands(onlyFile), "not loaded: nothing to boot out, only the file to remove");
        assertEquals(0, h.heph("uninstall").exit());
        assertEquals("none", h.heph("uninstall", "--dry-run", "--json").json().get("path"));
    }

    @Test
    void usageErrorsAreStillExit2AndAFailedProbeExit1() {
        HephInSim.Run bad = h.heph("restart", "--dry-run", "--self-update-interval-secs", "0");
        assertEquals(2, bad.exit(), bad.err());
        assertEquals("", bad.out());
        h.sim.knobs().noGuiDomain(true);
        HephInSim.Run noDomain = h.heph("start", "--dry-run", "--json");
        assertEquals(1, noDomain.exit(), noDomain.err());
        assertTrue(noDomain.err().contains("--domain user"), noDomain.err());
        assertFalse(Files.exists(h.plist()));
    }

    @Test
    void applyDryRunPlansEveryAgentOfAFolder() throws IOException {
        Path dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
        for (String name : List.of("org.example.a", "org.example.b")) {
            Files.writeString(dotfiles.resolve(name + ".plist"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<plist version=\"1.0\">\n<dict>\n\t<key>Label</key>\n\t<string>" + name + "</string>\n"
                    + "\t<key>ProgramArguments</key>\n\t<array>\n\t\t<string>" + h.sim.hephd() + "</string>\n"
                    + "\t\t<string>--socket</string>\n\t\t<string>" + h.sim.home().resolve(name + ".sock")
                    + "</string>\n\t\t<string>--db</string>\n\t\t<string>" + h.sim.home().resolve(name + ".db")
                    + "</string>\n\t</array>\n\t<key>KeepAlive</key>\n\t<true/>\n</dict>\n</plist>\n");
        }
        HephInSim.Run r = h.heph("apply", dotfiles.toString(), "--dry-run", "--json");
        assertEquals(0, r.exit(), r.err());
        Map<String, Object> j = r.json();
        assertEquals("apply", j.get("action"));
        assertEquals(true, j.get("dry_run"));
        assertEquals(true, j.get("changed"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> services = (List<Map<String, Object>>) j.get("services");
        assertEquals(2, services.size());
        for (Map<String, Object> s : services) {
            String label = (String) s.get("label");
            assertEquals("start", s.get("action"));
            assertEquals("start", s.get("path"));
            assertEquals(true, s.get("dry_run"));
            assertEquals(true, s.get("ok"));
            assertEquals(dotfiles.resolve(label + ".plist").toString(), s.get("source"));
            Path installed = h.sim.launchAgents().resolve(label + ".plist");
            assertEquals(installed.toString(), s.get("file"));
            assertTrue(((String) s.get("diff")).startsWith("--- /dev/null\n+++ b" + installed + "\n"));
            assertEquals(List.of(launchctl(), "bootstrap", h.sim.domain(), installed.toString()),
                    commands(s).get(1));
            assertFalse(Files.exists(installed));
        }
        HephInSim.Run text = h.heph("apply", dotfiles.toString(), "--dry-run");
        assertEquals(0, text.exit());
        assertTrue(text.out().contains("heph: dry run: start would start org.example.a (not loaded)\n"), text.out());
        assertTrue(text.out().endsWith("heph: dry run: apply " + dotfiles + " would change 2 of 2 service(s), 0"
                + " could not be planned\n"), text.out());
        assertTrue(READ_ONLY.containsAll(h.verbs()), h.verbs().toString());

        assertEquals(0, h.heph("apply", dotfiles.toString()).exit());
        Map<String, Object> after = h.heph("apply", dotfiles.toString(), "--dry-run", "--json").json();
        assertEquals(false, after.get("changed"), "applied: nothing left to do: " + after);
    }

    static final String TOKEN = "tok-7c1f93e0a5d2";

    void noToken(HephInSim.Run r) {
        assertFalse((r.out() + r.err()).contains(TOKEN), r.out() + r.err());
    }

    @Test
    void environmentValuesAreNeverPrinted() throws IOException {
        Path dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
        Files.writeString(dotfiles.resolve("org.example.sync.plist"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<plist version=\"1.0\">\n<dict>\n\t<key>Label</key>\n\t<string>org.example.sync</string>\n"
                + "\t<key>ProgramArguments</key>\n\t<array>\n\t\t<string>" + h.sim.hephd() + "</string>\n"
                + "\t\t<string>--socket</string>\n\t\t<string>" + h.sim.home().resolve("sync.sock") + "</string>\n"
                // its own store: hephd, started below, takes the default store's lock
                + "\t\t<string>--db</string>\n\t\t<string>" + h.sim.home().resolve("sync.db") + "</string>\n"
                + "\t</array>\n\t<key>EnvironmentVariables</key>\n\t<dict>\n\t\t<key>API_TOKEN</key>\n"
                + "\t\t<string>" + TOKEN + "</string>\n\t</dict>\n\t<key>KeepAlive</key>\n\t<true/>\n</dict>\n"
                + "</plist>\n");
        for (String[] args : List.of(new String[] {"apply", dotfiles.toString(), "--dry-run"},
                new String[] {"apply", dotfiles.toString(), "--dry-run", "--json"},
                new String[] {"--verbose", "apply", dotfiles.toString(), "--dry-run"})) {
            HephInSim.Run r = h.heph(args);
            assertEquals(0, r.exit(), r.err());
            noToken(r);
            assertTrue(r.out().contains("<key>API_TOKEN</key>") && r.out().contains("<string><redacted></string>"),
                    r.out());
        }

        // a changed value: a changed line, neither value shown
        assertEquals(0, h.heph("apply", dotfiles.toString()).exit());
        Path source = dotfiles.resolve("org.example.sync.plist");
        Files.writeString(source, Files.readString(source).replace(TOKEN, "other-" + TOKEN));
        HephInSim.Run changed = h.heph("apply", dotfiles.toString(), "--dry-run");
        assertEquals(0, changed.exit(), changed.err());
        noToken(changed);
        assertTrue(changed.out().contains("\n-\t\t<string><redacted></string>\n+\t\t<string><redacted> (changed)"
                + "</string>\n"), changed.out());

        // hephd's own plist, with a variable the user added by hand: uninstall's diff shows the name, not the value
        assertEquals(0, h.heph("start").exit());
        Files.writeString(h.plist(), Files.readString(h.plist()).replace("\t\t<key>HEPH_QUICKADD</key>\n",
                "\t\t<key>API_TOKEN</key>\n\t\t<string>" + TOKEN + "</string>\n\t\t<key>HEPH_QUICKADD</key>\n"));
        HephInSim.Run text = h.heph("uninstall", "--dry-run");
        assertEquals(0, text.exit(), text.err());
        noToken(text);
        assertTrue(text.out().contains("-\t\t<key>API_TOKEN</key>\n-\t\t<string><redacted></string>\n"),
                text.out());
        HephInSim.Run json = h.heph("uninstall", "--dry-run", "--json");
        assertEquals(0, json.exit(), json.err());
        noToken(json);
        assertTrue(((String) json.json().get("diff")).contains("<string><redacted></string>"), json.out());

        // nor does any other output: the real reload, status, doctor, with --verbose and --json
        for (String[] args : List.of(new String[] {"--verbose", "restart"}, new String[] {"restart", "--json"},
                new String[] {"status"}, new String[] {"status", "--json"}, new String[] {"--verbose", "doctor"},
                new String[] {"doctor", "--json"}, new String[] {"--verbose", "apply", dotfiles.toString()})) {
            noToken(h.heph(args));
        }
    }

    /** An ASCII or binary plist, or an EnvironmentVariables that is not a dictionary: still no value shown. */
    @Test
    void environmentValuesOfOtherPlistFormsAreNeverPrinted() throws Exception {
        String program = "(" + h.sim.hephd() + ", --socket, \"" + h.sim.home().resolve("sync.sock") + "\")";
        String ascii = "{ Label = org.example.sync; ProgramArguments = " + program + "; EnvironmentVariables = { "
                + "API_TOKEN = \"" + TOKEN + "\"; OTHER = " + TOKEN + "x; }; }\n";
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
                + "\t<key>Label</key>\n\t<string>org.example.sync</string>\n\t<key>ProgramArguments</key>\n"
                + "\t<array>\n\t\t<string>" + h.sim.hephd() + "</string>\n\t</array>\n"
                + "\t<key>EnvironmentVariables</key>\n%s</dict>\n</plist>\n";
        byte[] binary = com.dd.plist.BinaryPropertyListWriter.writeToArray(
                com.dd.plist.PropertyListParser.parse(ascii.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Map<String, byte[]> forms = new java.util.LinkedHashMap<>();
        forms.put("ascii", ascii.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        forms.put("binary", binary);
        forms.put("array", String.format(xml, "\t<array>\n\t\t<string>API_TOKEN=" + TOKEN
                + "</string>\n\t</array>\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        forms.put("string", String.format(xml, "\t<string>API_TOKEN=" + TOKEN + "</string>\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        forms.put("comment", String.format(xml, "\t<dict>\n\t\t<!-- was " + TOKEN + " -->\n\t</dict>\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> form : forms.entrySet()) {
            Path dotfiles = Files.createDirectories(dir.resolve("dotfiles-" + form.getKey()));
            Path source = dotfiles.resolve("org.example.sync.plist");
            Files.write(source, form.getValue());
            for (String[] args : List.of(new String[] {"apply", dotfiles.toString(), "--dry-run"},
                    new String[] {"apply", dotfiles.toString(), "--dry-run", "--json"},
                    new String[] {"--verbose", "apply", dotfiles.toString(), "--dry-run"},
                    new String[] {"start", "--plist", source.toString(), "--dry-run"},
                    new String[] {"start", "--plist", source.toString(), "--dry-run", "--json"})) {
                HephInSim.Run r = h.heph(args);
                noToken(r);
                assertEquals(0, r.exit(), form.getKey() + " " + List.of(args) + ": " + r.out() + r.err());
                assertTrue(form.getKey().equals("comment") || r.out().contains(REDACTED), form.getKey() + ": "
                        + r.out());
            }
        }
    }
}
