package heph.race;

import static org.junit.jupiter.api.Assertions.assertEquals;

import heph.sim.race.StrategyRun;
import heph.sim.race.StrategyTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strategies benchmark's table: percentiles over all runs, lag only over runs that had one, ratios to the first. */
@org.junit.jupiter.api.Tag("unit")
class StrategyTableTest {
    static StrategyRun ok(String s, int i, long ms, long lag, int calls) {
        return new StrategyRun(s, i, true, ms, lag, calls, "");
    }

    static StrategyRun fail(String s, int i, long ms, int calls) {
        return new StrategyRun(s, i, false, ms, null, calls, "Bootstrap failed: 5: Input/output error");
    }

    @Test
    void rowsAlignAndRatiosAreToTheFirstStrategy() {
        Map<String, List<StrategyRun>> r = new LinkedHashMap<>();
        r.put("heph", List.of(ok("heph", 1, 2000, 90, 10), ok("heph", 2, 1000, 110, 14)));
        r.put("naive", List.of(fail("naive", 1, 20, 2), fail("naive", 2, 40, 2)));
        r.put("Homebrew", List.of(ok("Homebrew", 1, 3000, 700, 6), fail("Homebrew", 2, 1500, 5)));
        assertEquals("""
                strategy      failed  wall p50  wall p95  lag p50  lag p95  calls  wall vs heph  calls vs heph
                heph        0/2 (0%)   1000 ms   2000 ms    90 ms   110 ms   12.0         1.00x          1.00x
                naive     2/2 (100%)     20 ms     40 ms        -        -    2.0         0.02x          0.17x
                Homebrew   1/2 (50%)   1500 ms   3000 ms   700 ms   700 ms    5.5         1.50x          0.46x
                """, StrategyTable.render(r));
    }

    @Test
    void anEmptyBaselineGivesNoRatios() {
        Map<String, List<StrategyRun>> r = new LinkedHashMap<>();
        r.put("heph", List.of());
        r.put("naive", List.of(fail("naive", 1, 20, 2)));
        assertEquals("""
                strategy      failed  wall p50  wall p95  lag p50  lag p95  calls  wall vs heph  calls vs heph
                heph        0/0 (0%)         -         -        -        -      -             -              -
                naive     1/1 (100%)     20 ms     20 ms        -        -    2.0             -              -
                """, StrategyTable.render(r));
        assertEquals(0, StrategyTable.percentile(List.of(), StrategyRun::millis, 50));
    }
}
