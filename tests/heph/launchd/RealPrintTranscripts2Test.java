package heph.launchd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.launchd.RealPrintTranscriptsTest.Expect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The second batch of real launchctl outputs (tests/fixtures/real-launchctl/INDEX.md section E): the print blocks
 * read by {@link PrintInfo} (print-41: a KeepAlive respawn after exit 0 is not a crash; print-43: an SMAppService job,
 * {@code job state = spawn failed}; print-42: xpcproxy) and print-disabled in both eras (true/false before macOS 13,
 * enabled/disabled from 13). Line 1 of each batch-2 file is the collector's {@code # source:} line, not launchctl's.
 */
@org.junit.jupiter.api.Tag("unit")
class RealPrintTranscripts2Test {
    static final Set<String> BATCH2 = Set.of("print-32", "print-33", "print-34", "print-41", "print-42", "print-43",
            "err-41", "err-42", "err-43", "err-44", "err-45", "err-46", "err-47", "err-48", "err-49", "err-50",
            "err-51", "err-52", "err-53");

    static boolean isBatch2(String file) {
        int dash = file.indexOf('-', file.indexOf('-') + 1);
        return dash > 0 && BATCH2.contains(file.substring(0, dash));
    }

    /** launchctl's own text: the fixture without its {@code # source:} line. */
    static String output(String file) {
        String all = RealPrintTranscriptsTest.read(file);
        assertTrue(all.startsWith("# source: "), file);
        return all.substring(all.indexOf('\n') + 1);
    }

    static final String JAMF = "print-41-spawn-scheduled-keepalive-exit0-runs311-jobstate-exited-gui501-jamfprotect"
            + "-aftermath-fixture.txt";
    static final String XPC = "print-42-FRAGMENT-xpcproxy-runs778-immediatereason-semaphore-lastsignal-hangup-gui501"
            + "-Dock-macos15.7.9.txt";
    static final String SMAPP = "print-43-submitted-smappservice-spawn-scheduled-exit78-runs22138-spawnfailed"
            + "-background5-gui501-clipulse-fixture.txt";
    static final String USER_TF = "print-32-print-disabled-user501-true-false-loginitemassociations-ninehills85.txt";
    static final String SYSTEM_TF = "print-33-print-disabled-system-true-false-monterey12.6.5-mergen1.txt";
    static final String GUI_ED = "print-34-FRAGMENT-print-disabled-gui-enabled-disabled-macos26.5.1-mactools116.txt";

