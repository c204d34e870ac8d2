package heph.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.json.Json;
import heph.launchd.PrintInfo;
import heph.proc.ExecResult;
import heph.service.Settings;
import heph.support.ScriptedRunner;
import heph.support.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("unit")
class DoctorProbesTest {
    @TempDir
    Path dir;

    static ExecResult result(int code, String out, String err) {
        return new ExecResult(List.of("launchctl"), code, out, err, 1);
    }

    @Test
    void printDisabledEntriesInBothSpellings() {
        // docs/facts/launchd-facts.md §6: `=> disabled` / `=> enabled` (macOS 26), `=> true` / `=> false` (older)
        String modern = "\tdisabled services = {\n\t\t\"com.apple.Siri.agent\" => disabled\n"
                + "\t\t\"org.hephaestus.hephd\" => enabled\n\t}\n";
        assertEquals(Optional.of(false), LaunchdProbes.disabled(modern, "org.hephaestus.hephd"));
        assertEquals(Optional.of(true), LaunchdProbes.disabled(modern, "com.apple.Siri.agent"));
        assertEquals(Optional.empty(), LaunchdProbes.disabled(modern, "org.other"));
        assertEquals(Optional.of(true), LaunchdProbes.disabled("\t\"org.hephaestus.hephd\" => true\n",
                "org.hephaestus.hephd"));
    }

    @Test
    void exitMeanings() {
        assertTrue(ExitMeanings.of(78).startsWith("EX_CONFIG: launchd could not set the job up"));
        assertTrue(ExitMeanings.of(78).contains("StandardOutPath/StandardErrorPath it cannot write"));
        assertEquals("killed by signal 15 (exit status 128 + signal, as shells report it)", ExitMeanings.of(143));
        assertEquals("", ExitMeanings.of(3));
    }

    @Test
    void loadedReadsCrashLoopsAndTheLastExitWithItsMeaning() {
        Subject s = new Subject("org.x", dir.resolve("org.x.plist"), "gui/501", "x.service", dir);
        PrintInfo loop = PrintInfo.parse(0, "gui/501/org.x = {\n\tstate = spawn scheduled\n\truns = 17169\n"
                + "\tlast exit code = 78: EX_CONFIG\n}\n", "");
        Check c = LaunchdProbes.loaded(s, loop, true);
        assertEquals(Check.Status.FAIL, c.status());
        assertTrue(c.message().startsWith("crash loop: state = spawn scheduled, runs 17169, last exit code 78:"
                + " EX_CONFIG (launchd could not set the job up"), c.message());
        PrintInfo draining = PrintInfo.parse(0, "gui/501/org.x = {\n\tstate = SIGTERMed\n\tpid = 5\n}\n", "");
        assertEquals(Check.Status.WARN, LaunchdProbes.loaded(s, draining, true).status());
        assertEquals(Check.Status.WARN, LaunchdProbes.loaded(s, PrintInfo.parse(113, "", ""), true).status());
    }

    @Test
    void domainMissingNamesSshAndDomainUser() {
        Subject gui = new Subject("org.x", dir.resolve("org.x.plist"), "gui/501", "", dir);
        Check c = LaunchdProbes.domain(gui, result(125, "", "Could not print domain: 125: Domain does not support"
                + " specified action\n"));
        assertEquals(Check.Status.FAIL, c.status());
        assertEquals("gui/501 is missing (launchctl print answers 125: Domain does not support specified action):"
                + " no GUI login session for this user (over ssh, or a headless Mac)", c.message());
        assertEquals("log in at the Mac's console, or use `heph --domain user <verb>`: user/501 works over ssh, but"
                + " launchd does not restore it at the next login", c.fix());
    }

