package heph.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import heph.support.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/cli.md is what heph's commands print for --help today. */
@org.junit.jupiter.api.Tag("unit")
class CliReferenceTest {
    @Test
    void cliMdIsWhatHelpPrints() throws Exception {
        Path file = Repo.root().resolve("docs/cli.md");
        assertTrue(Files.isRegularFile(file), "docs/cli.md is missing: run " + CliReference.REGENERATE);
        String expected = CliReference.render();
        String actual = Files.readString(file, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            fail("docs/cli.md is stale: run " + CliReference.REGENERATE + " and commit it. " + firstDifference(
                    expected, actual));
        }
    }

    @Test
    void everyVerbHasItsSection() {
        String md = CliReference.render();
        for (String verb : List.of("start", "stop", "restart", "status", "uninstall", "list", "apply", "doctor",
                "logs", "demo", "sim", "install-cli", "completion", "daemon restart")) {
            assertTrue(md.contains("\n## heph " + verb + "\n"), "no section for heph " + verb);
        }
        assertTrue(md.contains("Usage: heph restart"), "restart's usage line");
        assertTrue(!md.contains("\u001b["), "no ANSI colour codes");
    }

    @Test
    void aChangedHelpTextIsNoticed() {
        String md = CliReference.render();
        String stale = md.replace("Usage: heph restart", "Usage: heph restart --old-flag");
        assertTrue(!stale.equals(md) && firstDifference(md, stale).contains("--old-flag"));
    }

    static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end of file>";
            String al = i < a.length ? a[i] : "<end of file>";
            if (!el.equals(al)) {
                return "First difference at line " + (i + 1) + ": expected \"" + el + "\" but the file has \"" + al
                        + "\"";
            }
        }
        return "";
    }
}
