package heph.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.HephException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("unit")
class AtomicFileTest {
    @TempDir
    Path dir;

    List<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesMode0644CreatingFoldersAndLeavesNoTempFile() throws Exception {
        Path f = dir.resolve("a/b/x.plist");
        AtomicFile.write(f, "one".getBytes());
        assertEquals("one", Files.readString(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        AtomicFile.write(f, "two".getBytes());
        assertEquals("two", Files.readString(f));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of("x.plist"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void replacesAGroupWritableFileWithA0644One() throws Exception {
        Path f = dir.resolve("x.plist");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
        AtomicFile.write(f, "new".getBytes());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void refusesToWriteThroughASymlinkAndLeavesBothAlone() throws Exception {
        Path real = dir.resolve("real");
        Files.writeString(real, "mine");
        Path link = dir.resolve("link.plist");
        Files.createSymbolicLink(link, real);
        HephException e = assertThrows(HephException.class, () -> AtomicFile.write(link, "x".getBytes()));
        assertTrue(e.getMessage().startsWith(link + " is a symlink"), e.getMessage());
        assertEquals("mine", Files.readString(real));
        assertTrue(Files.isSymbolicLink(link));
        assertThrows(HephException.class, () -> AtomicFile.delete(link));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void moveAsideKeepsTheContentUnderATimestampedNameAndNeverOverwrites() throws Exception {
        Path f = dir.resolve("x.plist");
        Files.writeString(f, "garbage 1");
        Path first = AtomicFile.moveAside(f);
        Files.writeString(f, "garbage 2");
        Path second = AtomicFile.moveAside(f);
        assertFalse(Files.exists(f));
        assertTrue(first.getFileName().toString().matches("x\\.plist\\.unparseable-\\d{8}-\\d{6}"), first.toString());
        assertEquals("garbage 1", Files.readString(first));
        assertEquals("garbage 2", Files.readString(second));
        assertEquals(2, names().size());
    }

    @Test
    void deleteSaysWhetherThereWasAFile() throws Exception {
        Path f = dir.resolve("x");
        assertFalse(AtomicFile.delete(f));
        Files.writeString(f, "x");
        assertTrue(AtomicFile.delete(f));
        assertEquals(List.of(), names());
    }
}
