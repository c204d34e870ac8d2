package heph.sim;

import java.util.List;

/**
 * One daemon process the simulator ever started, as a snapshot: its pid, argv, start time and (once reaped) end
 * time and how it ended. Times are epoch milliseconds. A process killed by a signal has {@code exitCode == -1} and
 * {@code signal > 0}; a still-living one has {@code endMs == -1}. (Java reports a signal death as 128+N, so an
 * ordinary exit status above 128 is read as a signal too; the sample daemon never exits that way.)
 */
public record Spawn(String label, long pid, List<String> argv, long startMs, long endMs, int exitCode, int signal) {
    public Spawn {
        argv = List.copyOf(argv);
    }

    public boolean alive() {
        return endMs < 0;
    }

    public boolean signaled() {
        return signal > 0;
    }

    /** Whether the two processes were alive at the same time (their [start, end] intervals intersect). */
    public boolean overlaps(Spawn other) {
        long end = alive() ? Long.MAX_VALUE : endMs;
        long otherEnd = other.alive() ? Long.MAX_VALUE : other.endMs;
        return startMs < otherEnd && other.startMs < end;
    }
}
