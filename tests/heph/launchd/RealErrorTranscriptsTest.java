package heph.launchd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import heph.proc.ExecResult;
import heph.support.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Every real error output of a launchctl verb heph runs (bootstrap, bootout, print, kickstart, enable) in
 * tests/fixtures/real-launchctl/ (INDEX.md section B), mapped by {@link LaunchctlErrors} to the one line heph prints.
 * launchctl's stderr is taken from the fixture by line numbers, minus the wrapper a caller put around it (the
 * indentation and {@code stderr: } of nix-installer, the {@code # } of a reporter's comment, home-manager's
 * {@code Failed to stop agent '...': }); the exit code is the one the paste shows, or, where it shows none, the one
 * docs/facts/launchd-facts.md gives for that text (cited per case).
 */
@org.junit.jupiter.api.Tag("unit")
class RealErrorTranscriptsTest {
    static final Path DIR = Repo.root().resolve("tests/fixtures/real-launchctl");
    static final String LABEL = "org.hephaestus.hephd";
    static final Pattern WRAPPER = Pattern.compile("^\\s*(?:stderr: |# |Failed to stop agent '[^']*': )?");

    /**
     * @param lines    1-based inclusive range of launchctl's stderr in the fixture
     * @param says     parts heph's line must contain: the cause and the next step
     * @param cause    the launchctl line heph quotes, or "" when launchctl said nothing beyond the code
     * @param facts    the docs/facts/launchd-facts.md § (and where the exit code comes from)
     */
    record Case(String file, int from, int to, String verb, int code, String cause, List<String> says,
                String facts) {
        @Override
        public String toString() {
            return file + " lines " + from + "-" + to + " (" + verb + " " + code + ")";
        }
    }

    static Case c(String file, int from, int to, String verb, int code, String cause, String facts, String... says) {
        return new Case(file, from, to, verb, code, cause, List.of(says), facts);
    }

    static final String DRAINING = "the label may still be registered (bootout still draining)";
    static final String PLIST_CAUSES = "disabled or on an external volume, or its program does not exist";
    static final String NOT_LOADED = LABEL + " is not loaded: run `heph start`";
    static final String NOTHING_TO_STOP = LABEL + " is not loaded, so there was nothing to stop";
    static final String NO_GUI = "no GUI login session for this user (over ssh?): log in at the Mac's console";

