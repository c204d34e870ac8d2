package heph.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The unified-diff renderer: headers, hunks with 3 lines of context, the empty and identical cases. */
@org.junit.jupiter.api.Tag("unit")
class UnifiedDiffTest {
    static String lines(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i <= to; i++) {
            b.append("line ").append(i).append('\n');
        }
        return b.toString();
    }

    @Test
    void identicalTextsGiveNothing() {
        assertEquals("", UnifiedDiff.diff("/a/x.plist", "a\nb\n", "/a/x.plist", "a\nb\n"));
        assertEquals("", UnifiedDiff.diff(null, "", null, ""));
        assertEquals("", UnifiedDiff.diff(null, null, "/x", ""));
    }

    @Test
    void aNewFileIsDiffedFromDevNull() {
        assertEquals("""
                --- /dev/null
                +++ b/home/me/x.service
                @@ -0,0 +1,2 @@
                +[Unit]
                +Description=x
                """, UnifiedDiff.diff(null, "", "/home/me/x.service", "[Unit]\nDescription=x\n"));
    }

    @Test
    void aRemovedFileIsDiffedToDevNull() {
        assertEquals("""
                --- a/home/me/x.service
                +++ /dev/null
                @@ -1 +0,0 @@
                -[Unit]
                """, UnifiedDiff.diff("/home/me/x.service", "[Unit]\n", null, ""));
    }

    @Test
    void oneChangedLineWithThreeLinesOfContext() {
        String before = lines(1, 10);
        String after = before.replace("line 5\n", "line five\n");
        assertEquals("""
                --- a/f
                +++ b/f
                @@ -2,7 +2,7 @@
                 line 2
                 line 3
                 line 4
                -line 5
                +line five
                 line 6
                 line 7
                 line 8
                """, UnifiedDiff.diff("f", before, "f", after));
    }

    @Test
    void farApartChangesAreTwoHunksAndCloseOnesOne() {
        String before = lines(1, 20);
        String far = before.replace("line 2\n", "two\n").replace("line 18\n", "eighteen\n");
        String d = UnifiedDiff.diff("f", before, "f", far);
        assertEquals(2, d.lines().filter(l -> l.startsWith("@@")).count(), d);
        assertTrue(d.contains("@@ -1,5 +1,5 @@\n line 1\n-line 2\n+two\n"), d);
        assertTrue(d.contains("@@ -15,6 +15,6 @@\n"), d);
        // six unchanged lines between two changes (2 x context) still make one hunk, as diff -u does
        String close = before.replace("line 2\n", "two\n").replace("line 9\n", "nine\n");
        String c = UnifiedDiff.diff("f", before, "f", close);
        assertEquals(1, c.lines().filter(l -> l.startsWith("@@")).count(), c);
        assertTrue(c.contains("@@ -1,12 +1,12 @@\n"), c);
    }

    @Test
    void insertionsAndDeletionsAtTheEdges() {
        assertEquals("""
                --- a/f
                +++ b/f
                @@ -1,3 +1,4 @@
                +first
                 a
                 b
                 c
                """, UnifiedDiff.diff("f", "a\nb\nc\n", "f", "first\na\nb\nc\n"));
        assertEquals("""
                --- a/f
                +++ b/f
                @@ -3,4 +3,3 @@
                 c
                 d
                 e
                -f
                """, UnifiedDiff.diff("f", "a\nb\nc\nd\ne\nf\n", "f", "a\nb\nc\nd\ne\n"));
    }

    @Test
    void aMissingFinalNewlineIsMarked() {
        assertEquals("""
                --- a/f
                +++ b/f
                @@ -1,2 +1,2 @@
                 a
                -b
                \\ No newline at end of file
                +b
                """, UnifiedDiff.diff("f", "a\nb", "f", "a\nb\n"));
    }

    /** Applying the hunks to the old text gives the new one, for seeded random edits. */
    @Test
    void hunksApplyBackToTheNewText() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            List<String> a = new ArrayList<>();
            for (int i = 0, n = rnd.nextInt(30); i < n; i++) {
                a.add("l" + rnd.nextInt(8));
            }
            List<String> b = new ArrayList<>(a);
            for (int e = 0, n = 1 + rnd.nextInt(5); e < n; e++) {
                int at = b.isEmpty() ? 0 : rnd.nextInt(b.size() + 1);
                switch (rnd.nextInt(3)) {
                    case 0 -> b.add(at, "new" + rnd.nextInt(4));
                    case 1 -> { if (at < b.size()) b.remove(at); }
                    default -> { if (at < b.size()) b.set(at, "chg" + rnd.nextInt(4)); }
                }
            }
            String oldText = a.isEmpty() ? "" : String.join("\n", a) + "\n";
            String newText = b.isEmpty() ? "" : String.join("\n", b) + "\n";
            String d = UnifiedDiff.diff("f", oldText, "f", newText);
            assertEquals(newText, heph.support.Patch.apply(oldText, d), "trial " + trial + ":\n" + d);
        }
    }
}
