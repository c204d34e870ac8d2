package heph.fs;

import heph.HephException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files heph owns are written atomically: a temp file in the same folder, fsynced, renamed over the target, then
 * the folder fsynced. A reader sees the old file or the new one, never half of either. Mode is 0644 (never group-
 * or world-writable, which launchd would refuse: docs/facts/launchd-facts.md §11). The temp file is named
 * {@code .<name>.<pid>.<random>.tmp}; a writer killed before its rename (SIGKILL) leaves it behind, and the next
 * write of the same target removes it once that pid is gone.
 */
public final class AtomicFile {
    public static final Set<PosixFilePermission> MODE_0644 = PosixFilePermissions.fromString("rw-r--r--");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private AtomicFile() {
    }

    /** Writes {@code bytes} to {@code target} atomically with mode 0644, creating parent folders. */
    public static void write(Path target, byte[] bytes) {
        write(target, bytes, MODE_0644);
    }

    /** Writes {@code bytes} to {@code target} atomically with {@code mode} (0600 for heph's private state). */
    public static void write(Path target, byte[] bytes, Set<PosixFilePermission> mode) {
        if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IllegalArgumentException("files heph owns are never group- or world-writable: " + mode);
        }
        Owner.requireOwnRegularFile(target);
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            // a folder heph creates is the user's alone, 0700 (~/Library/LaunchAgents, ~/.config/systemd/user, …);
            // one that exists keeps its mode
            PrivateFiles.dir(dir);
            removeStale(target);
            tmp = Files.createTempFile(dir, tempPrefix(target) + ProcessHandle.current().pid() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(mode));
            // the temp file was just created (O_EXCL) under a fresh name; reopened without following a link
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, mode);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw HephException.failed("cannot replace " + target + " atomically on this file system");
            }
            tmp = null;
            fsyncDir(dir);
        } catch (IOException e) {
            throw HephException.failed("cannot write " + target + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temp file is hidden and named after the target
                }
            }
        }
    }

    /** Removes {@code target} if it exists (and is ours), then fsyncs its folder. Returns whether it existed. */
    public static boolean delete(Path target) {
        Owner.requireOwnRegularFile(target);
        try {
            boolean existed = Files.deleteIfExists(target);
            if (existed) {
                fsyncDir(target.toAbsolutePath().getParent());
            }
            return existed;
        } catch (IOException e) {
            throw HephException.failed("cannot remove " + target + ": " + e.getMessage());
        }
    }

    /**
     * Keeps a file heph cannot parse: renames it to {@code <name>.unparseable-<timestamp>} beside itself and returns
     * the new path, so the caller can tell the user where it went. Never overwrites an earlier copy.
     */
    public static Path moveAside(Path file) {
        return moveAside(file, "unparseable");
    }

    /** Like {@link #moveAside(Path)}, named {@code <name>.<why>-<timestamp>} (a plist launchd refused: "rejected"). */
    public static Path moveAside(Path file, String why) {
        String base = file.getFileName() + "." + why + "-" + LocalDateTime.now().format(STAMP);
        Path aside = file.resolveSibling(base);
        for (int i = 1; Files.exists(aside, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
            aside = file.resolveSibling(base + "-" + i);
        }
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            fsyncDir(file.toAbsolutePath().getParent());
            return aside;
        } catch (IOException e) {
            throw HephException.failed("cannot move " + why + " " + file + " aside: " + e.getMessage());
        }
    }

    private static String tempPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    /**
     * Removes the temp files of {@code target} whose writer (the pid in their name) no longer runs; callers holding
     * the label lock run it on every mutating verb, since a verb that finds nothing to change writes nothing.
     */
    public static void removeStaleTemps(Path target) {
        try {
            removeStale(target);
        } catch (IOException e) {
            // best effort: a leftover temp file is hidden and harmless, never read as the target
        }
    }

    private static void removeStale(Path target) throws IOException {
        String prefix = tempPrefix(target);
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> temps;
        try (Stream<Path> all = Files.list(dir)) {
            temps = all.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".tmp")).toList();
        }
        for (Path t : temps) {
            String rest = t.getFileName().toString().substring(prefix.length());
            int dot = rest.indexOf('.');
            if (dot > 0 && rest.substring(0, dot).matches("[0-9]{1,18}")
                    && ProcessHandle.of(Long.parseLong(rest.substring(0, dot))).isEmpty()) {
                Files.deleteIfExists(t);
            }
        }
    }

    static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open or sync a directory; the rename itself is still atomic.
        }
    }
}
