package heph.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A lock taker for {@link LabelLockTest}: takes the label lock {@code rounds} times and, while holding it, appends
 * "in ID" and "out ID" lines to a shared ledger (O_APPEND: whole lines, in order, across processes). A second
 * holder at the same time shows up as two "in" lines in a row. While waiting, it is exactly what broke the old lock:
 * other threads of the same process asking for it.
 */
public final class LockLedger {
    private LockLedger() {
    }

    /** {@code java heph.fs.LockLedger STATE_DIR LEDGER ID ROUNDS HOLD_MS} */
    public static void main(String[] args) {
        run(Path.of(args[0]), Path.of(args[1]), args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]));
    }

    static void run(Path stateDir, Path ledger, String id, int rounds, long holdMs) {
        for (int i = 0; i < rounds; i++) {
            try (LabelLock l = LabelLock.acquire(stateDir, "org.x", Duration.ofSeconds(120), m -> { })) {
                append(ledger, "in " + id);
                sleep(holdMs);
                append(ledger, "out " + id);
            }
            sleep(1); // let others in
        }
    }

    private static void append(Path ledger, String line) {
        try {
            Files.write(ledger, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
