package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * systemd: folders heph creates (~/.config/systemd/user, its state) are 0700 while one that exists keeps its mode;
 * a unit given with {@code --unit-file} is installed no more readable than that file, a unit with Environment=
 * values 0600.
 */
@org.junit.jupiter.api.Tag("simulator")
class InstallModesSystemdTest extends SystemdHephBaseTest {
    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void createdFoldersAre0700AndExistingOnesKeepTheirMode() throws Exception {
        Path config = Files.createDirectories(sim.home().resolve(".config"));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run start = heph("start");
        assertEquals(0, start.exit(), start.err());
        assertEquals("rwxr-xr-x", mode(config), "a folder that exists is not chmod-ed");
        assertEquals("rwx------", mode(config.resolve("systemd")));
        assertEquals("rwx------", mode(config.resolve("systemd/user")));
        assertEquals("rw-r--r--", mode(unitFile()), "hephd's own unit keeps its mode");
        assertEquals("rwx------", mode(sim.home().resolve(".local/state/heph")));
    }

    @Test
    void aUnitIsInstalledNoMoreReadableThanItsFile() throws Exception {
        Path dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
        Path file = dotfiles.resolve("sync.service");
        Files.writeString(file, "[Unit]\nDescription=sync\n\n[Service]\nExecStart=" + sim.hephd() + " --socket "
                + runtime.resolve("sync.sock") + "\nRestart=always\n\n[Install]\nWantedBy=default.target\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Run start = heph("start", "--unit-file", file.toString());
        assertEquals(0, start.exit(), start.err());
        Path installed = unitFile().resolveSibling("sync.service");
        assertEquals("rw-------", mode(installed));

        // a 0644 file holding a token: the installed unit is 0600 all the same
        Files.writeString(file, Files.readString(file).replace("Restart=always\n", "Restart=always\n"
                + "Environment=API_TOKEN=tok-3f2e1d\n"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Run apply = heph("apply", dotfiles.toString());
        assertEquals(0, apply.exit(), apply.err());
        assertEquals("rw-------", mode(installed));
        assertTrue(Files.readString(installed).contains("API_TOKEN"));
    }

    @Test
    void hephdsUnitWithAHandAddedTokenIsNarrowedTo0600WithoutARestart() throws Exception {
        assertEquals(0, heph("start").exit());
        long pid = mainPid();
        Files.writeString(unitFile(), Files.readString(unitFile()).replace("[Service]\n", "[Service]\n"
                + "Environment=API_TOKEN=tok-77aa01\n"));
        assertEquals("rw-r--r--", mode(unitFile()));
        assertEquals(0, heph("restart").exit());
        assertEquals("rw-------", mode(unitFile()), "the token kept, the unit 0600");
        assertTrue(Files.readString(unitFile()).contains("API_TOKEN"));

        // the same unit, unchanged, but 0644 (as an older heph installed it): narrowed in place, no restart
        pid = mainPid();
        Files.setPosixFilePermissions(unitFile(), PosixFilePermissions.fromString("rw-r--r--"));
        Run start = heph("start");
        assertEquals(0, start.exit(), start.err());
        assertEquals("rw-------", mode(unitFile()));
        assertTrue(start.err().contains("now rw-------"), start.err());
        assertEquals(pid, mainPid());
    }
}
