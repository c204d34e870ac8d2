package heph.launchd;

import heph.launchd.plist.JobSpec;
import heph.launchd.plist.PlistParseException;
import heph.launchd.plist.LaunchdPlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.BinaryPropertyListWriter;
import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import heph.ExitCode;
import heph.HephException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.parallel.Isolated("swaps System.err to see that parsing prints nothing there")
@org.junit.jupiter.api.Tag("unit")
class LaunchdPlistTest {
    static final String HOME = "/Users/alice";

    static JobSpec hephd() {
        Map<String, String> env = new LinkedHashMap<>(); // deliberately unsorted: render sorts by name
        env.put("RUSTUP_TOOLCHAIN", "stable");
        env.put("HEPH_QUICKADD", "1");
        env.put("PATH", HOME + "/.cargo/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        return new JobSpec("org.hephaestus.hephd",
                List.of(HOME + "/.cargo/bin/hephd", "--mode", "local", "--db", HOME + "/.local/share/heph/heph.db",
                        "--socket", HOME + "/.local/share/heph/hephd.sock"),
                env, HOME + "/Library/Logs/heph/hephd.out.log", HOME + "/Library/Logs/heph/hephd.err.log");
    }

    static NSDictionary xmlRoundTrip(NSDictionary d) {
        return LaunchdPlist.parse(LaunchdPlist.toXml(d), "round trip");
    }

