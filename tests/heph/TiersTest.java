package heph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.support.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test class under tests/heph carries exactly one tier tag, so `RunTests --tier NAME` and `--fast` select
 * what they say (docs/testing.md, "The tiers"). Read from the sources: a class is a test class when it is not
 * abstract and it, or a class it extends here, has a test method. The tag is one line right above the class line,
 * {@code @org.junit.jupiter.api.Tag("unit")}; a second tag {@code slow} may sit beside it and keeps a class out of
 * {@code --fast}. An abstract base carries none: JUnit's tags are inherited and would add a second tier.
 */
@org.junit.jupiter.api.Tag("unit")
public class TiersTest {
    /** The tiers, in the order a full run meets them. */
    public static final List<String> TIERS = List.of("unit", "simulator", "faults", "soak", "real-systemd", "real-launchd",
            "ansible", "install");
    /** The second tag: a simulator (or other) class too long for {@code --fast}. */
    static final String SLOW = "slow";

    private static final Pattern CLASS_LINE = Pattern.compile(
            "^(?:public |final |abstract )*(abstract )?(?:public |final )*class (\\w+)(?:<[^>]*>)?(?: extends (\\w+))?",
            Pattern.MULTILINE);
    private static final Pattern TEST_METHOD = Pattern.compile(
            "@(?:org\\.junit\\.jupiter\\.api\\.)?(?:Test|RepeatedTest|TestFactory|TestTemplate)\\b"
                    + "|@(?:org\\.junit\\.jupiter\\.params\\.)?ParameterizedTest\\b");
    private static final Pattern TAG = Pattern.compile("@(?:org\\.junit\\.jupiter\\.api\\.)?Tag\\(\"([^\"]*)\"\\)");

    record Source(String path, String name, boolean isAbstract, String parent, boolean hasTests, List<String> tags) {
    }

    @Test
    void everyTestClassHasExactlyOneTierTag() {
        Map<String, Source> sources = sources();
        List<String> untagged = new ArrayList<>();
        List<String> twice = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Source s : sources.values()) {
            if (!isTestClass(s, sources)) {
                continue;
            }
            List<String> tiers = s.tags().stream().filter(TIERS::contains).toList();
            if (tiers.isEmpty()) {
                untagged.add(s.path());
            } else if (tiers.size() > 1) {
                twice.add(s.path() + " " + tiers);
            }
            s.tags().stream().filter(t -> !TIERS.contains(t) && !t.equals(SLOW))
                    .forEach(t -> unknown.add(s.path() + " @Tag(\"" + t + "\")"));
        }
        StringBuilder said = new StringBuilder();
        if (!untagged.isEmpty()) {
            said.append(untagged.size()).append(" test class(es) without a tier tag; put one line")
                    .append(" @org.junit.jupiter.api.Tag(\"TIER\") right above the class line, TIER one of ")
                    .append(TIERS).append(":\n  ").append(String.join("\n  ", untagged)).append('\n');
        }
        if (!twice.isEmpty()) {
            said.append("test class(es) with more than one tier tag (keep one):\n  ")
                    .append(String.join("\n  ", twice)).append('\n');
        }
        if (!unknown.isEmpty()) {
            said.append("tag(s) that are neither a tier nor \"slow\":\n  ").append(String.join("\n  ", unknown))
                    .append('\n');
        }
        assertTrue(said.isEmpty(), said.toString());
    }

    @Test
    void noAbstractBaseCarriesATierSinceTagsAreInherited() {
        List<String> tagged = sources().values().stream().filter(Source::isAbstract)
                .filter(s -> s.tags().stream().anyMatch(TIERS::contains)).map(Source::path).toList();
        assertEquals(List.of(), tagged, "an abstract test base with a tier tag gives its subclasses two tiers");
    }

    @Test
    void theScanFindsTheTestClassesItShould() {
        // a check on the check: a base-class test (SimulatedLaunchdTierTest has no @Test of its own) and a plain one
        Map<String, Source> sources = sources();
        assertTrue(isTestClass(sources.get("SimulatedLaunchdTierTest"), sources));
        assertTrue(isTestClass(sources.get("TiersTest"), sources));
        assertTrue(!isTestClass(sources.get("FaultTest"), sources), "abstract bases are not run themselves");
        assertTrue(!isTestClass(sources.get("HephInSim"), sources));
        assertEquals(List.of("real-launchd"), sources.get("RealLaunchdTest").tags());
        assertTrue(sources.values().stream().filter(s -> isTestClass(s, sources)).count() > 100);
    }

    static boolean isTestClass(Source s, Map<String, Source> sources) {
        if (s.isAbstract()) {
            return false;
        }
        for (Source c = s; c != null; c = c.parent() == null ? null : sources.get(c.parent())) {
            if (c.hasTests()) {
                return true;
            }
        }
        return false;
    }

    /** The top-level class of each .java file under tests/heph, by simple name. */
    static Map<String, Source> sources() {
        Path root = Repo.root();
        Map<String, Source> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root.resolve("tests/heph"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                read(root.relativize(f).toString(), f).ifPresent(s -> out.put(s.name(), s));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Optional<Source> read(String path, Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = CLASS_LINE.matcher(text);
        if (!m.find()) {
            return Optional.empty(); // an interface, a record or an enum of helpers
        }
        // the tags are the annotations between the class's javadoc (or imports) and its class line
        String head = text.substring(0, m.start());
        int from = Math.max(head.lastIndexOf("*/"), head.lastIndexOf(';'));
        List<String> tags = new ArrayList<>();
        Matcher t = TAG.matcher(head.substring(from + 1));
        while (t.find()) {
            tags.add(t.group(1));
        }
        boolean isAbstract = m.group(0).contains("abstract ");
        return Optional.of(new Source(path, m.group(2), isAbstract, m.group(3), TEST_METHOD.matcher(text).find(),
                tags));
    }
}