    static Stream<Case> cases() {
        return Stream.of(
                c("err-01-bootstrap-5-brew-gui501-noclamshell25.txt", 2, 3, "bootstrap", 5, "",
                        "§1 exit 5 (brew: `exited with 5`)", DRAINING, PLIST_CAUSES, "run `heph status`"),
                c("err-02a-bootstrap-5-gui501-ventura13.1-homebrew-services528.txt", 2, 3, "bootstrap", 5, "",
                        "§1 external volume, §13 (brew: `exited with 5`)", "on an external volume", DRAINING),
                c("err-03-bootstrap-37-service-already-loaded-gui502-brew7926.txt", 1, 1, "bootstrap", 37,
                        "/Users/user/Library/LaunchAgents/homebrew.mxcl.gitlab-runner.plist: service already loaded",
                        "§1 already loaded on older macOS, no `Bootstrap failed` line (brew: `exited with 37`)",
                        LABEL + " is already loaded (an earlier load is still registered)", "`heph restart`"),
                c("err-04-bootout-3-no-such-process-and-bootout-5-nixinstaller1148.txt", 5, 5, "bootout", 3, "",
                        "§2 not loaded (status 3)", NOTHING_TO_STOP, "run `heph status`"),
                c("err-04-bootout-3-no-such-process-and-bootout-5-nixinstaller1148.txt", 11, 11, "bootout", 5, "",
                        "§2 bootout by plist path (status 5)", "launchd gave no reason", "run `heph status`"),
                c("err-05a-unrecognized-target-specifier-bootout-usage-homemanager9585.txt", 2, 4, "bootout", 64,
                        "Unrecognized target specifier.", "General rules: bad target specifier exits 64 with usage",
                        "does not accept the target or option heph passed", "`bootout --wait` before macOS 26",
                        "report it"),
                c("err-05b-bootout-wait-unrecognized-vs-bootout-3-no-such-process-homemanager9585.txt", 2, 2,
                        "bootout", 64, "Unrecognized target specifier.", "§13 `bootout --wait` on macOS 14/15: 64",
                        "`bootout --wait` before macOS 26", "with the output of `sw_vers`"),
                c("err-05b-bootout-wait-unrecognized-vs-bootout-3-no-such-process-homemanager9585.txt", 5, 5,
                        "bootout", 3, "", "§2 not loaded, user/ domain", NOTHING_TO_STOP),
                c("err-06-bootout-36-operation-now-in-progress-catalina10.15-osquery5698.txt", 1, 1, "bootout", 36, "",
                        "§2 older macOS: bootout still in progress (exit 36)",
                        LABEL + " is still being unloaded", "wait until `heph status` says it is not loaded"),
                c("err-07-print-bad-request-could-not-find-service-exit113-toss40.txt", 1, 2, "print", 113, "",
                        "§3 not loaded, with `Bad request.` (exit 113)", NOT_LOADED),
                c("err-08-could-not-find-service-gui501-yabai1945.txt", 1, 1, "bootout", 113, "",
                        "§3 text of 113 (paste shows no code)", NOTHING_TO_STOP),
                c("err-09-kickstart-could-not-find-service-exit113-gelcli312.txt", 2, 2, "kickstart", 113, "",
                        "§4 not loaded (exit code: 113)", NOT_LOADED),
                c("err-10-bootout3-then-kickstart-113-pidash158.txt", 3, 3, "bootout", 3, "",
                        "§2 not loaded", NOTHING_TO_STOP),
                c("err-10-bootout3-then-kickstart-113-pidash158.txt", 4, 4, "kickstart", 113, "",
                        "§4 not loaded (exit status: 113)", NOT_LOADED),
                c("err-15-bootstrap-125-service-cannot-load-in-requested-session-oppi31.txt", 1, 2, "bootstrap", 125,
                        "Service cannot load in requested session", "§1/§13 no GUI session (ssh, headless)",
                        LABEL + " cannot load in this session", NO_GUI, "Terminal in the GUI session"),
                c("err-16-print-gui-domain-125-domain-does-not-support-oppi38.txt", 1, 1, "print", 125, "",
                        "§13 headless probe of gui/<uid> (exit status 125)", NO_GUI),
                c("err-17-bootstrap-5-system-status5-nixinstaller1157.txt", 7, 7, "bootstrap", 5, "",
                        "§1 (status 5)", DRAINING, PLIST_CAUSES),
                c("err-18-bootout-2-no-such-file-two-line-stderr-nixinstaller1270.txt", 6, 7, "bootout", 2,
                        "/Library/LaunchDaemons/systems.determinate.nix-installer.nix-hook.plist: No such file or"
                                + " directory", "§2 two-line stderr (status 2)",
                        "the plist of " + LABEL + " is missing: run `heph start`"),
                c("err-19-bootstrap-119-service-is-disabled-two-line-stderr-nixinstaller530.txt", 2, 3, "bootstrap",
                        119, "/Library/LaunchDaemons/org.nixos.darwin-store.plist: Service is disabled",
                        "§1/§5 disabled, two-line stderr (status 119)", "disabled in launchd's override database",
                        "run `launchctl enable gui/$(id -u)/" + LABEL + "` and retry"),
                c("err-20-bootout-5-system-plist-sonoma-nixinstaller1187.txt", 6, 6, "bootout", 5, "",
                        "§2 (status 5)", "launchd gave no reason", "run `heph status`"),
                c("err-21-could-not-find-domain-for-user-gui501-repeated-silverback2-FRAGMENT.txt", 1, 5, "print", 112,
                        "", "§3 domain missing: 112", "no launchd domain gui/$(id -u) for this user",
                        "log in at the Mac's console"),
                c("err-22b-sigtermed-after-bootout-then-bootstrap-5-repro-codexremote916.txt", 4, 4, "bootstrap", 5, "",
                        "§1 transitional, §2 `state = SIGTERMed` right before", DRAINING),
                c("err-24-bootstrap5-bootout3-bootstrap5-sequence-macos26.5.2-hermesagent95758.txt", 1, 1,
                        "bootstrap", 5, "", "§13 error 5 for a label that is not loaded (macOS 26.5.2)",
                        PLIST_CAUSES, "disabled"),
                c("err-24-bootstrap5-bootout3-bootstrap5-sequence-macos26.5.2-hermesagent95758.txt", 2, 2,
                        "bootout", 3, "", "§2 not loaded", NOTHING_TO_STOP),
                c("err-25-brew-exit1-launchctl-exited-5-brewbrowser27.txt", 1, 2, "bootstrap", 5, "",
                        "§1 (brew: `exited with 5`)", DRAINING),
                c("err-28-kickstart-k-could-not-find-service-domain-for-system-nix6499.txt", 5, 5, "kickstart", 113,
                        "", "§4 not loaded, system-domain wording (113 per §3)", NOT_LOADED),
                c("err-31-print-system-bad-request-could-not-find-service-nix9978-TRUNCATED.txt", 2, 3, "print", 113,
                        "", "§3 not loaded, `Bad request.` (TRUNCATED paste; 113 per §3)", NOT_LOADED),
                c("err-32-bootstrap-5-brew-atuin-no-try-rerunning-line-roderikwt14.txt", 1, 1, "bootstrap", 5, "",
                        "§1 without the `Try re-running` line (brew: `exited with 5`)", DRAINING, PLIST_CAUSES),
                c("err-38-bootstrap-125-headless-ssh-sopsnix966.txt", 1, 1, "bootstrap", 125, "",
                        "§1 headless/ssh", NO_GUI));
    }

