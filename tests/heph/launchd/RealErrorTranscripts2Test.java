package heph.launchd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import heph.launchd.RealErrorTranscriptsTest.Case;
import heph.proc.ExecResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The error outputs of the second batch (INDEX.md section E) mapped by {@link LaunchctlErrors} to heph's line:
 * enable's and kickstart's own failure prefixes, SIP's 150, the usage of a domain that does not exist (64), an
 * invalid plist's 133 without a code line. Line numbers count the {@code # source:} line as line 1; the wrappers
 * other tools put around launchctl's stderr (debloat's {@code bootout failed on N label(s): }, builder's
 * {@code launchctl bootstrap ... failed: }, home-manager's prefix) are removed.
 */
@org.junit.jupiter.api.Tag("unit")
class RealErrorTranscripts2Test {
    static final String LABEL = RealErrorTranscriptsTest.LABEL;
    static final Pattern WRAPPER = Pattern.compile("^\\s*(?:bootout failed on \\d+ label\\(s\\): "
            + "|launchctl bootstrap \\S+ \\S+ failed: |Failed to stop agent '[^']*': )?");
    static final String NO_GUI_DOMAIN = "launchctl does not know the domain gui/$(id -u)";

    static Case c(String file, int from, int to, String verb, int code, String cause, String facts, String... says) {
        return RealErrorTranscriptsTest.c(file, from, to, verb, code, cause, facts, says);
    }

    static Stream<Case> cases() {
        return Stream.of(
                c("err-41-bootout-150-SIP-wrapped-by-debloat-plus-bootout-3-macos27-macosdebloat8.txt", 7, 7,
                        "bootout", 150, "", "SIP refuses bootout of an Apple daemon (150)",
                        "protected by System Integrity Protection", "heph manages only your own agents"),
                c("err-41-bootout-150-SIP-wrapped-by-debloat-plus-bootout-3-macos27-macosdebloat8.txt", 8, 8,
                        "bootout", 3, "", "§2 not loaded", RealErrorTranscriptsTest.NOTHING_TO_STOP),
                c("err-43-bootout-wait-unrecognized-4line-usage-exit64-then-plain-bootout-exit0-macos15.7.9"
                        + "-t3code11995.txt", 3, 6, "bootout", 64, "Unrecognized target specifier.",
                        "§13 `bootout --wait` on macOS 15.7.9: four lines, exit 64",
                        "`bootout --wait` before macOS 26", "with the output of `sw_vers`"),
                c("err-44-bootstrap-gui0-under-sudo-125-and-gui501-bootstrap-5-wrapped-kent174.txt", 3, 4,
                        "bootstrap", 5, "", "§1 (wrapped by builder)", RealErrorTranscriptsTest.DRAINING),
                c("err-44-bootstrap-gui0-under-sudo-125-and-gui501-bootstrap-5-wrapped-kent174.txt", 7, 7,
                        "bootstrap", 125, "", "§1 gui/0 under sudo: 125 without a hint line",
                        RealErrorTranscriptsTest.NO_GUI),
                c("err-45-bootout-wait-unrecognized-4line-usage-wrapped-by-homemanager-macos15-hm9587.txt", 3, 6,
                        "bootout", 64, "Unrecognized target specifier.", "§13 `--wait` on macOS 15 inside home-manager",
                        "`bootout --wait` before macOS 26"),
                c("err-48-kickstart-kp-system-coreaudiod-1-operation-not-permitted-brew-exit1-sonoma14.4-bgm727.txt",
                        10, 10, "kickstart", 1, "", "kickstart's own prefix with a quoted label (brew: exited with 1)",
                        "launchd did not permit restarting " + LABEL, "run heph as the user who owns the agent"),
                c("err-49-enable-gui501-could-not-enable-service-125-brew-monterey12.6-hbcore115306.txt", 2, 2,
                        "enable", 125, "", "§5 enable's own prefix, no label (brew: exited with 125)",
                        RealErrorTranscriptsTest.NO_GUI, "--domain user"),
                c("err-51-enable-gui502-unrecognized-domain-target-specifier-usage-exit64-headless-user-brew6439.txt",
                        3, 5, "enable", 64, "Unrecognized domain-target specifier.",
                        "no GUI login: the gui domain does not exist (brew: exited with 64)", NO_GUI_DOMAIN,
                        "no GUI login session", "`heph --domain user <verb>`"),
                c("err-52-bootstrap-system-invalid-property-list-exit133-no-code-line-plus-domain-row-2017"
                        + "-hbservices111.txt", 8, 8, "bootstrap", 133,
                        "/Library/LaunchDaemons/homebrew.mxcl.ntp.plist: Invalid property list",
                        "invalid plist: 133 and no `Bootstrap failed:` line (echo $? → 133)",
                        "is not a valid property list", "does not retry", "`plutil -lint`"));
    }

