package heph.fs;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** For {@link LabelLockTest}, run as its own process: prints "busy" if org.x's lock file is locked, else "free". */
public final class LockProbe {
    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]).resolve("org.x.lock"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            System.out.println(l == null ? "busy" : "free");
        }
    }
}
