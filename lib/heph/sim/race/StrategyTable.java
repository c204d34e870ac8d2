package heph.sim.race;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The strategies benchmark as a table: one row per strategy with its failures, restart wall time and lag after
 * the label was gone (p50/p95, nearest rank), launchctl calls per restart, and the ratios of wall time p50 and
 * calls to the first (baseline) strategy. Pure.
 */
public final class StrategyTable {
    public static final List<String> HEADER = List.of("strategy", "failed", "wall p50", "wall p95", "lag p50",
            "lag p95", "calls", "wall vs " + "%s", "calls vs " + "%s");

    private StrategyTable() {
    }

    /** {@code results} in display order; the first is the baseline of the ratio columns. */
    public static String render(Map<String, List<StrategyRun>> results) {
        List<List<String>> rows = new ArrayList<>();
        String baseName = results.keySet().stream().findFirst().orElse("-");
        List<String> header = new ArrayList<>();
        HEADER.forEach(h -> header.add(String.format(Locale.ROOT, h, baseName)));
        rows.add(header);
        List<StrategyRun> base = results.getOrDefault(baseName, List.of());
        results.forEach((name, runs) -> rows.add(row(name, runs, base)));
        int[] width = new int[header.size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i);
                line.append(i == 0 ? pad(cell, width[i]) : " ".repeat(width[i] - cell.length()) + cell);
                line.append(i == r.size() - 1 ? "" : "  ");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** The cells of one strategy, in HEADER order. */
    static List<String> row(String name, List<StrategyRun> runs, List<StrategyRun> base) {
        long failed = runs.stream().filter(r -> !r.ok()).count();
        String failures = String.format(Locale.ROOT, "%d/%d (%.0f%%)", failed, runs.size(),
                runs.isEmpty() ? 0.0 : 100.0 * failed / runs.size());
        List<StrategyRun> lagged = runs.stream().filter(r -> r.lagMs() != null).toList();
        return List.of(name, failures, ms(percentile(runs, StrategyRun::millis, 50), runs),
                ms(percentile(runs, StrategyRun::millis, 95), runs),
                ms(percentile(lagged, StrategyRun::lagMs, 50), lagged),
                ms(percentile(lagged, StrategyRun::lagMs, 95), lagged),
                runs.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", meanCalls(runs)),
                ratio(percentile(runs, StrategyRun::millis, 50), percentile(base, StrategyRun::millis, 50)),
                ratio(meanCalls(runs), meanCalls(base)));
    }

    /** Nearest-rank percentile (0 &lt; p &lt;= 100); 0 when empty. */
    public static long percentile(List<StrategyRun> runs, ToLongFunction<StrategyRun> f, double p) {
        long[] v = runs.stream().mapToLong(f).sorted().toArray();
        if (v.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length, rank) - 1)];
    }

    public static double meanCalls(List<StrategyRun> runs) {
        return runs.stream().mapToInt(StrategyRun::calls).average().orElse(0);
    }

    private static String ms(long v, List<StrategyRun> over) {
        return over.isEmpty() ? "-" : v + " ms";
    }

    private static String ratio(double v, double base) {
        return base <= 0 ? "-" : String.format(Locale.ROOT, "%.2fx", v / base);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
