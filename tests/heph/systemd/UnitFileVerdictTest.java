package heph.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import heph.agents.AgentUnit;
import heph.support.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * heph's verdict on each unit file of the corpus (tests/fixtures/units) equals systemd 252's, as recorded in
 * VERDICTS.txt beside the files (built from the real systemd-analyze; RealSystemdVerdictTest re-checks it against
 * the real verifier where it can run). The verdict is taken where users meet it: {@link AgentUnit#read}, which
 * refuses with one usage line (exit 2) naming the file before anything is written.
 */
@org.junit.jupiter.api.Tag("unit")
public class UnitFileVerdictTest {
    public static final Path DIR = Repo.root().resolve("tests/fixtures/units");

    /** VERDICTS.txt: unit file name to true when systemd accepts it. */
    public static Map<String, Boolean> expected() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(DIR.resolve("VERDICTS.txt"))) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\s+", 3);
                assertTrue(f[1].equals("accept") || f[1].equals("refuse"), line);
                m.put(f[0], f[1].equals("accept"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    public static List<String> corpus() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".service")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** heph's verdict: empty when accepted, else the one-line refusal. */
    public static Optional<String> heph(Path file) {
        try {
            AgentUnit.read(file);
            return Optional.empty();
        } catch (HephException e) {
            assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            return Optional.of(e.getMessage());
        }
    }

    @Test
    void everyFileHasAnExpectedVerdictAndTheCorpusCoversBothSides() {
        Map<String, Boolean> want = expected();
        assertEquals(corpus(), want.keySet().stream().sorted().toList(), "VERDICTS.txt lists exactly the corpus");
        assertTrue(want.size() >= 30, "corpus size " + want.size());
        assertTrue(want.values().stream().filter(a -> a).count() >= 10, "accepted units");
        assertTrue(want.values().stream().filter(a -> !a).count() >= 10, "refused units");
    }

    @Test
    void hephJudgesEachFileAsSystemdDoes() {
        List<String> wrong = new ArrayList<>();
        expected().forEach((name, accept) -> {
            Optional<String> refusal = heph(DIR.resolve(name));
            if (accept != refusal.isEmpty()) {
                wrong.add(name + ": systemd " + (accept ? "accepts" : "refuses") + ", heph "
                        + refusal.map(r -> "refuses: " + r).orElse("accepts"));
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void refusalsSayWhatIsWrong() {
        assertRefusal("reset-last.service", "Service has no ExecStart=, ExecStop=, or SuccessAction=");
        assertRefusal("two-execstart.service", "more than one ExecStart= setting (2 commands), which is only allowed"
                + " for Type=oneshot services");
        assertRefusal("semicolon-two-commands.service", "more than one ExecStart=");
        assertRefusal("relative-path.service", "ExecStart=bin/true: neither a valid executable name nor an"
                + " absolute path: bin/true");
        assertRefusal("specifier-in-path-relative.service", "neither a valid executable name nor an absolute path");
        assertRefusal("specifier-bad-arg.service", "unknown specifier %z");
        assertRefusal("tmpl@.service", "'tmpl@.service' is a template unit; systemd cannot start it without an"
                + " instance name (expected e.g. tmpl@name.service)");
        assertRefusal("bad-section-header.service", ":1: not a systemd unit file: expected a section header");
        assertRefusal("oneshot-restart-always.service", "Restart=always, which isn't allowed for Type=oneshot");
    }

    private static void assertRefusal(String name, String words) {
        Path file = DIR.resolve(name);
        String message = heph(file).orElseThrow(() -> new AssertionError(name + " accepted"));
        assertTrue(message.contains(words), message);
    }

    @Test
    void specifiersResolveFromTheUnitName() {
        assertEquals("/bin/true", UnitFileSpecifiers.resolve("%f", "spec-f@bin-true.service"));
        assertEquals("/bin/true", UnitFileSpecifiers.resolve("%I", "spec-i@-bin-true.service"));
        assertEquals("a@b.service a@b a b b", UnitFileSpecifiers.resolve("%n %N %p %i %I", "a@b.service"));
        assertEquals("x-y y 100% 5%", UnitFileSpecifiers.resolve("%p %j 100%% 5%", "x-y.service"));
        assertTrue(UnitFileSpecifiers.resolve("%h/bin/x", "a.service").startsWith("/"));
        assertTrue(!UnitFileSpecifiers.resolve("%u/bin/x", "a.service").startsWith("/"));
        assertThrows(IllegalArgumentException.class, () -> UnitFileSpecifiers.resolve("%e", "a.service"));
    }

    @Test
    void theListIsKeptThroughResetsAndPrefixes() throws Exception {
        assertEquals(List.of(), UnitFile.load("[Service]\nExecStart=/bin/x\nExecStart=\n", "u").execStart());
        assertEquals(List.of("/bin/y"), UnitFile.load("[Service]\nExecStart=/bin/x\nExecStart=\nExecStart=/bin/y\n",
                "u").execStart());
        assertEquals(2, UnitFileExec.parse("/bin/a ; -/bin/b x", "u.service").size());
        assertEquals(List.of("argv0", "x"), UnitFileExec.parse("@/bin/a argv0 x", "u.service").get(0).argv());
        // '-' drops the value's failing command and what follows, keeping what came before it
        assertEquals(1, UnitFileExec.parse("/bin/a ; -rel/b ; /bin/c", "u.service").size());
        assertThrows(UnitFileExec.Fatal.class, () -> UnitFileExec.parse("/bin/a ; rel/b", "u.service"));
    }
}
