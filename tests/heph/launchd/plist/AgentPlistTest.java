package heph.launchd.plist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import heph.ExitCode;
import heph.HephException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any agent's plist: validated with one-line usage errors naming the file, then used byte for byte as given. */
@org.junit.jupiter.api.Tag("unit")
class AgentPlistTest {
    static final Path FILE = Path.of("/dotfiles/sync.plist");

    static byte[] plist(String body) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>" + body
                + "</dict></plist>\n").getBytes(StandardCharsets.UTF_8);
    }

    static String rejected(String body) {
        HephException e = assertThrows(HephException.class, () -> AgentPlist.parse(plist(body), FILE));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aValidPlistKeepsItsBytesAndLabel() {
        byte[] bytes = plist("<key>Label</key><string>org.example.sync</string><key>ProgramArguments</key>"
                + "<array><string>/usr/local/bin/sync</string><string>--watch</string></array>");
        AgentPlist a = AgentPlist.parse(bytes, FILE);
        assertEquals("org.example.sync", a.label());
        assertArrayEquals(bytes, a.bytes());
        assertEquals(FILE, a.source());
    }

    @Test
    void programAloneIsEnoughWhenAbsolute() {
        AgentPlist a = AgentPlist.parse(plist("<key>Label</key><string>org.example.p</string>"
                + "<key>Program</key><string>/bin/true</string>"), FILE);
        assertEquals("org.example.p", a.label());
        assertEquals(FILE + ": the program 'true' is not an absolute path; expected Program or ProgramArguments[0]"
                + " to start with /", rejected("<key>Label</key><string>org.example.p</string>"
                + "<key>Program</key><string>true</string><key>ProgramArguments</key><array><string>/bin/true"
                + "</string></array>"));
    }

    @Test
    void eachRuleIsAOneLineUsageErrorNamingTheFile() {
        assertEquals(FILE + ": has no Label string; expected a launchd job with a Label like org.example.agent",
                rejected("<key>ProgramArguments</key><array><string>/bin/true</string></array>"));
        assertEquals(FILE + ": Label: 'a/b' is not valid; expected 1 to 212 characters of A-Z a-z 0-9 . _ -"
                + " starting with a letter or digit, without '..'",
                rejected("<key>Label</key><string>a/b</string><key>Program</key><string>/bin/true</string>"));
        assertEquals(FILE + ": has neither Program nor a non-empty ProgramArguments; expected the program to run",
                rejected("<key>Label</key><string>org.example.x</string>"));
        assertEquals(FILE + ": ProgramArguments is not an array of strings; expected [program, arguments...]",
                rejected("<key>Label</key><string>org.example.x</string><key>ProgramArguments</key><array>"
                        + "<integer>1</integer></array>"));
        assertEquals(FILE + ": the program 'sync.sh' is not an absolute path; expected Program or"
                + " ProgramArguments[0] to start with /", rejected("<key>Label</key><string>org.example.x</string>"
                + "<key>ProgramArguments</key><array><string>sync.sh</string></array>"));
        HephException notPlist = assertThrows(HephException.class,
                () -> AgentPlist.parse("nonsense {".getBytes(StandardCharsets.UTF_8), FILE));
        assertEquals(ExitCode.USAGE, notPlist.exitCode());
        assertEquals(true, notPlist.getMessage().startsWith(FILE + ": not a property list"), notPlist.getMessage());
    }

    @Test
    void aMissingFileAndAWritableInstalledFileAreUsageErrors(@TempDir Path dir) throws Exception {
        HephException missing = assertThrows(HephException.class, () -> AgentPlist.read(dir.resolve("x.plist")));
        assertEquals(dir.resolve("x.plist") + ": no such file; expected a launchd plist", missing.getMessage());
        Path f = dir.resolve("y.plist");
        Files.write(f, plist("<key>Label</key><string>y</string>"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        HephException writable = assertThrows(HephException.class, () -> AgentPlist.requireNotWritableByOthers(f));
        assertEquals(ExitCode.USAGE, writable.exitCode());
        assertEquals(true, writable.getMessage().startsWith(f + ": is group- or world-writable"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        AgentPlist.requireNotWritableByOthers(f);
    }

    @Test
    void whatLaunchdShouldBeSeenDoing() {
        assertEquals(AgentPlist.Expect.KEEPS_RUNNING, expect("<key>KeepAlive</key><true/>"));
        assertEquals(AgentPlist.Expect.RUNS_AT_LOAD, expect("<key>RunAtLoad</key><true/>"));
        assertEquals(AgentPlist.Expect.RUNS_AT_LOAD, expect("<key>KeepAlive</key><dict><key>SuccessfulExit</key>"
                + "<false/></dict>"));
        assertEquals(AgentPlist.Expect.ON_DEMAND, expect("<key>StartInterval</key><integer>300</integer>"));
        assertEquals(AgentPlist.Expect.ON_DEMAND, expect("<key>KeepAlive</key><false/>"));
    }

    static AgentPlist.Expect expect(String body) {
        return AgentPlist.expect(LaunchdPlist.parse(plist(body), "t"));
    }
}
