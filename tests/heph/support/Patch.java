package heph.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/** A minimal `patch` for tests: applies a unified diff to a text, checking every context and removed line. */
public final class Patch {
    private Patch() {
    }

    public static String apply(String oldText, String diff) {
        List<String> old = oldText.isEmpty() ? List.of() : oldText.lines().toList();
        if (diff.isEmpty()) {
            return oldText;
        }
        List<String> out = new ArrayList<>();
        int next = 0; // old lines consumed
        List<String> d = diff.lines().toList();
        for (int k = 2; k < d.size(); k++) {
            String l = d.get(k);
            if (l.startsWith("@@")) {
                String[] parts = l.split(" ")[1].substring(1).split(",");
                int start = Integer.parseInt(parts[0]);
                int count = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
                int first = count == 0 ? start : start - 1;
                while (next < first) {
                    out.add(old.get(next++));
                }
            } else if (l.startsWith("+")) {
                out.add(l.substring(1));
            } else {
                assertEquals(old.get(next), l.substring(1), "context/removed line " + (next + 1));
                if (l.startsWith(" ")) {
                    out.add(old.get(next));
                }
                next++;
            }
        }
        while (next < old.size()) {
            out.add(old.get(next++));
        }
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }
}
