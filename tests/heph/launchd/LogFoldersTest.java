package heph.launchd;

import heph.launchd.plist.LaunchdPlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.dd.plist.NSDictionary;
import heph.ExitCode;
import heph.HephException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log folders of StandardOutPath/StandardErrorPath before a bootstrap (docs/facts/launchd-facts.md §11, §13). */
@org.junit.jupiter.api.Tag("unit")
class LogFoldersTest {
    @TempDir
    Path dir;

    NSDictionary plist(String out, String err) {
        NSDictionary d = new NSDictionary();
        d.put("Label", "org.hephaestus.hephd");
        if (out != null) {
            d.put("StandardOutPath", out);
        }
        if (err != null) {
            d.put("StandardErrorPath", err);
        }
        return d;
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void missingFoldersAreCreated0700AndExistingOnesLeftAlone() throws Exception {
        Path existing = Files.createDirectory(dir.resolve("Library"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path logs = existing.resolve("Logs/heph");
        List<Path> created = LogFolders.prepare(plist(logs.resolve("hephd.out.log").toString(),
                logs.resolve("hephd.err.log").toString()));
        assertEquals(List.of(existing.resolve("Logs"), logs), created);
        assertEquals("rwx------", mode(logs));
        assertEquals("rwx------", mode(existing.resolve("Logs")));
        assertEquals("rwxr-xr-x", mode(existing), "an existing folder is untouched");
        assertEquals(List.of(), LogFolders.prepare(plist(logs.resolve("hephd.out.log").toString(), null)));
        assertEquals(List.of(), LogFolders.prepare(plist(null, null)), "no log keys, nothing to do");
    }

    @Test
    void aFileWhereAFolderShouldBeIsAOneLineFailure() throws Exception {
        Path blocker = Files.writeString(dir.resolve("Logs"), "x");
        String log = blocker.resolve("heph/hephd.err.log").toString();
        HephException e = assertThrows(HephException.class, () -> LogFolders.prepare(plist(null, log)));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertEquals("hephd's log " + log + " (StandardErrorPath) is not usable: " + blocker + " is a file, not a"
                + " folder; launchd would fail to start hephd (78: EX_CONFIG). Fix it, or set another"
                + " StandardErrorPath in the plist", e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aFolderWhereTheLogShouldBeIsRefused() throws Exception {
        Path log = Files.createDirectories(dir.resolve("logs/hephd.out.log"));
        HephException e = assertThrows(HephException.class,
                () -> LogFolders.prepare(plist(log.toString(), null)));
        assertTrue(e.getMessage().endsWith("(StandardOutPath) is not usable: it is a folder; launchd would fail to"
                + " start hephd (78: EX_CONFIG). Fix it, or set another StandardOutPath in the plist"), e.getMessage());
    }

    @Test
    void anUnwritableFolderIsRefused() throws Exception {
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root writes into any folder");
        Path folder = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-x------"));
        try {
            HephException e = assertThrows(HephException.class,
                    () -> LogFolders.prepare(plist(folder.resolve("o.log").toString(), null)));
            assertTrue(e.getMessage().contains("its folder " + folder + " is not writable"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void thePutBackPlistIsReadFromItsBytes() {
        Path logs = dir.resolve("old/logs");
        byte[] xml = LaunchdPlist.toXml(plist(logs.resolve("o.log").toString(), null));
        assertEquals(List.of(dir.resolve("old"), logs), LogFolders.prepare(xml, "previous plist"));
    }
}
