package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.SimOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files heph installs are never more readable than needed: an agent's plist is as private as the file it was
 * given (0600 stays 0600, 0640 stays 0640), a plist holding environment values is 0600, and a folder heph creates
 * (~/Library/LaunchAgents, its state) is 0700. launchd only refuses a group- or world-writable plist, so 0600 and
 * 0640 installed plists are left alone.
 */
@org.junit.jupiter.api.Tag("simulator")
class InstallModesLaunchdTest {
    static final String SYNC = "org.example.sync";

    @TempDir
    Path dir;
    HephInSim h;

    @BeforeEach
    void start() {
        h = new HephInSim(SimOptions.in(dir).withSeed(31));
    }

    @AfterEach
    void close() {
        h.close();
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    Path agent(String mode) throws IOException {
        Path dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
        Path file = dotfiles.resolve(SYNC + ".plist");
        Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
                + "\t<key>Label</key>\n\t<string>" + SYNC + "</string>\n\t<key>ProgramArguments</key>\n\t<array>\n"
                + "\t\t<string>" + h.sim.hephd() + "</string>\n\t\t<string>--socket</string>\n\t\t<string>"
                + h.sim.home().resolve("sync.sock") + "</string>\n\t</array>\n\t<key>KeepAlive</key>\n\t<true/>\n"
                + "</dict>\n</plist>\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void anAgentIsInstalledNoMoreReadableThanItsFile() throws IOException {
        Path file = agent("rw-------");
        Path installed = h.sim.launchAgents().resolve(SYNC + ".plist");
        HephInSim.Run start = h.heph("start", "--plist", file.toString());
        assertEquals(0, start.exit(), start.err());
        assertEquals("rw-------", mode(installed));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(installed));
        assertEquals("rwx------", mode(h.sim.launchAgents()), "a folder heph creates is 0700");
        assertEquals("rwx------", mode(h.sim.home().resolve(".local/state/heph")));

        // a 0600 installed plist is not "the wrong mode": start again writes nothing
        HephInSim.Run again = h.heph("start", "--plist", file.toString(), "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals(false, again.json().get("changed"), again.out());
        assertFalse(again.err().contains("writing it again"), again.err());

        // apply of a 0640 file: 0640 (group-readable as the file is, never world-readable)
        assertEquals(0, h.heph("uninstall", "--label", SYNC).exit());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        HephInSim.Run apply = h.heph("apply", file.getParent().toString());
        assertEquals(0, apply.exit(), apply.err());
        assertEquals("rw-r-----", mode(installed));
    }

    @Test
    void hephdsPlistIs0644UntilItHoldsEnvironmentValuesThen0600() throws IOException {
        Files.createDirectories(h.sim.launchAgents());
        Files.setPosixFilePermissions(h.sim.launchAgents(), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(0, h.heph("start").exit());
        assertEquals("rw-r--r--", mode(h.plist()));
        assertEquals("rwxr-xr-x", mode(h.sim.launchAgents()), "a folder that exists keeps its mode");

        // the user adds a token to hephd's plist by hand: heph keeps it, and writes the file again 0600
        String plist = Files.readString(h.plist());
        assertTrue(plist.contains("\t\t<key>HEPH_QUICKADD</key>\n"), plist);
        Files.writeString(h.plist(), plist.replace("\t\t<key>HEPH_QUICKADD</key>\n", "\t\t<key>API_TOKEN</key>\n"
                + "\t\t<string>tok-0a9b8c</string>\n\t\t<key>HEPH_QUICKADD</key>\n"));
        HephInSim.Run start = h.heph("start");
        assertEquals(0, start.exit(), start.err());
        assertEquals("rw-------", mode(h.plist()));
        assertTrue(Files.readString(h.plist()).contains("<key>API_TOKEN</key>"), "the variable is kept");
        assertTrue(start.err().contains("has mode 0644, not 0600"), start.err());
        assertFalse((start.out() + start.err()).contains("tok-0a9b8c"), start.err());
    }
}
