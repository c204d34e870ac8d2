package heph.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounded reader: the file type is checked before opening, and never more than the bound is read. */
@org.junit.jupiter.api.Tag("unit")
class BoundedReadTest {
    @TempDir
    Path dir;

    private Path fifo(String name) throws Exception {
        Path p = dir.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        assertTrue(mk.waitFor(30, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        return p;
    }

    @Test
    void readsARegularFileAndALinkToOneWhenFollowing() throws Exception {
        Path f = Files.write(dir.resolve("a.plist"), new byte[] {1, 2, 3});
        Path link = Files.createSymbolicLink(dir.resolve("l.plist"), f);
        assertArrayEquals(new byte[] {1, 2, 3}, BoundedRead.definition(f));
        assertArrayEquals(new byte[] {1, 2, 3}, BoundedRead.definition(link));
        BoundedRead.Refused e = assertThrows(BoundedRead.Refused.class,
                () -> BoundedRead.bytes(link, 10, BoundedRead.Links.NOFOLLOW));
        assertEquals("is a symlink, not a regular file", e.getMessage());
    }

    /** Opening a FIFO for reading blocks until a writer comes: the reader must refuse it without opening it. */
    @Test
    void aFifoAndALinkToOneAreRefusedWithoutBlocking() throws Exception {
        Path fifo = fifo("x.plist");
        Path link = Files.createSymbolicLink(dir.resolve("l.plist"), fifo);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            BoundedRead.Refused e = assertThrows(BoundedRead.Refused.class, () -> BoundedRead.definition(fifo));
            assertEquals("is a FIFO (named pipe), not a regular file", e.getMessage());
            assertThrows(BoundedRead.Refused.class, () -> BoundedRead.definition(link));
        });
    }

    /** /dev/zero never ends: refused as a character device instead of filling the heap. */
    @Test
    void aLinkToDevZeroIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("z.plist"), Path.of("/dev/zero"));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            BoundedRead.Refused e = assertThrows(BoundedRead.Refused.class, () -> BoundedRead.definition(link));
            assertEquals("is a character device, not a regular file", e.getMessage());
        });
    }

    @Test
    void aFolderADanglingLinkAndNothingAreToldApart() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("d.plist"));
        Path dangling = Files.createSymbolicLink(dir.resolve("g.plist"), dir.resolve("nowhere"));
        assertEquals("is a directory, not a regular file",
                assertThrows(BoundedRead.Refused.class, () -> BoundedRead.definition(folder)).getMessage());
        assertTrue(assertThrows(BoundedRead.Refused.class, () -> BoundedRead.definition(dangling)).getMessage()
                .startsWith("is a symlink to nothing"));
        assertThrows(NoSuchFileException.class, () -> BoundedRead.definition(dir.resolve("none.plist")));
    }

    /** A sparse multi-GB file is refused by its size, before a byte is read. */
    @Test
    void aHugeSparseFileIsRefusedByItsSize() throws Exception {
        Path big = dir.resolve("big.plist");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(4L << 30);
        }
        BoundedRead.Refused e = assertThrows(BoundedRead.Refused.class, () -> BoundedRead.definition(big));
        assertTrue(e.getMessage().startsWith("is larger than 1 MB (4294967296 bytes)"), e.getMessage());
    }

    @Test
    void exactlyTheBoundIsReadOneMoreIsRefused() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[BoundedRead.DEFINITION_MAX]);
        assertEquals(BoundedRead.DEFINITION_MAX, BoundedRead.definition(f).length);
        Files.write(f, new byte[BoundedRead.DEFINITION_MAX + 1]);
        assertThrows(BoundedRead.Refused.class, () -> BoundedRead.definition(f));
        assertEquals(0, BoundedRead.definition(Files.write(dir.resolve("e"), new byte[0])).length);
    }

    @Test
    void privateFilesRefusesToAppendThroughALink() throws IOException {
        Path target = Files.writeString(dir.resolve("t"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("h.log"), target);
        assertThrows(BoundedRead.Refused.class, () -> PrivateFiles.file(link));
        assertEquals("x", Files.readString(target));
    }
}
