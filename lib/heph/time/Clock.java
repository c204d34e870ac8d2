package heph.time;

import heph.ExitCode;
import heph.HephException;
import java.time.Duration;

/** Time as the waiting primitives see it, so unit tests can run them without sleeping. */
public interface Clock {
    /** Monotonic milliseconds. */
    long millis();

    void sleep(Duration d);

    Clock SYSTEM = new Clock() {
        @Override
        public long millis() {
            return System.nanoTime() / 1_000_000;
        }

        @Override
        public void sleep(Duration d) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HephException(ExitCode.FAILED, "interrupted while waiting");
            }
        }
    };
}
