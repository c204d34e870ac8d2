package heph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import heph.support.Repo;
import org.junit.jupiter.api.Test;

/**
 * JBang drops //SOURCES globs when heph.java is fetched by URL, so heph.java lists every library file by name.
 * This keeps that list equal to the .java files under lib/.
 */
@org.junit.jupiter.api.Tag("unit")
class SourcesListTest {
    @Test
    void hephJavaListsEveryLibSourceExactlyOnce() throws IOException {
        Path root = Repo.root();
        List<String> listed = Files.readAllLines(root.resolve("heph.java")).stream()
                .filter(l -> l.startsWith("//SOURCES "))
                .flatMap(l -> Arrays.stream(l.substring("//SOURCES ".length()).trim().split("\\s+")))
                .toList();
        TreeSet<String> onDisk = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root.resolve("lib"))) {
            files.filter(f -> f.toString().endsWith(".java"))
                    .forEach(f -> onDisk.add(root.relativize(f).toString()));
        }
        assertEquals(listed.size(), new TreeSet<>(listed).size(), "a file is listed twice in heph.java");
        assertEquals(onDisk, new TreeSet<>(listed), "heph.java //SOURCES must name every lib/ .java file");
    }

    @Test
    void everyJBangScriptCompilesAsUtf8WhateverTheLocale() throws IOException {
        // lib/ has non-ASCII text (…, —); under LANG=C javac would read it as US-ASCII and fail (review of 2026-11)
        for (String script : List.of("heph.java", "tests/RunTests.java", "tests/bench/race-benchmark.java",
                "tests/bench/restart-strategies.java")) {
            assertTrue(Files.readAllLines(Repo.root().resolve(script)).contains("//JAVAC_OPTIONS -encoding UTF-8"),
                    script + " must declare //JAVAC_OPTIONS -encoding UTF-8");
        }
    }
}
