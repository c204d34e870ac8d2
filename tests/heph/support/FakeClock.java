package heph.support;

import heph.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when someone sleeps on it, recording every sleep: waits are exact and instant. */
public final class FakeClock implements Clock {
    private long now;
    private final List<Long> sleeps = new ArrayList<>();

    @Override
    public synchronized long millis() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration d) {
        sleeps.add(d.toMillis());
        now += d.toMillis();
    }

    public synchronized List<Long> sleeps() {
        return List.copyOf(sleeps);
    }
}