    @Test
    void plistChecksOwnerModeProgramAndLogFolders() throws Exception {
        Path plist = dir.resolve("org.x.plist");
        Path logs = dir.resolve("logs");
        Files.writeString(plist, "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>Label</key><string>org.y"
                + "</string><key>ProgramArguments</key><array><string>hephd</string></array>"
                + "<key>StandardOutPath</key><string>" + logs.resolve("o.log") + "</string></dict></plist>");
        Files.setPosixFilePermissions(plist, PosixFilePermissions.fromString("rw-rw-rw-"));
        Subject s = new Subject("org.x", plist, "gui/501", "", dir);
        PlistProbes.Result r = PlistProbes.run(s, heph.fs.Owner.uid());
        Map<String, Check> by = new java.util.HashMap<>();
        r.checks().forEach(c -> by.put(c.name(), c));
        assertEquals(Check.Status.FAIL, by.get("label").status());
        assertTrue(by.get("label").message().startsWith("Label org.y does not match the file name org.x.plist"));
        assertEquals(Check.Status.FAIL, by.get("plist-owner").status());
        assertEquals("`chmod 644 " + plist + "`", by.get("plist-owner").fix());
        assertEquals(Check.Status.FAIL, by.get("program").status());
        assertTrue(by.get("program").message().contains("not an absolute path"));
        assertEquals(Check.Status.WARN, by.get("stdout-log").status(), "missing folder: heph start creates it");
        assertEquals(Check.Status.WARN, by.get("stderr-log").status(), "no StandardErrorPath");

        Files.writeString(plist, "<plist><dict>");
        Check broken = PlistProbes.run(s, heph.fs.Owner.uid()).checks().get(0);
        assertEquals(Check.Status.FAIL, broken.status());
        assertTrue(broken.fix().contains("plutil -lint"), broken.fix());
    }

    @Test
    void systemdUnitStatesAndLinger() throws Exception {
        Subject s = new Subject("", dir, "", "heph.service", dir.resolve("heph.service"));
        Check limit = SystemdProbes.unit(s, Map.of("LoadState", "loaded", "ActiveState", "failed", "SubState",
                "failed", "Result", "start-limit-hit", "NRestarts", "5", "ExecMainExitTimestamp", "Mon", "ExecMainStatus",
                "78", "ExecMainCode", "1"));
        assertEquals(Check.Status.FAIL, limit.status());
        assertTrue(limit.message().startsWith("heph.service hit its start limit") && limit.message().contains("78"),
                limit.message());
        assertTrue(limit.fix().contains("systemctl --user reset-failed heph.service"), limit.fix());
        Check reload = SystemdProbes.unit(s, Map.of("LoadState", "loaded", "ActiveState", "active", "SubState",
                "running", "NeedDaemonReload", "yes"));
        assertEquals(Check.Status.WARN, reload.status());
        assertTrue(reload.fix().contains("daemon-reload"));
        assertEquals(Check.Status.OK, SystemdProbes.unit(s, Map.of("LoadState", "loaded", "ActiveState", "active",
                "SubState", "running", "MainPID", "9")).status());

        Settings st = new TestSettings(dir).settings("systemd", 1000, "systemctl");
        ScriptedRunner lingerNo = new ScriptedRunner().on("show-user", ScriptedRunner.out("Linger=no\n"));
        Check no = SystemdProbes.linger(st, lingerNo);
        assertEquals(Check.Status.WARN, no.status());
        assertEquals("`loginctl enable-linger $USER`", no.fix());
        assertEquals(List.of("loginctl", "show-user", Integer.toString(st.uid()), "-p", "Linger"),
                lingerNo.calls().get(0));
        assertEquals(Check.Status.OK, SystemdProbes.linger(st, new ScriptedRunner().on("show-user",
                ScriptedRunner.out("Linger=yes\n"))).status());
        Map<String, String> env = new java.util.HashMap<>(st.env());
        env.put("HEPH_LOGINCTL", dir.resolve("no-loginctl").toString());
        Settings missing = new Settings(st.backend(), st.label(), st.unit(), st.home(), st.uid(), env, st.cwd(),
                st.launchctl(), st.systemctl(), st.commandTimeout(), st.jobTimeout(), st.maxWait(), st.lockWait(),
                st.settle(), st.readyTimeout(), st.progress());
        Check gone = SystemdProbes.linger(missing, new heph.proc.ZtExecRunner());
        assertEquals(Check.Status.WARN, gone.status(), "a missing loginctl is a warning");
        assertTrue(gone.message().startsWith("cannot run loginctl"), gone.message());
    }

