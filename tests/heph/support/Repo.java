package heph.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the tests run in. */
public final class Repo {
    private Repo() {
    }

    /** Walks up from the working folder to the folder holding heph.java. */
    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("heph.java"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("run the tests from inside the heph checkout");
        }
        return p;
    }
}
