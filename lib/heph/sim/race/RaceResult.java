package heph.sim.race;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The cycles of one kind of the race experiment, with their failure count and timing percentiles. */
public record RaceResult(String kind, List<RaceCycle> cycles) {
    public RaceResult {
        cycles = List.copyOf(cycles);
    }

    public int count() {
        return cycles.size();
    }

    /** Cycles whose restart itself failed ({@link RaceCycle#ok} false). */
    public int failures() {
        return (int) cycles.stream().filter(c -> !c.ok()).count();
    }

    /** Cycles where anything heph promises did not hold ({@link RaceCycle#healthy} false). */
    public int unhealthy() {
        return (int) cycles.stream().filter(c -> !c.healthy()).count();
    }

    public double failureRate() {
        return cycles.isEmpty() ? 0 : (double) failures() / cycles.size();
    }

    /** Nearest-rank percentile (0 &lt; p &lt;= 100) of {@link RaceCycle#millis} over all cycles; 0 when empty. */
    public long percentileMillis(double p) {
        long[] ms = cycles.stream().mapToLong(RaceCycle::millis).sorted().toArray();
        if (ms.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * ms.length);
        return ms[Math.max(0, Math.min(ms.length, rank) - 1)];
    }

    /** The most frequent failure text, or "" when nothing failed. */
    public String commonError() {
        return cycles.stream().filter(c -> !c.ok())
                .collect(Collectors.groupingBy(RaceCycle::error, LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
    }
}
