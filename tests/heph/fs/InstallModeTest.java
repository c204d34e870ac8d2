package heph.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An installed definition is never more readable than its source; folders heph creates are 0700. */
@org.junit.jupiter.api.Tag("unit")
class InstallModeTest {
    @TempDir
    Path dir;

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    String installed(String sourceMode, boolean env) throws IOException {
        Path source = Files.writeString(dir.resolve("source-" + sourceMode), "x");
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString(sourceMode));
        return PosixFilePermissions.toString(PrivateFiles.installed(source, env));
    }

    @Test
    void sourceModeAnd0644AtLeast0600() throws IOException {
        assertEquals("rw-------", installed("rw-------", false));
        assertEquals("rw-r-----", installed("rw-r-----", false));
        assertEquals("rw-r--r--", installed("rw-r--r--", false));
        assertEquals("rw-r--r--", installed("rwxrwxrwx", false), "never writable or executable by others");
        assertEquals("rw-------", installed("r--------", false), "the owner can always rewrite it");
        assertEquals("rw-------", installed("rw-r--r--", true), "environment values: the owner's alone");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(PrivateFiles.installed(null, false)));
        assertEquals("rw-------", PosixFilePermissions.toString(PrivateFiles.installed(dir.resolve("gone"), false)));
    }

    @Test
    void atomicWriteCreatesMissingFolders0700AndLeavesExistingOnes() throws IOException {
        Path existing = Files.createDirectory(dir.resolve("home"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = existing.resolve(".config/systemd/user/a.service");
        AtomicFile.write(file, "[Unit]\n".getBytes(), PrivateFiles.installed(null, false));
        assertEquals("rwx------", mode(existing.resolve(".config")));
        assertEquals("rwx------", mode(existing.resolve(".config/systemd/user")));
        assertEquals("rwxr-xr-x", mode(existing));
        assertEquals("rw-r--r--", mode(file));
    }
}