    @Test
    void anotherAgentsChecksNameItAndItsCommandsAndANonexistentOneFails() throws Exception {
        Subject hephd = new Subject("org.hephaestus.hephd", dir.resolve("org.hephaestus.hephd.plist"), "gui/501",
                "", dir);
        Subject agent = new Subject("org.x", dir.resolve("org.x.plist"), "gui/501", "", dir, "--label org.x");
        assertEquals(List.of(true, false), List.of(hephd.hephd(), agent.hephd()));
        assertEquals(List.of("hephd", "org.x"), List.of(hephd.who(), agent.who()));
        assertEquals("heph restart --label org.x", agent.heph("restart"));
        PrintInfo notFound = PrintInfo.parse(113, "", "Could not find service \"org.x\" in domain for user gui: 501\n");
        Check none = LaunchdProbes.loaded(agent, notFound, false);
        assertEquals(Check.Status.FAIL, none.status(), "no plist and not loaded: no such agent");
        assertEquals("no such agent: no " + dir.resolve("org.x.plist") + " and not loaded in gui/501", none.message());
        assertEquals(Check.Status.WARN, LaunchdProbes.loaded(hephd, notFound, false).status(), "hephd: not installed");
        PrintInfo loop = PrintInfo.parse(0, "gui/501/org.x = {\n\tstate = spawn scheduled\n\truns = 3\n"
                + "\tlast exit code = 1\n}\n", "");
        Check crash = LaunchdProbes.loaded(agent, loop, true);
        assertTrue(crash.message().contains("launchd keeps restarting org.x"), crash.message());
        assertEquals("`heph logs --label org.x` shows why; then `heph restart --label org.x`", crash.fix());

        Subject unit = Subject.of(new TestSettings(dir).settings("systemd", 1000, "systemctl").withUnit("sync.service"),
                false);
        assertEquals("heph start --unit sync.service", unit.heph("start"));
        Check missing = SystemdProbes.unit(unit, Map.of("LoadState", "not-found"));
        assertEquals(Check.Status.FAIL, missing.status());
        assertTrue(missing.message().startsWith("no such agent: no " + unit.unitFile()), missing.message());
        Subject heph = new Subject("", dir, "", "heph.service", dir.resolve("heph.service"));
        assertEquals(Check.Status.WARN, SystemdProbes.unit(heph, Map.of("LoadState", "not-found")).status());
        Files.createDirectories(unit.unitFile().getParent());
        Files.writeString(unit.unitFile(), "[Service]\nExecStart=/bin/true\n");
        assertEquals(Check.Status.WARN, SystemdProbes.unit(unit, Map.of("LoadState", "not-found")).status(),
                "installed, not loaded yet");
        assertEquals("`heph start --unit sync.service`", SystemdProbes.unit(unit, Map.of("LoadState", "not-found"))
                .fix());
    }

    @Test
    void checkLinesAndJson() {
        Check c = Check.fail("program", "gone", "install it");
        assertEquals("fail  program: gone; fix: install it", c.line());
        assertEquals("ok    plist: fine", Check.ok("plist", "fine").line());
        Doctor.Report r = new Doctor.Report("launchd", "gui/501/org.x", List.of(c, Check.ok("plist", "fine")));
        assertEquals(1, r.exitCode());
        assertEquals("{\"changed\":false,\"ok\":false,\"backend\":\"launchd\",\"target\":\"gui/501/org.x\","
                + "\"checks\":[{\"name\":\"program\",\"status\":\"fail\",\"message\":\"gone\",\"fix\":\"install it\"},"
                + "{\"name\":\"plist\",\"status\":\"ok\",\"message\":\"fine\",\"fix\":\"\"}]}", Json.write(r.toJson()));
        assertTrue(r.text().endsWith("gui/501/org.x: 1 failure, 0 warnings\n"), r.text());
    }
}
