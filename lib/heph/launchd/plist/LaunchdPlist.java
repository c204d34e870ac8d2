package heph.launchd.plist;

import com.dd.plist.NSArray;
import com.dd.plist.NSData;
import com.dd.plist.NSDate;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import com.dd.plist.XMLPropertyListParser;
import com.dd.plist.XMLPropertyListWriter;
import heph.HephException;
import heph.fs.BoundedRead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilder;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/** Renders a {@link JobSpec} as a launchd plist, and reads, compares and queries plists. Pure except {@link #read}. */
public final class LaunchdPlist {
    private LaunchdPlist() {
    }

    /**
     * The plist for {@code spec}, keys in this order: Label, ProgramArguments, RunAtLoad=true, KeepAlive=true,
     * EnvironmentVariables (left out when empty), StandardOutPath, StandardErrorPath (each left out when null).
     */
    public static NSDictionary render(JobSpec spec) {
        NSDictionary d = new NSDictionary();
        d.put("Label", new NSString(spec.label()));
        d.put("ProgramArguments", new NSArray(spec.programArguments().stream().map(NSString::new)
                .toArray(NSObject[]::new)));
        d.put("RunAtLoad", new NSNumber(true));
        d.put("KeepAlive", new NSNumber(true));
        if (!spec.environment().isEmpty()) {
            NSDictionary env = new NSDictionary();
            spec.environment().forEach((k, v) -> env.put(k, new NSString(v)));
            d.put("EnvironmentVariables", env);
        }
        if (spec.stdoutPath() != null) {
            d.put("StandardOutPath", new NSString(spec.stdoutPath()));
        }
        if (spec.stderrPath() != null) {
            d.put("StandardErrorPath", new NSString(spec.stderrPath()));
        }
        return d;
    }