    static final Map<String, String> BACKGROUND = Map.of(
            "err-42-list-label-dict-LastExitStatus-0-no-PID-sudo-autopkgr322.txt", "legacy list: not used by heph",
            "err-46-list-grep-rows-dash-78-exconfig-2016-homebrewservices61.txt", "legacy list: not used by heph",
            "err-47-list-full-header-PID-Status-Label-elcapitan10.11-lunchygo7-TRUNCATED.txt",
            "legacy list: not used by heph",
            "err-50-FRAGMENT-legacy-plist-prefixed-operation-not-permitted-SIP-no-code-sierra-homecalldrop2.txt",
            "legacy unload, no code: sipTextWithoutACode below reads it",
            "err-53-list-root-system-header-rows-negative-status-running-pid-sequoia15-wazuh24157-TRUNCATED.txt",
            "legacy list as root: not used by heph");

    static Set<String> covered() {
        Set<String> s = cases().map(Case::file).collect(Collectors.toCollection(TreeSet::new));
        s.addAll(BACKGROUND.keySet());
        return s;
    }

    static String stderrOf(Case k) {
        List<String> lines;
        try {
            lines = Files.readAllLines(RealErrorTranscriptsTest.DIR.resolve(k.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines.subList(k.from() - 1, k.to()).stream().map(l -> WRAPPER.matcher(l).replaceFirst(""))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void batch2ErrorOutputMapsToItsCauseAndNextStep(Case k) {
        String stderr = stderrOf(k);
        ExecResult r = new ExecResult(List.of("launchctl", k.verb(), "gui/501/" + LABEL), k.code(), "", stderr, 3);
        HephException e = LaunchctlErrors.failure(k.verb(), r, LABEL, "");
        String line = e.getMessage();
        String why = k + " (" + k.facts() + "): " + line;
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertFalse(line.contains("\n") || line.contains("\r"), why);
        String head = "launchctl " + k.verb() + " failed: " + k.code() + ": " + LaunchctlErrors.meaning(k.code());
        assertTrue(line.startsWith(head + (k.cause().isEmpty() ? ": " : " (\"" + k.cause() + "\"): ")), why);
        for (String part : k.says()) {
            assertTrue(line.contains(part), "missing \"" + part + "\" in " + why);
        }
        assertFalse(line.contains("unexpected for") || line.contains("launchctl error"), why);
        assertFalse(line.contains("heph bug") && k.cause().contains("domain-target"), why);
        assertEquals(k.cause(), LaunchctlErrors.causeLine(k.code(), stderr));
        assertTrue(e.detail().contains(stderr), "--verbose keeps launchctl's own words: " + e.detail());
    }

    @Test
    void unrecognizedDomainIsAMissingDomainNotAHephBug() { // err-51 vs err-43
        String noDomain = stderrOf(cases().filter(k -> k.file().startsWith("err-51")).findFirst().orElseThrow());
        String badOption = stderrOf(cases().filter(k -> k.file().startsWith("err-43")).findFirst().orElseThrow());
        assertTrue(LaunchctlErrors.unrecognizedDomain(64, noDomain));
        assertFalse(LaunchctlErrors.unrecognizedDomain(64, badOption));
        assertFalse(LaunchctlErrors.unrecognizedDomain(1, noDomain));
        assertEquals(PrintInfo.Presence.NO_DOMAIN, PrintInfo.parse(64, "", noDomain).presence());
        assertEquals(PrintInfo.Presence.ERROR, PrintInfo.parse(64, "", badOption).presence());
    }

    @Test
    void aCodeHephDoesNotKnowTakesLaunchctlsOwnMeaning() { // kickstart's prefix carries the text (err-48)
        String line = LaunchctlErrors.explain("kickstart", 160,
                "Could not kickstart service \"x\": 160: Some future text\n", LABEL);
        assertTrue(line.startsWith("launchctl kickstart failed: 160: Some future text: "), line);
        assertTrue(LaunchctlErrors.explain("kickstart", 160, "", LABEL)
                .startsWith("launchctl kickstart failed: launchctl error 160: "));
    }

    @Test
    void sipTextWithoutACode() { // err-50: legacy form, path prefix, no number
        String stderr = RealPrintTranscripts2Test.output(
                "err-50-FRAGMENT-legacy-plist-prefixed-operation-not-permitted-SIP-no-code-sierra-homecalldrop2.txt");
        String line = LaunchctlErrors.explain("bootout", 1, stderr, LABEL);
        assertTrue(line.contains("(\"/System/Library/LaunchAgents/com.apple.parsecd.plist: Operation not permitted"
                + " while System Integrity Protection is engaged\")"), line);
        assertTrue(line.contains("protected by System Integrity Protection"), line);
    }
}
