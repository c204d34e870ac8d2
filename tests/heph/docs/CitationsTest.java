package heph.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every fact the code cites is in the repository: a citation "docs/facts/PAGE.md §N" in lib/, tests/ or examples/
 * names a page that exists and a section it has, and nothing cites a note that is not in the repository (the old
 * background notes, or the project's issue numbers, which a reader of a clone cannot open).
 */
@org.junit.jupiter.api.Tag("unit")
class CitationsTest {
    private static final Pattern CITATION = Pattern.compile("docs/facts/([a-z-]+\\.md) §(\\d+)");
    private static final Pattern OUTSIDE = Pattern.compile(
            "(^|[^/A-Za-z0-9_.-])(launchd-facts|heph-notes|jbang-notes|real-systemd\\.md)|\\bissue \\d+\\b(?! of)");

    @Test
    void everyCitedSectionExistsAndNothingCitesANoteOutsideTheRepository() throws IOException {
        Path root = Repo.root();
        List<String> wrong = new ArrayList<>();
        for (String top : List.of("lib", "tests/heph", "examples")) {
            try (Stream<Path> files = Files.walk(root.resolve(top))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".jsh")
                        || p.toString().endsWith(".yml")).toList()) {
                    if (f.getFileName().toString().equals("CitationsTest.java")) {
                        continue;
                    }
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i);
                        Matcher m = CITATION.matcher(line);
                        while (m.find()) {
                            Path page = root.resolve("docs/facts").resolve(m.group(1));
                            if (!Files.isRegularFile(page) || !hasSection(page, m.group(2))) {
                                wrong.add(root.relativize(f) + ":" + (i + 1) + ": " + m.group());
                            }
                        }
                        if (OUTSIDE.matcher(line.replaceAll("docs/facts/[a-z-]+\\.md", "")).find()) {
                            wrong.add(root.relativize(f) + ":" + (i + 1) + ": cites a note outside the repository: "
                                    + line.strip());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void thePagesNumberTheirSections() throws IOException {
        assertTrue(hasSection(Repo.root().resolve("docs/facts/launchd-facts.md"), "13"));
    }

    private static boolean hasSection(Path page, String n) throws IOException {
        return Files.readAllLines(page).stream().anyMatch(l -> l.matches("#{2,4} (§)?" + n + "[.: ].*"));
    }
}
