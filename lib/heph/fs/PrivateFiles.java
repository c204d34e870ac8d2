package heph.fs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

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
     * The mode of an installed definition (plist, unit file): 0600 when it carries environment values (tokens,
     * passwords); else {@code source}'s mode {@code & 0644}, at least 0600 (a 0600 file stays 0600, a 0640 one
     * 0640); 0644 for heph's own rendering ({@code source} null). Never group- or world-writable (launchd refuses
     * that). A source whose mode cannot be read: 0600.
     */
    public static Set<PosixFilePermission> installed(Path source, boolean carriesEnvironment) {
        Set<PosixFilePermission> mode = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if (carriesEnvironment) {
            return mode;
        }
        try {
            Set<PosixFilePermission> from = source == null ? PosixFilePermissions.fromString("rw-r--r--")
                    : Files.getPosixFilePermissions(source);
            for (PosixFilePermission p : List.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ)) {
                if (from.contains(p)) {
                    mode.add(p);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // unknown: the owner's alone
        }
        return mode;
    }

    /**
     * Takes from {@code file}'s mode what {@code want} lacks (a token in a unit installed 0644 before), in place;
     * returns "was X, now Y", or empty when nothing was taken. A link, a missing file or another user's is left.
     */
    public static java.util.Optional<String> narrow(Path file, Set<PosixFilePermission> want) {
        try {
            if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (!want.containsAll(mode)) {
                    Set<PosixFilePermission> narrowed = EnumSet.copyOf(mode);
                    narrowed.retainAll(want);
                    Files.setPosixFilePermissions(file, narrowed);
                    return java.util.Optional.of("was " + PosixFilePermissions.toString(mode) + ", now "
                            + PosixFilePermissions.toString(narrowed));
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not ours to change
        }
        return java.util.Optional.empty();
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
