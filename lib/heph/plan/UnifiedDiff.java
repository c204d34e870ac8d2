package heph.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two small texts (plists, unit files), as {@code diff -u} prints it: {@code --- a/<path>} and
 * {@code +++ b/<path>} headers ({@code /dev/null} for a file that does not exist on that side), then {@code @@}
 * hunks with {@link #CONTEXT} lines of context. Pure. Lines are compared whole; the common head and tail are
 * trimmed, and the rest is matched by a longest common subsequence (files heph diffs are small; past
 * {@link #MAX_CELLS} the middle is shown as replaced whole). Identical texts give "".
 */
public final class UnifiedDiff {
    public static final int CONTEXT = 3;
    static final long MAX_CELLS = 4_000_000;
    static final String NO_NEWLINE = "\\ No newline at end of file";

    private UnifiedDiff() {
    }

    /** One side of the diff: its path (absolute or relative), or null for a file that does not exist. */
    public static String diff(String oldPath, String oldText, String newPath, String newText) {
        String before = oldText == null ? "" : oldText;
        String after = newText == null ? "" : newText;
        if (before.equals(after)) {
            return "";
        }
        List<String> a = lines(before);
        List<String> b = lines(after);
        List<Op> ops = ops(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(header("a", oldPath)).append('\n');
        out.append("+++ ").append(header("b", newPath)).append('\n');
        for (int[] h : hunks(ops)) {
            hunk(out, ops, h[0], h[1]);
        }
        return out.toString();
    }

    private static String header(String side, String path) {
        if (path == null) {
            return "/dev/null";
        }
        return side + "/" + (path.startsWith("/") ? path.substring(1) : path);
    }

    /** One line of the edit script: ' ' kept, '-' only in the old text, '+' only in the new. */
    record Op(char kind, String line, int oldNo, int newNo) {
    }

    /** Lines with their ends: a last line without '\n' keeps the marker diff prints for it. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                out.add(text.substring(start) + "\n" + NO_NEWLINE);
                break;
            }
            out.add(text.substring(start, nl));
            start = nl + 1;
        }
        return out;
    }

    static List<Op> ops(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < head; i++) {
            ops.add(new Op(' ', a.get(i), i, i));
        }
        middle(a.subList(head, a.size() - tail), b.subList(head, b.size() - tail), head, head, ops);
        for (int k = tail; k > 0; k--) {
            int i = a.size() - k;
            int j = b.size() - k;
            ops.add(new Op(' ', a.get(i), i, j));
        }
        return ops;
    }

    /** The LCS edit script of the differing middle; deletions before insertions at each change, as diff does. */
    private static void middle(List<String> a, List<String> b, int i0, int j0, List<Op> ops) {
        int n = a.size();
        int m = b.size();
        if ((long) n * m > MAX_CELLS) {
            for (int i = 0; i < n; i++) {
                ops.add(new Op('-', a.get(i), i0 + i, j0));
            }
            for (int j = 0; j < m; j++) {
                ops.add(new Op('+', b.get(j), i0 + n, j0 + j));
            }
            return;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                ops.add(new Op(' ', a.get(i), i0 + i, j0 + j));
                i++;
                j++;
            } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new Op('-', a.get(i), i0 + i, j0 + j));
                i++;
            } else {
                ops.add(new Op('+', b.get(j), i0 + i, j0 + j));
                j++;
            }
        }
    }

    /** [from, to) ranges of ops, each a hunk: changes with up to CONTEXT kept lines around, close ones merged. */
    private static List<int[]> hunks(List<Op> ops) {
        List<int[]> out = new ArrayList<>();
        int k = 0;
        while (k < ops.size()) {
            if (ops.get(k).kind() == ' ') {
                k++;
                continue;
            }
            int from = Math.max(0, k - CONTEXT);
            int end = k; // one past the last change of this hunk
            int scan = k;
            while (scan < ops.size()) {
                if (ops.get(scan).kind() != ' ') {
                    end = scan + 1;
                    scan++;
                } else if (scan - end < 2 * CONTEXT) {
                    scan++;
                } else {
                    break;
                }
            }
            int to = Math.min(ops.size(), end + CONTEXT);
            if (!out.isEmpty() && out.get(out.size() - 1)[1] >= from) {
                out.get(out.size() - 1)[1] = to;
            } else {
                out.add(new int[] {from, to});
            }
            k = end;
        }
        return out;
    }

    private static void hunk(StringBuilder out, List<Op> ops, int from, int to) {
        int oldCount = 0;
        int newCount = 0;
        for (int k = from; k < to; k++) {
            char kind = ops.get(k).kind();
            oldCount += kind == '+' ? 0 : 1;
            newCount += kind == '-' ? 0 : 1;
        }
        Op first = ops.get(from);
        // diff's convention: an empty range is named by the line before it
        int oldStart = oldCount == 0 ? first.oldNo() : first.oldNo() + 1;
        int newStart = newCount == 0 ? first.newNo() : first.newNo() + 1;
        out.append("@@ -").append(range(oldStart, oldCount)).append(" +").append(range(newStart, newCount))
                .append(" @@\n");
        for (int k = from; k < to; k++) {
            out.append(ops.get(k).kind()).append(ops.get(k).line()).append('\n');
        }
    }

    private static String range(int start, int count) {
        return count == 1 ? String.valueOf(start) : start + "," + count;
    }
}
