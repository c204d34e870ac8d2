package heph.sim.launchd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.NSDictionary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("unit")
class JobSpecTest {
    static final Path P = Path.of("/u/Library/LaunchAgents/org.x.plist");

    static NSDictionary dict(Object... kv) {
        NSDictionary d = new NSDictionary();
        for (int i = 0; i < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        return d;
    }

    @Test
    void appliesLaunchdDefaults() throws Exception {
        ImportedPlist s = ImportedPlist.from(P, dict("Label", "org.x", "ProgramArguments", new String[] {"/bin/x", "-v"}), 5, 10);
        assertEquals(List.of("/bin/x", "-v"), s.arguments());
        assertEquals("/bin/x", s.program());
        assertTrue(s.inferredProgram());
        assertEquals(List.of(5, 10), List.of(s.exitTimeOutSec(), s.throttleIntervalSec())); // §9 defaults
        assertFalse(s.startsAtLoad()); // §11 RunAtLoad default false
    }

    @Test
    void keepAliveImpliesRunAtLoadAndDecidesRespawns() throws Exception {
        ImportedPlist always = ImportedPlist.from(P, dict("Label", "org.x", "Program", "/bin/x", "KeepAlive", true), 5, 10);
        assertTrue(always.startsAtLoad()); // §11 "implicitly implies RunAtLoad"
        assertTrue(always.respawns(true) && always.respawns(false));
        ImportedPlist onFailure = ImportedPlist.from(P, dict("Label", "org.x", "Program", "/bin/x", "KeepAlive",
                dict("SuccessfulExit", false)), 5, 10);
        assertEquals(List.of(false, true), List.of(onFailure.respawns(true), onFailure.respawns(false)));
    }

    @Test
    void keepsOnlyStringEnvironmentValuesAndHonoursTimeouts() throws Exception {
        ImportedPlist s = ImportedPlist.from(P, dict("Label", "org.x", "Program", "/bin/x", "EnvironmentVariables",
                dict("A", "1", "B", 2), "ExitTimeOut", 1, "ThrottleInterval", 0), 5, 10);
        assertEquals(Map.of("A", "1"), s.environment()); // §11 "Values other than strings will be ignored."
        assertEquals(1, s.exitTimeOutSec());
        assertEquals(10, s.throttleIntervalSec()); // §9 ThrottleInterval zero is ignored
    }

    @Test
    void rejectsPlistsLaunchdWouldNotImport() {
        assertThrows(ImportedPlist.Invalid.class, () -> ImportedPlist.from(P, dict("Program", "/bin/x"), 5, 10));
        assertThrows(ImportedPlist.Invalid.class, () -> ImportedPlist.from(P, dict("Label", "org.x"), 5, 10));
        assertThrows(ImportedPlist.Invalid.class, () -> ImportedPlist.from(P, dict("Label", "com.apple.launchd.x",
                "Program", "/bin/x"), 5, 10)); // §11 reserved prefixes
    }

    @Test
    void readsXmlQuietlyAndRefusesGarbage(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.plist");
        Files.writeString(bad, "<plist><dict><key>Label</key>");
        assertThrows(ImportedPlist.Invalid.class, () -> ImportedPlist.read(bad));
        Path good = dir.resolve("good.plist");
        Files.writeString(good, dict("Label", "org.x", "Program", "/bin/x").toXMLPropertyList());
        assertEquals("org.x", ImportedPlist.from(good, ImportedPlist.read(good), 5, 10).label());
    }
}
