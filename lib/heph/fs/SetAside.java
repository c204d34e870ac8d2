package heph.fs;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * An existing plist or unit heph could not parse. It stays where it is while heph validates everything else (a
 * usage error then leaves it untouched), and is moved aside only right before heph writes a fresh one.
 */
public final class SetAside {
    private Path file;
    private String problem;

    /** Remembers that {@code file} could not be parsed, and why. */
    public void mark(Path file, String problem) {
        this.file = file;
        this.problem = problem;
    }

    /** What {@link #apply} would do and say, for a dry run: empty when nothing is marked. */
    public java.util.Optional<String> pending() {
        return file == null ? java.util.Optional.empty() : java.util.Optional.of("could not parse " + file + " ("
                + problem + "); the real run moves it aside to " + file.getFileName() + ".unparseable-<timestamp>"
                + " and writes a fresh one");
    }

    /**
     * Moves the marked file (if any) to {@code <name>.unparseable-<timestamp>} and tells the user where it went,
     * through {@code say} and into {@code warnings}. Call it right before writing the fresh file; once only.
     */
    public void apply(Consumer<String> say, List<String> warnings) {
        if (file == null) {
            return;
        }
        Path aside = AtomicFile.moveAside(file);
        String w = "could not parse " + file + " (" + problem + "); kept it as " + aside + " and wrote a fresh one";
        say.accept(w);
        warnings.add(w);
        file = null;
    }
}
