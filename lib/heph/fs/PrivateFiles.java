package heph.fs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** heph's own state (locks, hand-off logs) is the user's alone: folders 0700 and files 0600, whatever the umask. */
public final class PrivateFiles {
    private PrivateFiles() {
    }

    /** Creates {@code dir} (and missing parents) with mode 0700 for what is created; returns it. */
    public static Path dir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        return dir;
    }

    /**
     * Creates {@code file} with mode 0600 in a 0700 folder unless it exists; returns it. What exists there must be a
     * regular file, not a link to one (heph appends to it: it never writes through a link), else
     * {@link BoundedRead.Refused}.
     */
    public static Path file(Path file) throws IOException {
        dir(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // keep it: a lock file or an append-only log, if it is a file of its own
            try {
                BoundedRead.requireRegular(file, BoundedRead.Links.NOFOLLOW);
            } catch (BoundedRead.Refused r) {
                throw new BoundedRead.Refused(file + " " + r.getMessage() + "; heph never writes through a link");
            }
        }
        return file;
    }
}