    /** Error transcripts that are not an error of a verb heph runs, and why no mapping test needs them. */
    static final Map<String, String> BACKGROUND = Map.ofEntries(
            Map.entry("err-02b-bootstrap-user501-succeeds-exit0-silent-homebrew-services528.txt",
                    "success (exit 0, silent) in user/501, a domain heph does not use (§13)"),
            Map.entry("err-11-load-failed-5-monterey-displayswitch85.txt", "legacy load: not used by heph"),
            Map.entry("err-12a-load-failed-5-nonroot-yubikeyguide504.txt", "legacy load: not used by heph"),
            Map.entry("err-12b-load-failed-5-sudo-warning-yubikeyguide504-TRUNCATED.txt",
                    "legacy load as root: not used by heph"),
            Map.entry("err-13-unload-failed-5-and-load-failed-5-cornerfix3.txt", "legacy unload/load: not used by heph"),
            Map.entry("err-14a-unload-failed-5-sonoma14.4.1-wyvern7.txt", "legacy unload: not used by heph"),
            Map.entry("err-14b-unload-as-root-warning-was-ran-wyvern7.txt", "legacy unload as root: not used by heph"),
            Map.entry("err-22a-wrapped-bootstrap-5-upgrade-rollback-macos26.5.2-codexremote914.txt",
                    "Go-wrapped by another tool: launchctl's own lines are err-01's"),
            Map.entry("err-23-load-as-root-warning-was-run-load-failed-5-nixapplecontainer7.txt",
                    "legacy load as root: not used by heph"),
            Map.entry("err-26-load-failed-5-sparkdock151.txt", "legacy load: not used by heph"),
            Map.entry("err-27-legacy-unload-could-not-find-specified-service-wazuh2934.txt",
                    "legacy unload: not used by heph"),
            Map.entry("err-29-load-failed-119-service-is-disabled-nix6499.txt", "legacy load: not used by heph"),
            Map.entry("err-30-legacy-load-service-is-disabled-no-code-line-nix2780.txt",
                    "legacy load: not used by heph"),
            Map.entry("err-33-kickstart-p-success-service-spawned-with-pid-gui501-blog2021.txt",
                    "kickstart -p success: heph never passes -p"),
            Map.entry("err-34-list-row-running-pid-with-negative-last-status-blog2021.txt",
                    "legacy list: not used by heph"),
            Map.entry("err-35-legacy-load-unload-operation-in-progress-list-header-blog2021.txt",
                    "legacy load/unload/list: not used by heph"),
            Map.entry("err-36-kickstart-kp-system-placeholder-pid-hookcase.txt",
                    "kickstart -kp success with a placeholder pid: heph never passes -p"),
            Map.entry("err-37-legacy-load-could-not-find-domain-for-trailing-space-mojave10.14.1-buildkitedocs353.txt",
                    "legacy load: not used by heph"),
            Map.entry("err-39-unified-log-bootout-sigterm-cleanup-then-bootstrap-macos27-dinference1102-TRUNCATED.txt",
                    "launchd's unified log, not launchctl output (the race heph waits out, §1/§9)"),
            Map.entry("err-40-load-w-service-already-loaded-load-failed-37-locate.txt", "legacy load -w: not used by heph"));