    /** XML plist bytes (UTF-8, Apple DOCTYPE, tab indentation, insertion order), ending with one newline. */
    public static byte[] toXml(NSDictionary plist) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLPropertyListWriter.write(plist, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        String xml = out.toString(StandardCharsets.UTF_8);
        return (xml.endsWith("\n") ? xml : xml + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses an XML, binary or ASCII plist whose top level is a dictionary.
     *
     * @throws PlistParseException naming {@code source} when the bytes are not a plist or not a dictionary
     */
    public static NSDictionary parse(byte[] bytes, String source) {
        if (bytes == null || bytes.length == 0) {
            throw new PlistParseException(source, "empty; expected a launchd property list");
        }
        if (bytes.length > BoundedRead.DEFINITION_MAX) {
            throw new PlistParseException(source, BoundedRead.tooLarge(bytes.length, BoundedRead.DEFINITION_MAX));
        }
        boolean binary = bytes.length >= 6 && new String(bytes, 0, 6, StandardCharsets.ISO_8859_1).equals("bplist");
        byte[] utf16 = binary ? null : PlistShape.utf16XmlAsUtf8(bytes);
        boolean xml = !binary && utf16 == null && looksLikeXml(bytes);
        String shape = xml ? PlistShape.xmlProblem(bytes) : binary ? null
                : utf16 != null ? PlistShape.xmlProblem(utf16) : PlistShape.asciiProblem(bytes);
        if (shape != null) {
            throw new PlistParseException(source, shape);
        }
        NSObject root;
        try {
            root = xml || utf16 != null ? parseXml(bytes) : PropertyListParser.parse(bytes);
        } catch (StackOverflowError e) { // a binary plist's nesting is only known once parsed
            throw new PlistParseException(source, PlistShape.tooDeep());
        } catch (SAXParseException e) {
            throw new PlistParseException(source, "not a property list (malformed XML at line " + e.getLineNumber()
                    + ": " + oneLine(e.getMessage()) + ")");
        } catch (Exception e) { // dd-plist throws checked and unchecked exceptions alike on bad input
            throw new PlistParseException(source, "not a property list (" + oneLine(e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()) + "); expected an XML, binary or ASCII plist");
        }
        if (root instanceof NSDictionary dict) {
            String size = PlistShape.parsedProblem(dict);
            if (size != null) {
                throw new PlistParseException(source, size);
            }
            return dict;
        }
        throw new PlistParseException(source, "is a property list whose top level is " + kind(root)
                + "; expected a dictionary (a launchd job)");
    }

    /**
     * {@code parse(bytes, file.toString())} of the file's bytes, read by {@link BoundedRead} (a link followed, a
     * FIFO or device refused unopened, at most 1 MB); an unreadable file is a {@link HephException}.
     */
    public static NSDictionary read(Path file) {
        byte[] bytes;
        try {
            bytes = BoundedRead.definition(file);
        } catch (NoSuchFileException e) {
            throw HephException.failed(file + ": no such file; expected a launchd plist");
        } catch (BoundedRead.Refused e) {
            throw HephException.failed(file + ": " + e.getMessage() + "; expected a launchd plist");
        } catch (IOException e) {
            throw HephException.failed(file + ": cannot read (" + oneLine(String.valueOf(e.getMessage())) + ")");
        }
        return parse(bytes, file.toString());
    }

    /**
     * Whether two parsed plists describe the same job. Compared by value and type, never by bytes:
     * dictionary key order is irrelevant, arrays are ordered, strings compare by content; integers, reals and
     * booleans never equal one another (integer 1 != true, real 1.0 != integer 1, string "300" != integer 300);
     * reals compare numerically; dates at whole seconds (all XML can store); data by bytes. So XML, binary and
     * ASCII forms of one dictionary are the same job, while any added, removed or changed key (Label,
     * ProgramArguments, EnvironmentVariables, log paths, ...) makes a different job. Two nulls are the same.
     */
    public static boolean sameJob(NSDictionary a, NSDictionary b) {
        return same(a, b);
    }

    /** ProgramArguments as strings; [] when absent or not an array; non-string entries by their value's text. */
    public static List<String> programArguments(NSDictionary plist) {
        List<String> out = new ArrayList<>();
        if (plist != null && plist.get("ProgramArguments") instanceof NSArray array) {
            for (NSObject o : array.getArray()) {
                out.add(text(o));
            }
        }
        return List.copyOf(out);
    }

    public static Optional<String> label(NSDictionary plist) {
        return string(plist, "Label");
    }

    /** The string value of {@code key}; empty when absent or not a string. */
    public static Optional<String> string(NSDictionary plist, String key) {
        if (plist != null && plist.get(key) instanceof NSString s) {
            return Optional.of(s.getContent());
        }
        return Optional.empty();
    }

    private static boolean looksLikeXml(byte[] b) {
        int i = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        while (i < b.length && Character.isWhitespace(b[i])) {
            i++;
        }
        return i < b.length && b[i] == '<';
    }

    /** Like PropertyListParser's XML path, but errors are thrown instead of printed to stderr as "[Fatal Error]". */
    private static NSObject parseXml(byte[] bytes) throws Exception {
        DocumentBuilder builder = XMLPropertyListParser.getDocBuilder();
        builder.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) throws SAXParseException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXParseException {
                throw e;
            }
        });
        return XMLPropertyListParser.parse(builder.parse(new ByteArrayInputStream(bytes)));
    }

    private static boolean same(NSObject a, NSObject b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof NSDictionary x && b instanceof NSDictionary y) {
            return x.size() == y.size() && x.entrySet().stream()
                    .allMatch(e -> y.containsKey(e.getKey()) && same(e.getValue(), y.get(e.getKey())));
        }
        if (a instanceof NSArray x && b instanceof NSArray y) {
            NSObject[] xs = x.getArray();
            NSObject[] ys = y.getArray();
            if (xs.length != ys.length) {
                return false;
            }
            for (int i = 0; i < xs.length; i++) {
                if (!same(xs[i], ys[i])) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof NSString x && b instanceof NSString y) {
            return x.getContent().equals(y.getContent());
        }
        if (a instanceof NSNumber x && b instanceof NSNumber y) {
            if (x.type() != y.type()) {
                return false;
            }
            return switch (x.type()) {
                case NSNumber.BOOLEAN -> x.boolValue() == y.boolValue();
                case NSNumber.INTEGER -> x.longValue() == y.longValue();
                default -> Double.compare(x.doubleValue(), y.doubleValue()) == 0;
            };
        }
        if (a instanceof NSDate x && b instanceof NSDate y) {
            return Math.floorDiv(x.getDate().getTime(), 1000) == Math.floorDiv(y.getDate().getTime(), 1000);
        }
        if (a instanceof NSData x && b instanceof NSData y) {
            return Arrays.equals(x.bytes(), y.bytes());
        }
        return a.getClass() == b.getClass() && a.equals(b);
    }

    private static String text(NSObject o) {
        if (o instanceof NSString s) {
            return s.getContent();
        }
        if (o instanceof NSNumber n) {
            return n.toString();
        }
        Object j = o.toJavaObject();
        return j instanceof Object[] arr ? Arrays.deepToString(arr) : String.valueOf(j);
    }

    private static String kind(NSObject o) {
        if (o == null) {
            return "nothing";
        }
        if (o instanceof NSNumber n) {
            return n.isBoolean() ? "a boolean" : "a number";
        }
        String name = o.getClass().getSimpleName().replaceFirst("^NS", "").toLowerCase(java.util.Locale.ROOT);
        return (name.matches("^[aeiou].*") ? "an " : "a ") + name;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
