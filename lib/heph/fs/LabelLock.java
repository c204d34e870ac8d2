package heph.fs;

import heph.HephException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A per-label file lock around every mutating verb, so concurrent heph runs serialize instead of interleaving
 * bootout and bootstrap. The kernel releases it when heph dies, even by SIGKILL. Waiting is bounded and reported.
 */
public final class LabelLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private LabelLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock {@code <stateDir>/<label>.lock}, waiting at most {@code maxWait}. {@code onWait} is told once,
     * with the holder's pid when known, if the lock is busy.
     */
    public static LabelLock acquire(Path stateDir, String label, Duration maxWait, Consumer<String> onWait) {
        Path file = stateDir.resolve(label + ".lock");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(PrivateFiles.file(file), StandardOpenOption.READ, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + maxWait.toNanos();
            boolean told = false;
            while (true) {
                FileLock l = tryLock(ch);
                if (l != null) {
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                    return new LabelLock(ch, l);
                }
                if (!told) {
                    onWait.accept("another heph is working on " + label + holder(file)
                            + "; waiting up to " + seconds(maxWait) + " for its lock " + file);
                    told = true;
                }
                if (System.nanoTime() > deadline) {
                    ch.close();
                    throw HephException.failed("gave up after " + seconds(maxWait) + " waiting for the lock "
                            + file + holder(file) + "; retry when it finishes, or raise --lock-wait");
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            closeQuietly(ch);
            throw HephException.failed("cannot take the lock " + file + ": " + e.getMessage());
        } catch (InterruptedException e) {
            closeQuietly(ch);
            Thread.currentThread().interrupt();
            throw HephException.failed("interrupted while waiting for the lock " + file);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM (another thread): wait like any other holder
        }
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file).strip();
            return pid.isEmpty() ? "" : " (held by pid " + pid + ")";
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
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }
}
