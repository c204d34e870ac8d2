package heph.sim.race;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders race cycles as a compact fixed-width table and race results as one summary line each. Pure. */
public final class RaceTable {
    public static final List<String> HEADER = List.of("step", "result", "path", "pid", "took", "waited", "tries",
            "interval", "socket", "note");

    private RaceTable() {
    }

    /** One row per cycle under a header; columns padded to their widest cell, two spaces apart. */
    public static String render(List<RaceCycle> cycles) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        cycles.forEach(c -> rows.add(row(c)));
        int[] width = new int[HEADER.size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(i == r.size() - 1 ? r.get(i) : pad(r.get(i), width[i] + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** The cells of one cycle, in {@link #HEADER} order. */
    public static List<String> row(RaceCycle c) {
        boolean naive = c.kind().equals("naive");
        String result = naive ? (c.ok() ? "ok" : "FAIL") : c.healthy() ? "ok" : "FAIL";
        String pid = (c.oldPid() == null ? "-" : c.oldPid()) + " -> " + (c.newPid() == null ? "-" : c.newPid());
        String interval = c.interval() == null ? "-" : c.interval() + (c.argvOk() ? "" : " (argv: no)");
        String note = naive ? (c.ok() ? "" : "exit " + c.exitCode() + ": " + c.error()
                + (c.path().equals("bootout+bootstrap") ? " (recovered)" : ""))
                : !c.ok() ? c.error() : !c.flagsKept() ? "baked flags lost" : "";
        return List.of(c.step(), result, c.path(), pid, c.millis() + " ms",
                c.waitedMs() > 0 ? c.waitedMs() + " ms" : "-", c.attempts() > 0 ? Integer.toString(c.attempts()) : "-",
                interval, c.socketOk() ? "answers" : "silent", note);
    }

    /** "reload: 0/30 failed (0.0%), p50 1834 ms, p95 2410 ms" plus the common error when something failed. */
    public static String summary(RaceResult r) {
        String line = String.format(Locale.ROOT, "%s: %d/%d failed (%.1f%%), p50 %d ms, p95 %d ms", r.kind(),
                r.failures(), r.count(), 100 * r.failureRate(), r.percentileMillis(50), r.percentileMillis(95));
        return r.failures() == 0 ? line : line + "; most common: " + r.commonError();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