    static String stderrOf(Case k) {
        List<String> lines;
        try {
            lines = Files.readAllLines(DIR.resolve(k.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines.subList(k.from() - 1, k.to()).stream().map(l -> WRAPPER.matcher(l).replaceFirst(""))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void realErrorOutputMapsToItsCauseAndNextStep(Case k) {
        String stderr = stderrOf(k);
        ExecResult r = new ExecResult(List.of("launchctl", k.verb(), "gui/501/" + LABEL), k.code(), "", stderr, 3);
        HephException e = LaunchctlErrors.failure(k.verb(), r, LABEL, "");
        String line = e.getMessage();
        String why = k + ", docs/facts/launchd-facts.md " + k.facts() + ": " + line;
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertFalse(line.contains("\n") || line.contains("\r"), why);
        String head = "launchctl " + k.verb() + " failed: " + k.code() + ": " + LaunchctlErrors.meaning(k.code());
        assertTrue(line.startsWith(head + (k.cause().isEmpty() ? ": " : " (\"" + k.cause() + "\"): ")), why);
        for (String part : k.says()) {
            assertTrue(line.contains(part), "missing \"" + part + "\" in " + why);
        }
        assertFalse(line.contains("unexpected for"), "a real code heph should know: " + why);
        if (k.code() != 5 || !k.verb().equals("bootstrap")) {
            assertFalse(line.contains("draining"), "only bootstrap 5 may blame a draining bootout: " + why);
        }
        assertTrue(e.detail().contains(stderr), "--verbose keeps launchctl's own words: " + e.detail());
        assertEquals(k.cause(), LaunchctlErrors.causeLine(k.code(), stderr));
    }

    @Test
    void everyErrorFixtureIsMappedOrNamedAsBackground() {
        Set<String> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.map(x -> x.getFileName().toString()).filter(n -> n.startsWith("err-"))
                    .filter(n -> !RealPrintTranscripts2Test.isBatch2(n))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(45, files.size(), "INDEX.md section B lists 45 files");
        Set<String> mapped = cases().map(Case::file).collect(Collectors.toCollection(TreeSet::new));
        Set<String> covered = new TreeSet<>(mapped);
        covered.addAll(BACKGROUND.keySet());
        assertEquals(files, covered);
        mapped.retainAll(BACKGROUND.keySet());
        assertEquals(Set.of(), mapped, "a file is either mapped or background");
    }

    @Test
    void wrappersAroundTheStderrAreNotLaunchctlsWords() {
        // the quoted cause is launchctl's line, never the caller's wrapper: home-manager's prefix is removed above,
        // and a Go wrapper (err-22a) or brew's `Error: Failure while executing` never reach heph's stderr
        Case k = cases().filter(x -> x.file().startsWith("err-05a")).findFirst().orElseThrow();
        assertTrue(stderrOf(k).startsWith("Unrecognized target specifier.\nUsage: launchctl bootout"), stderrOf(k));
        assertEquals("", LaunchctlErrors.causeLine(5, "Bootstrap failed: 5: Input/output error\n"
                + "Try re-running the command as root for richer errors.\n"));
        assertEquals("", LaunchctlErrors.causeLine(125, "Domain does not support specified action\n"));
        assertEquals("", LaunchctlErrors.causeLine(113, "Bad request.\nCould not find service \"x\" in domain for"
                + " user gui: 501\n"));
        assertEquals("a?b", LaunchctlErrors.causeLine(1, "a\u001bb\n"), "control characters never reach a terminal");
    }
}
