package heph.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.support.Repo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every relative link in README.md and docs/**.md leads to a file that exists and, for #anchors, to a heading. */
@org.junit.jupiter.api.Tag("unit")
class DocLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        Path root = Repo.root();
        List<Path> pages = pages(root);
        assertTrue(pages.size() >= 2, "README.md and docs/ pages: " + pages);
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        int checked = 0;
        for (Path page : pages) {
            for (Link link : links(Files.readString(page, StandardCharsets.UTF_8))) {
                checked++;
                String problem = problem(root, page, link.target, anchors);
                if (problem != null) {
                    broken.add(root.relativize(page) + ":" + link.line + ": (" + link.target + ") " + problem);
                }
            }
        }
        assertTrue(checked > 20, "too few links found (" + checked + "): is the link pattern still right?");
        assertEquals(List.of(), broken, "broken links");
    }

    @Test
    void aMissingFileAndAMissingAnchorAreCaught() throws IOException {
        Path root = Repo.root();
        Map<Path, Set<String>> anchors = new HashMap<>();
        Path readme = root.resolve("README.md");
        assertTrue(problem(root, readme, "docs/no-such-page.md", anchors) != null);
        assertTrue(problem(root, readme, "docs/using.md#no-such-heading", anchors) != null);
        assertEquals(null, problem(root, readme, "docs/using.md#verbs", anchors));
        assertEquals(null, problem(root, readme, "https://example.com/x", anchors));
    }

    @Test
    void anchorsFollowGitHubsRules() {
        Set<String> a = anchorsOf("# heph\n## hephd's flags (config baking)\n## Linux: systemd --user\n"
                + "```\n## not a heading\n```\n## 13. Added at turn 2: what `print` shows\n## Verbs\n## Verbs\n");
        assertEquals(Set.of("heph", "hephds-flags-config-baking", "linux-systemd---user",
                "13-added-at-turn-2-what-print-shows", "verbs", "verbs-1"), a);
        List<Link> links = links("see [a](x.md#y) and `[b](not-a-link.md)`\n```\n[c](in-code.md)\n```\n[d](z.md)\n");
        assertEquals(List.of("x.md#y", "z.md"), links.stream().map(l -> l.target).toList());
    }

    static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> s = Files.walk(docs)) {
                s.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p)).sorted().forEach(pages::add);
            }
        }
        return pages;
    }

    /** Why {@code target}, linked from {@code page}, does not resolve; null when it does or is not relative. */
    static String problem(Path root, Path page, String target, Map<Path, Set<String>> anchors) throws IOException {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // http:, https:, mailto: ...: not checked here
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
        if (!file.startsWith(root)) {
            return "leaves the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (anchor == null || anchor.isEmpty() || !file.toString().endsWith(".md")) {
            return null;
        }
        Set<String> known = anchors.computeIfAbsent(file, f -> {
            try {
                return anchorsOf(Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return known.contains(anchor) ? null : "no heading with anchor #" + anchor;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to '-', repeats numbered -1, -2, ... */
    static Set<String> anchorsOf(String markdown) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fence = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                fence = !fence;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (fence || !m.matches()) {
                continue;
            }
            String slug = m.group(2).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            out.add(n == 0 ? slug : slug + "-" + n);
        }
        return out;
    }

    record Link(int line, String target) {
    }

    /** The targets of [text](target) links outside fenced code blocks and inline code spans. */
    static List<Link> links(String markdown) {
        List<Link> out = new ArrayList<>();
        boolean fence = false;
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.stripLeading().startsWith("```")) {
                fence = !fence;
                continue;
            }
            if (fence) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (m.find()) {
                out.add(new Link(i + 1, m.group(1)));
            }
        }
        return out;
    }
}
