package heph.launchd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@org.junit.jupiter.api.Tag("unit")
class LaunchctlErrorsTest {
    static final String LABEL = "org.hephaestus.hephd";

    @Test
    void meaningsAreLaunchctlErrorTexts() { // docs/facts/launchd-facts.md §8 (`launchctl error <code>` on 26.5.1)
        Map<Integer, String> expected = Map.ofEntries(
                Map.entry(3, "No such process"), Map.entry(5, "Input/output error"), Map.entry(17, "File exists"),
                Map.entry(36, "Operation now in progress"), Map.entry(37, "Operation already in progress"),
                Map.entry(108, "Invalid path"), Map.entry(110, "Invalid or missing service identifier"),
                Map.entry(112, "Could not find specified domain"), Map.entry(113, "Could not find specified service"),
                Map.entry(119, "Service is disabled"), Map.entry(122, "Path had bad ownership/permissions"),
                Map.entry(124, "Domain is tearing down"), Map.entry(125, "Domain does not support specified action"),
                Map.entry(133, "Multiple errors were returned"),
                Map.entry(134, "Service cannot load in requested session"),
                Map.entry(155, "Refusing to execute/trust quarantined program"),
                Map.entry(159, "Sandbox restriction"),
                Map.entry(161, "Service cannot be launched because of BTM policy"));
        expected.forEach((code, text) -> assertEquals(text, LaunchctlErrors.meaning(code), "code " + code));
        assertTrue(LaunchctlErrors.meaning(64).toLowerCase().contains("usage"));
        assertEquals("launchctl error 999", LaunchctlErrors.meaning(999));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 17, 36, 37, 64, 108, 110, 112, 113, 119, 122, 124, 125, 133, 134, 155, 159, 161, 999})
    void everyExplanationIsOneLineWithTheCodeAndItsMeaning(int code) {
        for (String verb : new String[] {"bootstrap", "bootout", "kickstart", "print", "enable"}) {
            String line = LaunchctlErrors.explain(verb, code, LABEL);
            assertFalse(line.contains("\n") || line.contains("\r"), line);
            String head = "launchctl " + verb + " failed: " + (code == 999 ? "" : code + ": ")
                    + LaunchctlErrors.meaning(code) + ": ";
            assertTrue(line.startsWith(head), line);
            assertTrue(line.contains(String.valueOf(code)), line);
            assertTrue(line.length() > head.length() + 20, "no advice in: " + line);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // docs/facts/launchd-facts.md §1: gui domain unusable over ssh/headless -> 125
        "bootstrap | 125 | no GUI login session for this user (over ssh?): log in at the Mac's console",
        // §3: not loaded -> 113
        "kickstart | 113 | org.hephaestus.hephd is not loaded: run `heph start`",
        // §1: transitional bootout, missing/disabled/external-volume plist all print 5 as a user
        "bootstrap | 5   | the label may still be registered (bootout still draining)",
        "bootstrap | 5   | run `heph status`, and retry with --verbose for launchctl's own words",
        // §5: fix pattern is enable before bootstrap
        "bootstrap | 119 | heph enables it before bootstrap",
        "bootstrap | 119 | run `launchctl enable gui/$(id -u)/org.hephaestus.hephd`",
        // §11 Ownership: must disallow group and world writes
        "bootstrap | 122 | not group/world-writable (chmod 644 it)",
        // §3: domain missing -> 112
        "print     | 112 | no GUI login session",
        // §1: 37 on a racing bootstrap
        "bootstrap | 37  | retry in a few seconds",
        // §2: bootout of a job that is not loaded -> 3
        "bootout   | 3   | nothing to stop",
        "kickstart | 3   | run `heph start`",
    })
    void explanationsSayWhatToDoNext(String verb, int code, String expectedPart) {
        String line = LaunchctlErrors.explain(verb, code, LABEL);
        assertTrue(line.contains(expectedPart), line);
    }

    @Test
    void fiveOutsideBootstrapDoesNotBlameThePlistDraining() {
        String line = LaunchctlErrors.explain("bootout", 5, LABEL);
        assertFalse(line.contains("draining"), line);
        assertTrue(line.contains("--verbose"), line);
    }

    @Test
    void unknownCodeAndMissingNamesStillGiveALine() {
        assertEquals("launchctl failed: launchctl error 999: unexpected for the service: retry with --verbose"
                + " for launchctl's own words", LaunchctlErrors.explain(null, 999, null));
        assertEquals("launchctl bootstrap failed: 113: Could not find specified service: the service is not loaded:"
                + " run `heph start`", LaunchctlErrors.explain("bootstrap", 113, " "));
    }
}
