package heph.plan;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import heph.launchd.plist.LaunchdPlist;
import heph.systemd.ExecStartQuoting;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Environment values are secrets (API tokens, passwords): heph never prints them. Before a plist or unit file is
 * shown (a dry run's diff, in text and {@code --json}) every value of a plist's {@code EnvironmentVariables} and of
 * a unit's {@code Environment=} lines (commented-out ones too) reads {@value #REDACTED}; the names stay. A value that
 * differs between the two sides of a diff reads {@value #CHANGED} on the new side, so the diff still shows that line
 * changed without showing either value. Only environment values are redacted: program arguments, paths and every
 * other key are shown as they are. Pure.
 */
public final class Redaction {
    public static final String REDACTED = "<redacted>";
    public static final String CHANGED = "<redacted> (changed)";

    private static final Pattern PLIST_ENV = Pattern.compile(
            "<key>\\s*EnvironmentVariables\\s*</key>\\s*(?:<!--.*?-->\\s*)*<dict>", Pattern.DOTALL);
    private static final Pattern DICT_TAG = Pattern.compile("<dict>|</dict>");
    private static final Pattern PLIST_ENTRY = Pattern.compile(
            "(<key>)([^<]*)(</key>(?:\\s|<!--.*?-->)*<(string|integer|real|date|data)>)(.*?)(</\\4>)", Pattern.DOTALL);
    private static final Pattern PLIST_VALUE = Pattern.compile("(<(string|integer|real|date|data)>)(.*?)(</\\2>)",
            Pattern.DOTALL);
    private static final Pattern REDACTED_TYPED = Pattern.compile(
            "<(string|integer|real|date|data)><redacted>((?: \\(changed\\))?)</\\1>");
    private static final Pattern UNIT_CREDENTIAL = Pattern.compile(
            "^(\\s*(?:[#;]\\s*)?SetCredential(?:Encrypted)?\\s*=)(.*)$");
    private static final Pattern UNIT_ENV = Pattern.compile("^(\\s*(?:[#;]\\s*)?Environment\\s*=)(.*)$");

    private Redaction() {
    }

    /**
     * The unified diff of two plist texts ({@link UnifiedDiff#diff}), environment values redacted on both sides.
     * The text is redacted in place only when it is XML and parsing the redacted text gives the parsed original with
     * its environment values redacted. Otherwise (an ASCII plist, an EnvironmentVariables that is not a dictionary,
     * a comment or entity that could hold a value) both sides are diffed as the XML rendering of what they parse to,
     * environment values replaced, and the headers say "(shown as XML)"; a side that does not parse is not shown.
     */
    public static String plistDiff(String oldPath, String oldText, String newPath, String newText) {
        Map<String, String> before = new LinkedHashMap<>();
        String a = plist(oldText, Map.of(), before);
        String b = plist(newText, before, new LinkedHashMap<>());
        if (sure(oldText, a) && sure(newText, b)) {
            return UnifiedDiff.diff(oldPath, a, newPath, b);
        }
        Map<String, NSObject> seen = new LinkedHashMap<>();
        String x = asXml(oldText, Map.of(), seen);
        String y = asXml(newText, seen, new LinkedHashMap<>());
        return UnifiedDiff.diff(oldPath == null ? null : oldPath + " (shown as XML)", x,
                newPath == null ? null : newPath + " (shown as XML)", y);
    }

    /** Whether {@code redacted} is surely {@code text} with every environment value redacted and nothing else. */
    private static boolean sure(String text, String redacted) {
        if (text == null || text.isEmpty()) {
            return true;
        }
        if (!text.stripLeading().startsWith("<") || text.contains("<!--") || text.contains("<![CDATA[")
                || text.contains("<!ENTITY")) {
            return false;
        }
        NSDictionary original = parsed(text);
        // the marker as XML text, and a redacted <integer> (or date, data...) as a string, for this check
        NSDictionary shown = parsed(REDACTED_TYPED.matcher(redacted)
                .replaceAll("<string>&lt;redacted&gt;$2</string>"));
        if (original == null || shown == null) {
            return false;
        }
        NSObject want = collapse(structural(original, Map.of(), new LinkedHashMap<>(), false));
        return want.equals(collapse(shown)) && !hasWrongType(original);
    }

    private static NSDictionary parsed(String text) {
        try {
            return LaunchdPlist.parse(text.getBytes(StandardCharsets.UTF_8), "plist");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code text} parsed and rendered as XML, environment values redacted; a text that does not parse: a note. */
    private static String asXml(String text, Map<String, NSObject> other, Map<String, NSObject> seen) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        NSDictionary d = parsed(text);
        if (d == null) {
            return "(not shown: not a readable property list)\n";
        }
        NSObject r = structural(d, other, seen, true);
        return new String(LaunchdPlist.toXml((NSDictionary) r), StandardCharsets.UTF_8);
    }

    /**
     * A copy of {@code o} where each EnvironmentVariables value (at any depth) is redacted: a dictionary's values
     * each, anything else whole. {@code marks}: whether a value {@code other} holds differently reads CHANGED.
     */
    private static NSObject structural(NSObject o, Map<String, NSObject> other, Map<String, NSObject> seen,
            boolean marks) {
        if (o instanceof NSDictionary d) {
            NSDictionary copy = new NSDictionary();
            for (Map.Entry<String, NSObject> e : d.entrySet()) {
                if (!e.getKey().equals("EnvironmentVariables")) {
                    copy.put(e.getKey(), structural(e.getValue(), other, seen, marks));
                } else if (e.getValue() instanceof NSDictionary env) {
                    NSDictionary r = new NSDictionary();
                    for (Map.Entry<String, NSObject> v : env.entrySet()) {
                        seen.put(v.getKey(), v.getValue());
                        boolean changed = marks && other.containsKey(v.getKey())
                                && !Objects.equals(other.get(v.getKey()), v.getValue());
                        r.put(v.getKey(), new NSString(changed ? CHANGED : REDACTED));
                    }
                    copy.put(e.getKey(), r);
                } else {
                    copy.put(e.getKey(), new NSString(REDACTED));
                }
            }
            return copy;
        }
        if (o instanceof NSArray a) {
            NSObject[] items = a.getArray();
            NSObject[] r = new NSObject[items.length];
            for (int i = 0; i < items.length; i++) {
                r[i] = structural(items[i], other, seen, marks);
            }
            return new NSArray(r);
        }
        return o;
    }

    /** {@code o} with every CHANGED marker read as REDACTED (the text and structural paths mark alike). */
    private static NSObject collapse(NSObject o) {
        if (o instanceof NSString s && s.getContent().equals(CHANGED)) {
            return new NSString(REDACTED);
        }
        if (o instanceof NSDictionary d) {
            NSDictionary copy = new NSDictionary();
            d.forEach((k, v) -> copy.put(k, collapse(v)));
            return copy;
        }
        if (o instanceof NSArray a) {
            NSObject[] items = a.getArray();
            NSObject[] r = new NSObject[items.length];
            for (int i = 0; i < items.length; i++) {
                r[i] = collapse(items[i]);
            }
            return new NSArray(r);
        }
        return o;
    }

    /** Whether an EnvironmentVariables (at any depth) is not a dictionary: the text path cannot redact it whole. */
    private static boolean hasWrongType(NSObject o) {
        if (o instanceof NSDictionary d) {
            for (Map.Entry<String, NSObject> e : d.entrySet()) {
                if (e.getKey().equals("EnvironmentVariables") ? !(e.getValue() instanceof NSDictionary)
                        : hasWrongType(e.getValue())) {
                    return true;
                }
            }
        }
        if (o instanceof NSArray a) {
            for (NSObject item : a.getArray()) {
                if (hasWrongType(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The unified diff of two unit texts ({@link UnifiedDiff#diff}), Environment= values redacted on both sides. */
    public static String unitDiff(String oldPath, String oldText, String newPath, String newText) {
        Map<String, String> before = new LinkedHashMap<>();
        String a = unit(oldText, Map.of(), before);
        String b = unit(newText, before, new LinkedHashMap<>());
        return UnifiedDiff.diff(oldPath, a, newPath, b);
    }

    /** {@code text} (plist XML) with every value of every EnvironmentVariables dictionary redacted. */
    public static String plist(String text) {
        return plist(text, Map.of(), new LinkedHashMap<>());
    }

    /** {@code text} (a unit file) with every value of every Environment= line redacted. */
    public static String unit(String text) {
        return unit(text, Map.of(), new LinkedHashMap<>());
    }

    /**
     * Redacts {@code text}; a value whose name {@code other} holds with another value reads {@link #CHANGED}.
     * {@code seen} receives the raw values by name.
     */
    static String plist(String text, Map<String, String> other, Map<String, String> seen) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        Matcher start = PLIST_ENV.matcher(text);
        int at = 0;
        while (start.find(at)) {
            int bodyFrom = start.end();
            int bodyTo = dictEnd(text, bodyFrom);
            out.append(text, at, bodyFrom);
            out.append(plistBody(text.substring(bodyFrom, bodyTo), other, seen));
            at = bodyTo;
        }
        out.append(text.substring(at));
        return out.toString();
    }

    /** Where the dictionary whose body starts at {@code from} closes (the text's end when it never does). */
    private static int dictEnd(String text, int from) {
        Matcher tag = DICT_TAG.matcher(text);
        int depth = 1;
        int at = from;
        while (tag.find(at)) {
            depth += tag.group().equals("<dict>") ? 1 : -1;
            if (depth == 0) {
                return tag.start();
            }
            at = tag.end();
        }
        return text.length();
    }

    private static String plistBody(String body, Map<String, String> other, Map<String, String> seen) {
        Matcher m = PLIST_ENTRY.matcher(body);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String key = m.group(2).strip();
            String value = m.group(5);
            seen.put(key, value);
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + m.group(2) + m.group(3)
                    + marker(key, value, other) + m.group(6)));
        }
        m.appendTail(b);
        // anything left that is not an entry heph recognized (a stray value, an odd layout) is redacted too
        Matcher rest = PLIST_VALUE.matcher(b.toString());
        StringBuilder c = new StringBuilder();
        while (rest.find()) {
            String v = rest.group(3);
            String kept = v.equals(REDACTED) || v.equals(CHANGED) ? v : REDACTED;
            rest.appendReplacement(c, Matcher.quoteReplacement(rest.group(1) + kept + rest.group(4)));
        }
        rest.appendTail(c);
        return c.toString();
    }

    private static String marker(String key, String value, Map<String, String> other) {
        return other.containsKey(key) && !Objects.equals(other.get(key), value) ? CHANGED : REDACTED;
    }

    /** Like {@link #plist(String, Map, Map)} for a unit file: Environment= lines, continuations joined. */
    static String unit(String text, Map<String, String> other, Map<String, String> seen) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = UNIT_ENV.matcher(line);
            if (m.matches()) {
                StringBuilder value = new StringBuilder(m.group(2));
                while (continues(value) && i + 1 < lines.size()) {
                    value.setLength(value.length() - 1);
                    value.append(' ').append(lines.get(++i));
                }
                line = m.group(1) + assignments(value.toString().strip(), other, seen);
            }
            Matcher c = UNIT_CREDENTIAL.matcher(line);
            if (c.matches()) { // SetCredential=ID:DATA: systemd's own place for a secret; the ID stays
                StringBuilder value = new StringBuilder(c.group(2));
                while (continues(value) && i + 1 < lines.size()) {
                    value.setLength(value.length() - 1);
                    value.append(' ').append(lines.get(++i));
                }
                String v = value.toString().strip();
                int colon = v.indexOf(':');
                String id = colon < 0 ? "" : v.substring(0, colon);
                seen.put("credential " + id, v);
                line = c.group(1) + (colon < 0 ? "" : id + ":") + marker("credential " + id, v, other);
            }
            out.append(line).append(i + 1 < lines.size() ? "\n" : "");
        }
        return out.toString();
    }

    private static boolean continues(CharSequence s) {
        int n = 0;
        for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    /** The words of one Environment= value, each {@code "NAME=<redacted>"}; unreadable quoting: all redacted. */
    private static String assignments(String value, Map<String, String> other, Map<String, String> seen) {
        if (value.isEmpty()) {
            return "";
        }
        List<String> words;
        try {
            words = ExecStartQuoting.words(value);
        } catch (IllegalArgumentException e) {
            return REDACTED;
        }
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            b.append(b.length() == 0 ? "" : " ");
            int eq = w.indexOf('=');
            if (eq <= 0) {
                b.append(REDACTED);
                continue;
            }
            String name = w.substring(0, eq);
            String v = w.substring(eq + 1);
            seen.put(name, v);
            b.append('"').append(name.replace("\\", "\\\\").replace("\"", "\\\"")).append('=')
                    .append(marker(name, v, other)).append('"');
        }
        return b.toString();
    }
}