    @Test
    void goldenHephdPlist() {
        String expected = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                \t<key>Label</key>
                \t<string>org.hephaestus.hephd</string>
                \t<key>ProgramArguments</key>
                \t<array>
                \t\t<string>/Users/alice/.cargo/bin/hephd</string>
                \t\t<string>--mode</string>
                \t\t<string>local</string>
                \t\t<string>--db</string>
                \t\t<string>/Users/alice/.local/share/heph/heph.db</string>
                \t\t<string>--socket</string>
                \t\t<string>/Users/alice/.local/share/heph/hephd.sock</string>
                \t</array>
                \t<key>RunAtLoad</key>
                \t<true/>
                \t<key>KeepAlive</key>
                \t<true/>
                \t<key>EnvironmentVariables</key>
                \t<dict>
                \t\t<key>HEPH_QUICKADD</key>
                \t\t<string>1</string>
                \t\t<key>PATH</key>
                \t\t<string>/Users/alice/.cargo/bin:/usr/bin:/bin:/usr/sbin:/sbin</string>
                \t\t<key>RUSTUP_TOOLCHAIN</key>
                \t\t<string>stable</string>
                \t</dict>
                \t<key>StandardOutPath</key>
                \t<string>/Users/alice/Library/Logs/heph/hephd.out.log</string>
                \t<key>StandardErrorPath</key>
                \t<string>/Users/alice/Library/Logs/heph/hephd.err.log</string>
                </dict>
                </plist>
                """;
        assertEquals(expected, new String(LaunchdPlist.toXml(LaunchdPlist.render(hephd())), StandardCharsets.UTF_8));
    }

    @Test
    void toXmlIsUtf8AndEndsWithExactlyOneNewline() {
        JobSpec spec = new JobSpec("org.hephaestus.hephd", List.of("/Users/zoë/bin/hephd", "a&b<c>"), Map.of(),
                "/Users/zoë/Library/Logs/hephd.log", null);
        byte[] xml = LaunchdPlist.toXml(LaunchdPlist.render(spec));
        String text = new String(xml, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("</plist>\n") && !text.endsWith("\n\n"), text);
        assertTrue(text.contains("/Users/zo\u00eb/bin/hephd"), text); // UTF-8, not a character reference
        assertEquals(spec.programArguments(), LaunchdPlist.programArguments(xmlRoundTrip(LaunchdPlist.render(spec))));
    }

    @Test
    void renderLeavesOutEmptyEnvironmentAndNullLogPaths() {
        NSDictionary d = LaunchdPlist.render(JobSpec.of("org.hephaestus.hephd", List.of("/usr/local/bin/hephd")));
        assertEquals(List.of("Label", "ProgramArguments", "RunAtLoad", "KeepAlive"), List.of(d.allKeys()));
        assertEquals(new NSNumber(true), d.get("RunAtLoad"));
        assertEquals(new NSNumber(true), d.get("KeepAlive"));
    }

    @Test
    void roundTripRenderToXmlParseIsTheSameJob() {
        NSDictionary rendered = LaunchdPlist.render(hephd());
        NSDictionary parsed = xmlRoundTrip(rendered);
        assertTrue(LaunchdPlist.sameJob(rendered, parsed));
        assertEquals(rendered, parsed);
        assertEquals(hephd().programArguments(), LaunchdPlist.programArguments(parsed));
        assertEquals(Optional.of("org.hephaestus.hephd"), LaunchdPlist.label(parsed));
        assertEquals(Optional.of(HOME + "/Library/Logs/heph/hephd.err.log"),
                LaunchdPlist.string(parsed, "StandardErrorPath"));
        NSDictionary env = (NSDictionary) parsed.get("EnvironmentVariables");
        assertEquals(hephd().environment().keySet(), env.keySet());
        assertEquals(new NSString("stable"), env.get("RUSTUP_TOOLCHAIN"));
    }

    @Test
    void sameJobIgnoresKeyOrder() {
        NSDictionary rendered = LaunchdPlist.render(hephd());
        NSDictionary reordered = new NSDictionary();
        List<String> keys = List.of(rendered.allKeys());
        for (int i = keys.size() - 1; i >= 0; i--) {
            reordered.put(keys.get(i), rendered.get(keys.get(i)));
        }
        assertFalse(List.of(reordered.allKeys()).equals(keys)); // the order really differs
        assertTrue(LaunchdPlist.sameJob(rendered, reordered));
        assertTrue(LaunchdPlist.sameJob(xmlRoundTrip(reordered), rendered));
    }

    @Test
    void sameJobAcrossBinaryAndXml() throws IOException {
        NSDictionary rendered = LaunchdPlist.render(hephd());
        NSDictionary binary = LaunchdPlist.parse(BinaryPropertyListWriter.writeToArray(rendered), "binary");
        assertTrue(LaunchdPlist.sameJob(xmlRoundTrip(rendered), binary));
    }

    @Test
    void sameJobComparesRealsByValue() throws IOException {
        // dd-plist 1.30: a real built from a Java double does not equals() its parsed copy; sameJob must say same
        NSDictionary d = new NSDictionary();
        d.put("X", new NSNumber(1.5));
        assertTrue(LaunchdPlist.sameJob(d, LaunchdPlist.parse(BinaryPropertyListWriter.writeToArray(d), "binary")));
        assertTrue(LaunchdPlist.sameJob(d, xmlRoundTrip(d)));
    }

    @Test
    void sameJobIsFalseForAChangedArgument() {
        JobSpec a = hephd();
        List<String> args = new ArrayList<>(a.programArguments());
        args.set(2, "server");
        JobSpec b = new JobSpec(a.label(), args, a.environment(), a.stdoutPath(), a.stderrPath());
        assertFalse(LaunchdPlist.sameJob(LaunchdPlist.render(a), LaunchdPlist.render(b)));
        JobSpec extra = new JobSpec(a.label(), append(a.programArguments(), "--self-update"), a.environment(),
                a.stdoutPath(), a.stderrPath());
        assertFalse(LaunchdPlist.sameJob(LaunchdPlist.render(a), LaunchdPlist.render(extra)));
    }

    @Test
    void sameJobIsFalseForAChangedEnvironment() {
        JobSpec a = hephd();
        Map<String, String> changed = new LinkedHashMap<>(a.environment());
        changed.put("RUSTUP_TOOLCHAIN", "nightly");
        Map<String, String> added = new LinkedHashMap<>(a.environment());
        added.put("HEPH_SOCKET", "/tmp/h.sock");
        for (Map<String, String> env : List.of(changed, added, Map.<String, String>of())) {
            JobSpec b = new JobSpec(a.label(), a.programArguments(), env, a.stdoutPath(), a.stderrPath());
            assertFalse(LaunchdPlist.sameJob(LaunchdPlist.render(a), xmlRoundTrip(LaunchdPlist.render(b))), env::toString);
        }
    }

    @Test
    void sameJobIsTypeStrict() { // docs/facts/jbang.md §4 dd-plist: integer 1 != <true/>, "300" != 300
        NSDictionary rendered = LaunchdPlist.render(hephd());
        NSDictionary intKeepAlive = xmlRoundTrip(rendered);
        intKeepAlive.put("KeepAlive", new NSNumber(1));
        assertFalse(LaunchdPlist.sameJob(rendered, intKeepAlive));
        assertFalse(LaunchdPlist.sameJob(dict("ExitTimeOut", new NSString("300")), dict("ExitTimeOut", new NSNumber(300))));
        assertFalse(LaunchdPlist.sameJob(dict("ExitTimeOut", new NSNumber(1.0)), dict("ExitTimeOut", new NSNumber(1))));
        assertTrue(LaunchdPlist.sameJob(dict("ExitTimeOut", new NSNumber(300)), dict("ExitTimeOut", new NSNumber(300L))));
    }

    @Test
    void sameJobIsFalseForAMissingOrExtraKeyAndForNull() {
        NSDictionary rendered = LaunchdPlist.render(hephd());
        NSDictionary fewer = xmlRoundTrip(rendered);
        fewer.remove("StandardOutPath");
        assertFalse(LaunchdPlist.sameJob(rendered, fewer));
        assertFalse(LaunchdPlist.sameJob(fewer, rendered));
        NSDictionary more = xmlRoundTrip(rendered);
        more.put("ThrottleInterval", new NSNumber(10));
        assertFalse(LaunchdPlist.sameJob(rendered, more));
        assertFalse(LaunchdPlist.sameJob(rendered, null));
        assertTrue(LaunchdPlist.sameJob(null, null));
    }

    @Test
    void garbageIsAPlistParseExceptionNamingTheSource() {
        PlistParseException e = assertThrows(PlistParseException.class, () -> LaunchdPlist.parse(
                "hello, this is not a plist\n".getBytes(StandardCharsets.UTF_8), "/tmp/garbage.plist"));
        assertTrue(e.getMessage().startsWith("/tmp/garbage.plist: not a property list"), e.getMessage());
        assertEquals("/tmp/garbage.plist", e.source());
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertInstanceOf(HephException.class, e);
        assertThrows(PlistParseException.class, () -> LaunchdPlist.parse(new byte[0], "empty.plist"));
        assertThrows(PlistParseException.class, () -> LaunchdPlist.parse("bplist00junk".getBytes(), "bin.plist"));
    }

    @Test
    void jsonFileIsAPlistParseExceptionNamingThePath(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("org.hephaestus.hephd.plist");
        Files.writeString(json, "{\"Label\": \"org.hephaestus.hephd\", \"KeepAlive\": true}\n");
        PlistParseException e = assertThrows(PlistParseException.class, () -> LaunchdPlist.read(json));
        assertTrue(e.getMessage().startsWith(json + ": not a property list"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void malformedXmlNamesTheLineAndPrintsNothingToStderr() {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
                + "\t<key>Label</key>\n</plist>\n";
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PlistParseException e;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            e = assertThrows(PlistParseException.class,
                    () -> LaunchdPlist.parse(xml.getBytes(StandardCharsets.UTF_8), "bad.plist"));
        } finally {
            System.setErr(saved);
        }
        assertTrue(e.getMessage().startsWith("bad.plist: not a property list (malformed XML at line 5"), e.getMessage());
        assertEquals("", err.toString(StandardCharsets.UTF_8)); // no "[Fatal Error]" from the default SAX handler
    }

    @Test
    void arrayPlistIsRejectedAsNotADictionary() {
        NSArray array = new NSArray(new NSString("org.hephaestus.hephd"));
        String xml = array.toXMLPropertyList();
        PlistParseException e = assertThrows(PlistParseException.class,
                () -> LaunchdPlist.parse(xml.getBytes(StandardCharsets.UTF_8), "array.plist"));
        assertEquals("array.plist: is a property list whose top level is an array; expected a dictionary (a launchd job)",
                e.getMessage());
    }

    @Test
    void readOfAMissingFileIsAFailureNamingThePath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.plist");
        HephException e = assertThrows(HephException.class, () -> LaunchdPlist.read(missing));
        assertFalse(e instanceof PlistParseException);
        assertEquals(missing + ": no such file; expected a launchd plist", e.getMessage());
        assertEquals(ExitCode.FAILED, e.exitCode());
    }

    @Test
    void readParsesAFileWrittenByToXml(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("org.hephaestus.hephd.plist");
        Files.write(file, LaunchdPlist.toXml(LaunchdPlist.render(hephd())));
        assertTrue(LaunchdPlist.sameJob(LaunchdPlist.render(hephd()), LaunchdPlist.read(file)));
    }

    @Test
    void programArgumentsIsEmptyWhenAbsentAndStringifiesOtherEntries() {
        assertEquals(List.of(), LaunchdPlist.programArguments(new NSDictionary()));
        assertEquals(List.of(), LaunchdPlist.programArguments(dict("ProgramArguments", new NSString("/bin/x"))));
        NSArray mixed = new NSArray(new NSString("/bin/x"), new NSNumber(8787), new NSNumber(true));
        assertEquals(List.of("/bin/x", "8787", "true"), LaunchdPlist.programArguments(dict("ProgramArguments", mixed)));
    }

    @Test
    void stringAndLabelAreEmptyWhenAbsentOrNotAString() {
        assertEquals(Optional.empty(), LaunchdPlist.label(new NSDictionary()));
        assertEquals(Optional.empty(), LaunchdPlist.label(dict("Label", new NSNumber(1))));
        assertEquals(Optional.empty(), LaunchdPlist.string(new NSDictionary(), "StandardOutPath"));
        assertEquals(Optional.of("/x.log"), LaunchdPlist.string(dict("StandardOutPath", new NSString("/x.log")),
                "StandardOutPath"));
    }

    @Test
    void jobSpecRefusesWhatAPlistCannotCarry() {
        List<String> args = List.of("/bin/hephd");
        assertEquals(ExitCode.USAGE, assertThrows(HephException.class, () -> JobSpec.of(" ", args)).exitCode());
        assertThrows(HephException.class, () -> JobSpec.of("org.x", List.of()));
        assertThrows(HephException.class, () -> JobSpec.of("org.x", List.of("/bin/hephd", "a\u0000b")));
        assertThrows(HephException.class, () -> JobSpec.of("org.x", List.of("/bin/hephd", "a\rb")));
        assertThrows(HephException.class, () -> new JobSpec("org.x", args, Map.of("A=B", "c"), null, null));
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("A", null);
        assertThrows(HephException.class, () -> new JobSpec("org.x", args, nullValue, null, null));
        assertEquals(Map.of(), new JobSpec("org.x", args, null, null, null).environment());
    }

    private static NSDictionary dict(String key, NSObject value) {
        NSDictionary d = new NSDictionary();
        d.put(key, value);
        return d;
    }

    private static List<String> append(List<String> list, String extra) {
        List<String> out = new ArrayList<>(list);
        out.add(extra);
        return out;
    }
}
