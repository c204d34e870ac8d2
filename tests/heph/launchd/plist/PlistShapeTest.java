package heph.launchd.plist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Plists launchd's own reader refuses, and shapes that overflow a recursive parser or the heap: refused with one
 * line naming the file (a usage error for a given plist) before anything is installed, never an Error.
 */
@org.junit.jupiter.api.Tag("unit")
class PlistShapeTest {
    static final Path FILE = Path.of("/dotfiles/x.plist");
    static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD"
            + " PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n";

    static byte[] xml(String doctype, String label) {
        return ((doctype == null ? HEAD : "<?xml version=\"1.0\"?>\n" + doctype + "\n") + "<plist version=\"1.0\">"
                + "<dict><key>Label</key><string>" + label + "</string><key>Program</key><string>/bin/true</string>"
                + "</dict></plist>\n").getBytes(StandardCharsets.UTF_8);
    }

    static String refused(byte[] bytes) {
        HephException e = assertThrows(HephException.class, () -> AgentPlist.parse(bytes, FILE));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
        return e.getMessage();
    }

    /** The old parser dropped the unknown reference and installed Label org.a. */
    @Test
    void anEntityDeclarationIsRefused() {
        String m = refused(xml("<!DOCTYPE plist [<!ENTITY xxe \"evil\">]>", "org.a&xxe;"));
        assertEquals(FILE + ": declares entities (<!ENTITY in its DOCTYPE), which launchd refuses; expected a plain"
                + " plist with the Apple DOCTYPE", m);
        refused(xml("<!DOCTYPE plist [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>", "org.a"));
    }

    /** dd-plist reads UTF-16 XML too: the same refusal applies to it. */
    @Test
    void anEntityInUtf16XmlIsRefusedToo() {
        String text = new String(xml("<!DOCTYPE plist [<!ENTITY xxe \"evil\">]>", "org.a&xxe;"),
                StandardCharsets.UTF_8);
        for (java.nio.charset.Charset cs : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE)) {
            String m = refused(text.getBytes(cs));
            assertTrue(m.contains("declares entities"), cs + ": " + m);
        }
        String plain = new String(xml(null, "org.a"), StandardCharsets.UTF_8).replace("UTF-8", "UTF-16");
        assertEquals("org.a", AgentPlist.parse(plain.getBytes(StandardCharsets.UTF_16), FILE).label());
    }

    @Test
    void anUnknownReferenceIsRefused() {
        assertEquals(FILE + ": uses the entity reference &xxe;, which launchd refuses; expected only &amp; &lt; &gt;"
                + " &quot; &apos; and numeric character references", refused(xml(null, "org.a&xxe;")));
        refused(xml(null, "org.a&nbsp;"));
    }

    @Test
    void thePredefinedAndNumericReferencesAreAccepted() {
        byte[] b = ("" + HEAD + "<plist version=\"1.0\"><dict><key>Label</key><string>org.&#x61;&#98;</string>"
                + "<key>Program</key><string>/bin/true</string><key>X</key><string>&amp;&lt;&gt;&quot;&apos;</string>"
                + "<!-- &bogus; in a comment --><key>Y</key><string><![CDATA[&also;]]></string></dict></plist>")
                .getBytes(StandardCharsets.UTF_8);
        AgentPlist a = AgentPlist.parse(b, FILE);
        assertEquals("org.ab", a.label());
        assertEquals("&<>\"'", LaunchdPlist.string(a.dict(), "X").orElseThrow());
        assertEquals("&also;", LaunchdPlist.string(a.dict(), "Y").orElseThrow());
    }

    @Test
    void deepXmlIsRefusedBeforeParsing() {
        String deep = "<array>".repeat(60_000) + "</array>".repeat(60_000);
        byte[] b = (HEAD + "<plist version=\"1.0\"><dict><key>Label</key><string>org.a</string><key>Program</key>"
                + "<string>/bin/true</string><key>D</key>" + deep + "</dict></plist>").getBytes(StandardCharsets.UTF_8);
        assertTrue(refused(b).endsWith("nests arrays and dictionaries more than 512 levels deep; expected a launchd"
                + " job"));
    }

    @Test
    void deepAsciiIsRefusedBeforeParsing() {
        byte[] b = ("{ Label = \"org.a(\"; Program = /bin/true; D = " + "(".repeat(100_000) + ")".repeat(100_000)
                + "; }").getBytes(StandardCharsets.UTF_8);
        assertTrue(refused(b).contains("more than 512 levels deep"));
        // the same as a real nesting of 3 levels, with brackets inside strings and comments, is fine
        AgentPlist ok = AgentPlist.parse(("{ Label = \"org.a\"; Program = \"/bin/((\"; /* ((( */ D = ((1)); }")
                .getBytes(StandardCharsets.UTF_8), FILE);
        assertEquals("org.a", ok.label());
    }

    /** A binary plist's depth is only known by parsing it: dd-plist recurses, the StackOverflowError is caught. */
    @Test
    void deepBinaryIsRefusedNotAStackOverflow() {
        for (int n : new int[] {100_000, 600}) {
            String m = refused(nestedBinary(n));
            assertTrue(m.contains("512"), m); // dd-plist's own binary depth bound, or heph's
        }
        assertEquals("org.a", AgentPlist.parse(nestedLabelled(), FILE).label());
    }

    @Test
    void moreThanOneMegabyteIsRefused() {
        String pad = "<!--" + "x".repeat(1 << 20) + "-->";
        byte[] b = (HEAD + pad + "<plist version=\"1.0\"><dict/></plist>").getBytes(StandardCharsets.UTF_8);
        assertTrue(refused(b).contains("is larger than 1 MB"));
    }

    /** A binary plist {Label = org.a; Program = /bin/true; D = 5 nested arrays}: depth alone is no problem. */
    static byte[] nestedLabelled() {
        com.dd.plist.NSObject d = new com.dd.plist.NSArray(0);
        for (int i = 0; i < 5; i++) {
            d = new com.dd.plist.NSArray(d);
        }
        com.dd.plist.NSDictionary dict = new com.dd.plist.NSDictionary();
        dict.put("Label", "org.a");
        dict.put("Program", "/bin/true");
        dict.put("D", d);
        try {
            return com.dd.plist.BinaryPropertyListWriter.writeToArray(dict);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A binary plist of {@code n} arrays, each holding the next (the top one at index 0; the last one empty). */
    static byte[] nestedBinary(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("bplist00".getBytes(StandardCharsets.US_ASCII));
        int[] offsets = new int[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = out.size();
            if (i == n - 1) {
                out.write(0xA0);
            } else {
                out.write(0xA1);
                out.writeBytes(ByteBuffer.allocate(4).putInt(i + 1).array());
            }
        }
        int table = out.size();
        for (int off : offsets) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(off).array());
        }
        ByteBuffer trailer = ByteBuffer.allocate(32);
        trailer.position(6);
        trailer.put((byte) 4).put((byte) 4).putLong(n).putLong(0).putLong(table);
        out.writeBytes(trailer.array());
        return out.toByteArray();
    }
}
