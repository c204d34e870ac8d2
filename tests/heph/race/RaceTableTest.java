package heph.race;

import static org.junit.jupiter.api.Assertions.assertEquals;

import heph.sim.race.RaceCycle;
import heph.sim.race.RaceResult;
import heph.sim.race.RaceTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of the race experiment: percentiles, failure counts, the table and summary lines. */
@org.junit.jupiter.api.Tag("unit")
class RaceTableTest {
    static RaceCycle reload(int i, long ms, boolean ok) {
        return new RaceCycle("reload", i, ok, ok ? "reload" : "-", 10L + i, ok ? 20L + i : null, ms, ms - 300, 1,
                ok ? 0 : 1, ok ? "" : "bootstrap failed", 600L, List.of("hephd", "--self-update-interval-secs", "600"),
                ok, true, ok, 0, 200);
    }

    static RaceCycle naive(int i, boolean ok) {
        return new RaceCycle("naive", i, ok, "bootout+bootstrap", 5L, 6L, 12, 0, 1, ok ? 0 : 5,
                ok ? "" : "Bootstrap failed: 5: Input/output error", null, List.of(), true, false, true, 0, 200);
    }

    @Test
    void percentilesAreNearestRankOverAllCycles() {
        RaceResult r = new RaceResult("reload", List.of(reload(1, 400, true), reload(2, 100, true),
                reload(3, 300, true), reload(4, 200, true)));
        assertEquals(List.of(200L, 400L, 100L, 400L), List.of(r.percentileMillis(50), r.percentileMillis(95),
                r.percentileMillis(1), r.percentileMillis(100)));
        assertEquals(0, new RaceResult("reload", List.of()).percentileMillis(50));
    }

    @Test
    void failuresCountAndTheMostCommonErrorIsNamed() {
        RaceResult r = new RaceResult("naive", List.of(naive(1, false), naive(2, true), naive(3, false)));
        assertEquals(2, r.failures());
        assertEquals(2.0 / 3, r.failureRate(), 1e-9);
        assertEquals("naive: 2/3 failed (66.7%), p50 12 ms, p95 12 ms; most common: Bootstrap failed: 5:"
                + " Input/output error", RaceTable.summary(r));
        assertEquals("reload: 0/1 failed (0.0%), p50 700 ms, p95 700 ms",
                RaceTable.summary(new RaceResult("reload", List.of(reload(1, 700, true)))));
    }

    @Test
    void tableColumnsAreAlignedAndFailuresExplained() {
        String t = RaceTable.render(List.of(reload(1, 1500, true), reload(2, 900, false), naive(1, false)));
        assertEquals("""
                step      result  path               pid       took     waited   tries  interval        socket   note
                reload 1  ok      reload             11 -> 21  1500 ms  1200 ms  1      600             answers
                reload 2  FAIL    -                  12 -> -   900 ms   600 ms   1      600 (argv: no)  silent   \
                bootstrap failed
                naive 1   FAIL    bootout+bootstrap  5 -> 6    12 ms    -        1      -               answers  \
                exit 5: Bootstrap failed: 5: Input/output error (recovered)
                """, t);
    }
}
