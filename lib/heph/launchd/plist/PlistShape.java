package heph.launchd.plist;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * What is checked before and after dd-plist sees a plist, in one linear pass each: dd-plist's parsers recurse
 * (100 000 nested arrays are a StackOverflowError), and its XML parser silently drops a reference to an entity it
 * does not know ({@code org.a&xxe;} became {@code org.a}) where launchd's own reader refuses the whole file. So:
 * at most {@link #MAX_DEPTH} levels of arrays and dictionaries, no entity declarations, and no entity references
 * but the five XML predefines and numeric character references.
 */
final class PlistShape {
    /** Far deeper than any launchd job (a few levels), far shallower than what overflows a parser's stack. */
    static final int MAX_DEPTH = 512;
    /** The most objects a parsed plist may expand to (a binary plist can share one array many times over). */
    static final int MAX_OBJECTS = 1_000_000;

    private static final Pattern KNOWN_REFERENCE = Pattern.compile("amp|lt|gt|quot|apos|#[0-9]{1,8}|#x[0-9A-Fa-f]{1,6}");

    private PlistShape() {
    }

    /** The problem with an XML plist's text, or null: too deep, an entity declaration, an unknown reference. */
    static String xmlProblem(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1); // markup is ASCII in UTF-8: offsets are bytes
        int depth = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '&') {
                int semi = s.indexOf(';', i);
                String name = semi < 0 || semi - i > 40 ? null : s.substring(i + 1, semi);
                if (name == null || !KNOWN_REFERENCE.matcher(name).matches()) {
                    String shown = name != null ? "&" + name + ";" : s.substring(i, Math.min(n, i + 20)) + "…";
                    return "uses the entity reference " + printable(shown) + ", which launchd refuses; expected only"
                            + " &amp; &lt; &gt; &quot; &apos; and numeric character references";
                }
                i = semi + 1;
            } else if (c != '<') {
                i++;
            } else if (s.startsWith("<!--", i)) {
                i = skipPast(s, i + 4, "-->");
            } else if (s.startsWith("<![CDATA[", i)) {
                i = skipPast(s, i + 9, "]]>");
            } else if (s.startsWith("<!DOCTYPE", i)) {
                int end = doctypeEnd(s, i);
                if (s.substring(i, end).contains("<!ENTITY")) {
                    return "declares entities (<!ENTITY in its DOCTYPE), which launchd refuses; expected a plain plist"
                            + " with the Apple DOCTYPE";
                }
                i = end;
            } else if (s.startsWith("<!ENTITY", i)) {
                return "declares entities (<!ENTITY), which launchd refuses; expected a plain plist with the Apple"
                        + " DOCTYPE";
            } else if (s.startsWith("<?", i) || s.startsWith("<!", i)) {
                i = skipPast(s, i + 2, ">");
            } else if (s.startsWith("</", i)) {
                depth--;
                i = skipPast(s, i + 2, ">");
            } else {
                int end = skipPast(s, i + 1, ">");
                if (s.charAt(end - 1) == '>' && s.charAt(end - 2) != '/' && ++depth > MAX_DEPTH + 2) {
                    return tooDeep(); // +2: <plist> and the top dictionary
                }
                i = end;
            }
        }
        return null;
    }

    /**
     * An XML plist in UTF-16 (dd-plist reads it too) as UTF-8, so {@link #xmlProblem} sees its markup; null when
     * {@code b} does not start like UTF-16 XML.
     */
    static byte[] utf16XmlAsUtf8(byte[] b) {
        if (b.length < 2) {
            return null;
        }
        int b0 = b[0] & 0xFF;
        int b1 = b[1] & 0xFF;
        java.nio.charset.Charset cs = (b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE) ? StandardCharsets.UTF_16
                : b0 == 0 && b1 != 0 ? StandardCharsets.UTF_16BE : b0 != 0 && b1 == 0 ? StandardCharsets.UTF_16LE : null;
        if (cs == null) {
            return null;
        }
        String text = new String(b, cs).strip();
        return text.startsWith("<") ? text.getBytes(StandardCharsets.UTF_8) : null;
    }

    /** The problem with an ASCII (OpenStep/GNUstep) plist's nesting, or null. Strings and comments are skipped. */
    static String asciiProblem(byte[] b) {
        int depth = 0;
        int i = 0;
        while (i < b.length) {
            byte c = b[i];
            if (c == '"' || c == '\'') {
                i++;
                while (i < b.length && b[i] != c) {
                    i += b[i] == '\\' ? 2 : 1;
                }
                i++;
            } else if (c == '/' && i + 1 < b.length && b[i + 1] == '*') {
                int j = i + 2;
                while (j + 1 < b.length && !(b[j] == '*' && b[j + 1] == '/')) {
                    j++;
                }
                i = j + 2;
            } else if (c == '/' && i + 1 < b.length && b[i + 1] == '/') {
                while (i < b.length && b[i] != '\n') {
                    i++;
                }
            } else {
                if (c == '(' || c == '{') {
                    if (++depth > MAX_DEPTH + 1) {
                        return tooDeep();
                    }
                } else if (c == ')' || c == '}') {
                    depth--;
                }
                i++;
            }
        }
        return null;
    }

    /** The problem with a parsed plist's size, or null: walked without recursion, shared objects counted each time. */
    static String parsedProblem(NSObject root) {
        Deque<Object[]> todo = new ArrayDeque<>();
        todo.push(new Object[] {root, 0});
        int seen = 0;
        while (!todo.isEmpty()) {
            Object[] top = todo.pop();
            int depth = (Integer) top[1];
            if (depth > MAX_DEPTH + 1) {
                return tooDeep();
            }
            if (++seen > MAX_OBJECTS) {
                return "holds more than " + MAX_OBJECTS + " objects; expected a launchd job";
            }
            if (top[0] instanceof NSArray a) {
                for (NSObject o : a.getArray()) {
                    todo.push(new Object[] {o, depth + 1});
                }
            } else if (top[0] instanceof NSDictionary d) {
                for (NSObject o : d.getHashMap().values()) {
                    todo.push(new Object[] {o, depth + 1});
                }
            }
        }
        return null;
    }

    static String tooDeep() {
        return "nests arrays and dictionaries more than " + MAX_DEPTH + " levels deep; expected a launchd job";
    }

    /** The end of a DOCTYPE declaration: its '>' after any internal subset in [ ]. */
    private static int doctypeEnd(String s, int from) {
        int bracket = s.indexOf('[', from);
        int close = s.indexOf('>', from);
        if (bracket >= 0 && (close < 0 || bracket < close)) {
            int end = s.indexOf("]", bracket);
            return end < 0 ? s.length() : skipPast(s, end, ">");
        }
        return close < 0 ? s.length() : close + 1;
    }

    private static int skipPast(String s, int from, String end) {
        int at = s.indexOf(end, from);
        return at < 0 ? s.length() : at + end.length();
    }

    private static String printable(String s) {
        return s.replaceAll("[\\p{Cntrl}]", "?");
    }
}