    static Stream<Expect> cases() {
        return Stream.of(
                new Expect(JAMF, "§3 KeepAlive respawn after a clean exit; 4-space Swift fixture")
                        .state("spawn scheduled").runs(311).exit("0").exitStatus(0).timeout(5)
                        .program("/Applications/JamfProtect.app/Contents/Helpers/JamfProtectAgent.app/Contents/MacOS/"
                                + "JamfProtectAgent")
                        .path("/Library/LaunchAgents/com.jamf.protect.agent.plist").properties("keepalive", "runatload")
                        .jobState("exited").respawning().field("minimum runtime", "60")
                        .noField("SSH_AUTH_SOCK").noField("PATH").noField("XPC_SERVICE_NAME"),
                new Expect(XPC, "§13 xpcproxy during a KeepAlive respawn; the author's `←` note removed")
                        .state("xpcproxy").runs(778).signal("Hangup: 1").transitional()
                        .field("immediate reason", "semaphore").fieldCount(5),
                new Expect(SMAPP, "§3 SMAppService job that cannot start: job state = spawn failed")
                        .state("spawn scheduled").runs(22138).exit("78: EX_CONFIG").exitStatus(78).exitName("EX_CONFIG")
                        .timeout(5).args("cli_pulse_helper", "daemon", "--interval", "120").submittedBy("smd.553")
                        .jobState("spawn failed").crashLoop().field("type", "Submitted")
                        .field("managed_by", "com.apple.xpc.ServiceManagement").field("active count", "0")
                        .field("spawn type", "background (5)").noField("ID").noField("name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsEveryBatch2PrintBlockRight(Expect e) {
        String out = output(e.file);
        if (e.file.equals(XPC)) {
            out = out.replaceFirst(" *\u2190[^\n]*", ""); // INDEX.md: line 1 carries the author's annotation
        }
        RealPrintTranscriptsTest.verify(e, out);
    }

    @Test
    void keepAliveRespawnAfterExitZeroIsNotACrashButANonzeroExitIs() { // print-41 vs print-21
        String jamf = output(JAMF);
        PrintInfo clean = PrintInfo.parse(0, jamf, "");
        assertFalse(clean.crashLoop());
        assertTrue(clean.respawning());
        PrintInfo failing = PrintInfo.parse(0, jamf.replace("last exit code = 0", "last exit code = 1"), "");
        assertTrue(failing.crashLoop());
        assertFalse(failing.respawning());
        PrintInfo failedSpawn = PrintInfo.parse(0, jamf.replace("job state = exited", "job state = spawn failed"), "");
        assertTrue(failedSpawn.crashLoop(), "a failed spawn is a crash loop even after exit 0");
        assertFalse(failedSpawn.respawning());
    }

    @Test
    void spawnFailedWithAnExitReasonInsteadOfACodeIsACrashLoop() {
        // INDEX.md section D (sutando PR 2981): `state = not running`, runs = 1025, `last exit reason =
        // OS_REASON_CODESIGNING`, no `last exit code`; print-43's `job state = spawn failed`
        String out = output(SMAPP).replace("\tstate = spawn scheduled", "\tstate = not running")
                .replace("\tlast exit code = 78: EX_CONFIG", "\tlast exit reason = OS_REASON_CODESIGNING")
                .replace("runs = 22138", "runs = 1025");
        PrintInfo p = PrintInfo.parse(0, out, "");
        assertEquals("", p.lastExitCode());
        assertTrue(p.crashLoop());
        assertTrue(p.spawnFailed());
        assertEquals("state = not running, job state = spawn failed, runs 1025, last exit reason"
                + " OS_REASON_CODESIGNING (macOS rejected the program's code signature: sign it again or rebuild it)",
                p.crashSummary());
        assertFalse(PrintInfo.parse(0, out.replace("job state = spawn failed", "job state = exited"), "").crashLoop(),
                "not running after one more exit is not a loop without `spawn failed`");
    }

    @Test
    void submittedJobHasNoPlistPath() { // print-43, print-18: `(submitted by ...)` is not a file
        PrintInfo p = PrintInfo.parse(0, output(SMAPP), "");
        assertEquals("", p.path());
        assertTrue(p.submitted());
        assertEquals("smd.553", p.submittedBy());
        assertFalse(PrintInfo.parse(0, output(JAMF), "").submitted());
    }

    @Test
    void printDisabledBeforeMacOS13SaysTrueOrFalse() { // print-32 (user/501), print-33 (system, 12.6.5)
        String user = output(USER_TF);
        assertEquals(Optional.of(false), PrintInfo.disabledOverride(user, "com.docker.helper"));
        assertEquals(Optional.of(true), PrintInfo.disabledOverride(user, "com.apple.Siri.agent"));
        assertEquals(Optional.of(true), PrintInfo.disabledOverride(user, "5A4RE8SF68.com.tencent.xinWeChat.IPCHelper"));
        assertEquals(Optional.empty(), PrintInfo.disabledOverride(user, "version.com.docker.helper"),
                "login item associations are not overrides");
        assertEquals(Optional.empty(), PrintInfo.disabledOverride(user, "org.hephaestus.hephd"));
        String system = output(SYSTEM_TF);
        assertEquals(Optional.of(true), PrintInfo.disabledOverride(system, "com.apple.ftpd"));
        assertEquals(Optional.of(false), PrintInfo.disabledOverride(system, "com.apple.screensharing"));
    }

    @Test
    void printDisabledFromMacOS13SaysEnabledOrDisabled() { // print-34 (26.5.1), FRAGMENT without the block opener
        String gui = "disabled services = {\n" + output(GUI_ED).replace("...\n", "") + "}\n";
        assertEquals(Optional.of(true), PrintInfo.disabledOverride(gui, "com.apple.ManagedClientAgent.enrollagent"));
        assertEquals(Optional.of(false), PrintInfo.disabledOverride(gui, "com.docker.helper"));
        assertEquals(PrintInfo.disabledOverride(output(USER_TF), "com.docker.helper"),
                PrintInfo.disabledOverride(gui, "com.docker.helper"), "both eras read alike");
        assertEquals(Optional.of(true), PrintInfo.disabledOverride(output(GUI_ED),
                "com.apple.ManagedClientAgent.enrollagent"), "the fragment as pasted");
        assertEquals(Optional.empty(), PrintInfo.disabledOverride("\"x\" => \"y\"\n", "x"), "not an override value");
    }

    @Test
    void everyBatch2FileIsInTheFixturesAndHasATest() {
        Set<String> files;
        try (Stream<Path> s = Files.list(RealPrintTranscriptsTest.DIR)) {
            files = s.map(x -> x.getFileName().toString()).filter(RealPrintTranscripts2Test::isBatch2)
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(19, files.size(), "INDEX.md section E lists 19 files: " + files);
        Set<String> tested = new TreeSet<>(Set.of(JAMF, XPC, SMAPP, USER_TF, SYSTEM_TF, GUI_ED));
        tested.addAll(RealErrorTranscripts2Test.covered());
        assertEquals(files, tested);
    }

    @Test
    void startRefusesToReplaceAnSMAppServiceJobAndSaysWhy(@org.junit.jupiter.api.io.TempDir Path home) {
        // print-43 with hephd's label: launchd runs an app's submitted job under that label; heph must not take its
        // `path = (submitted by smd.553)` for a plist it could compare with its own, nor replace the job
        heph.service.Settings settings = new heph.support.TestSettings(home).launchd(501);
        String label = settings.label();
        String print = output(SMAPP).replace("yyh.CLI-Pulse.helper.agent", label);
        heph.support.ScriptedRunner r = new heph.support.ScriptedRunner()
                .on("print", heph.support.ScriptedRunner.out(print));
        LaunchdBackend backend = new LaunchdBackend(settings, r, new heph.support.FakeClock());
        heph.HephException e = org.junit.jupiter.api.Assertions.assertThrows(heph.HephException.class,
                () -> backend.restart(heph.config.FlagOverrides.none()));
        assertTrue(e.getMessage().startsWith("gui/501/" + label + " was registered by an app through SMAppService"
                + " (launchctl print: submitted by smd.553), not loaded from a plist; heph will not replace it"),
                e.getMessage());
        assertFalse(e.getMessage().contains("loaded from (submitted"), e.getMessage());
        assertEquals(List.of("print"), r.verbs(), "nothing written, stopped or restarted");
        assertFalse(Files.exists(settings.plistPath()));
    }
}
