package heph.fs;

import heph.HephException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * A per-label file lock around every mutating verb, so concurrent heph runs serialize instead of interleaving
 * bootout and bootstrap. The kernel releases it when heph dies, even by SIGKILL. Waiting is bounded and reported.
 * <p>
 * The file lock is an fcntl lock, which belongs to the process: closing <em>any</em> descriptor of the file releases
 * it for every thread. So within one JVM a process-local mutex per lock file comes first, and only its holder
 * opens, reads or closes the file: one channel per lock file per process, never a second one beside it.
 */
public final class LabelLock implements AutoCloseable {
    private static final Map<Path, Semaphore> MUTEXES = new ConcurrentHashMap<>();
    private static final long POLL_MS = 50;

    private final Semaphore mutex;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private LabelLock(Semaphore mutex, FileChannel channel, FileLock lock) {
        this.mutex = mutex;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock {@code <stateDir>/<label>.lock}, waiting at most {@code maxWait}. {@code onWait} is told once,
     * with the holder's pid when known, if the lock is busy (held by another thread of this process or by another
     * process).
     */
    public static LabelLock acquire(Path stateDir, String label, Duration maxWait, Consumer<String> onWait) {
        Path file = stateDir.resolve(label + ".lock");
        long deadline = System.nanoTime() + maxWait.toNanos();
        Semaphore mutex;
        try {
            // keyed by the real folder and the lock's own name: the lock file itself is never resolved (a link there
            // is refused when it is opened, never followed)
            Path key = PrivateFiles.dir(stateDir).toRealPath().resolve(file.getFileName());
            mutex = MUTEXES.computeIfAbsent(key, k -> new Semaphore(1));
        } catch (IOException e) {
            throw HephException.refused("cannot take the lock " + file + ": " + e.getMessage());
        }
        Waiting waiting = new Waiting(file, label, maxWait, onWait);
        try {
            if (!mutex.tryAcquire()) {
                waiting.tell(" (held by pid " + ProcessHandle.current().pid() + ")");
                if (!mutex.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw waiting.gaveUp(" (held by pid " + ProcessHandle.current().pid() + ")");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HephException.failed("interrupted while waiting for the lock " + file);
        }
        try {
            return fileLock(mutex, file, deadline, waiting);
        } catch (RuntimeException e) {
            mutex.release();
            throw e;
        }
    }

    /** With the process-local mutex held: the file lock against other processes, on this process's one channel. */
    private static LabelLock fileLock(Semaphore mutex, Path file, long deadline, Waiting waiting) {
        FileChannel ch = null;
        try {
            ch = open(file);
            while (true) {
                FileLock l = tryLock(ch);
                if (l != null) {
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
                            0);
                    return new LabelLock(mutex, ch, l);
                }
                waiting.tell(holder(ch));
                if (System.nanoTime() > deadline) {
                    String who = holder(ch);
                    ch.close(); // this process holds no lock on the file: closing releases nothing
                    throw waiting.gaveUp(who);
                }
                Thread.sleep(POLL_MS);
            }
        } catch (IOException e) {
            closeQuietly(ch);
            throw HephException.refused("cannot take the lock " + file + ": " + e.getMessage());
        } catch (InterruptedException e) {
            closeQuietly(ch);
            Thread.currentThread().interrupt();
            throw HephException.failed("interrupted while waiting for the lock " + file);
        }
    }

    /**
     * Opens (creating it 0600) the lock file without following a link. Anything there that is not heph's own
     * regular file (a symlink, a hard link, a directory, a FIFO, another user's file) is refused, exit 1, and left
     * as it is: the lock file is truncated and gets heph's pid, so it must never be a way into another file.
     */
    static FileChannel open(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Map<String, Object> a = Files.readAttributes(file, "unix:mode,uid,nlink", LinkOption.NOFOLLOW_LINKS);
            String kind = BoundedRead.kind((Integer) a.get("mode"));
            String why = kind != null ? "is " + kind
                    : (Integer) a.get("uid") != Owner.uid() ? "is owned by uid " + a.get("uid") + ", not by you"
                    : (Integer) a.get("nlink") != 1 ? "has " + a.get("nlink") + " hard links" : null;
            if (why != null) {
                throw HephException.refused("the lock " + file + " " + why + "; heph locks only its own regular"
                        + " files and never writes through a link. Remove it (heph creates a fresh one) and retry");
            }
        }
        try {
            return FileChannel.open(file, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileSystemException e) {
            if (Files.isSymbolicLink(file)) { // put there since the check: O_NOFOLLOW refused it
                throw HephException.refused("the lock " + file + " is a symlink; heph locks only its own regular"
                        + " files and never writes through a link. Remove it (heph creates a fresh one) and retry");
            }
            throw e;
        }
    }

    /** The single "another heph is working on it" notice and the "gave up" failure. */
    private static final class Waiting {
        private final Path file;
        private final String label;
        private final Duration maxWait;
        private final Consumer<String> onWait;
        private boolean told;

        Waiting(Path file, String label, Duration maxWait, Consumer<String> onWait) {
            this.file = file;
            this.label = label;
            this.maxWait = maxWait;
            this.onWait = onWait;
        }

        void tell(String holder) {
            if (!told) {
                told = true;
                onWait.accept("another heph is working on " + label + holder + "; waiting up to " + seconds(maxWait)
                        + " for its lock " + file);
            }
        }

        HephException gaveUp(String holder) {
            return HephException.refused("gave up after " + seconds(maxWait) + " waiting for the lock " + file
                    + holder + "; retry when it finishes, or raise --lock-wait");
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // cannot happen behind the mutex; wait like for any other holder
        }
    }

    /** The holder's pid, read through this process's own channel (opening another descriptor could drop a lock). */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            int n = ch.read(buf, 0);
            String pid = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.UTF_8).strip();
            return pid.matches("[0-9]{1,18}") ? " (held by pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
        mutex.release();
    }
}
