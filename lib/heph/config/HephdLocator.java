package heph.config;

import heph.HephException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the hephd executable to bake into the plist/unit: --hephd, else $HEPH_HEPHD, else hephd on $PATH.
 * Pure except for file-system checks; the environment comes in as a Map. Symlinks are not resolved, so a
 * {@code ~/.cargo/bin/hephd} link keeps working across upgrades. All failures are usage errors (exit 2).
 */
public final class HephdLocator {
    public static final String ENV = "HEPH_HEPHD";
    public static final String FLAG = "--hephd";
    static final String NOT_FOUND = "hephd not found: pass --hephd PATH, set HEPH_HEPHD, or put hephd on PATH";

    private HephdLocator() {}

    /**
     * Returns an absolute, normalized path to an executable regular file. An empty $HEPH_HEPHD counts as unset.
     * $PATH entries that are empty or relative are skipped (a daemon must not depend on heph's working directory),
     * as are entries whose hephd is missing or not executable.
     */
    public static Path locate(String flagValue, Map<String, String> env, Path cwd) {
        if (flagValue != null) {
            return checked(FLAG, flagValue, cwd);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return checked(ENV, fromEnv, cwd);
        }
        String path = env.get("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = onPath(dir);
                if (candidate != null) {
                    return candidate;
                }
            }
        }
        throw HephException.usage(NOT_FOUND);
    }

    private static final String EXPECTED = "expected the path of the hephd executable";

    private static Path checked(String source, String raw, Path cwd) {
        Path p = Path.of(FlagValidation.path(source, raw, cwd));
        if (!Files.exists(p)) {
            throw HephException.usage(source + ": '" + FlagValidation.show(raw) + "' does not exist; " + EXPECTED);
        }
        if (!isExecutableFile(p)) {
            throw HephException.usage(source + ": '" + FlagValidation.show(raw) + "' is not an executable file; "
                    + EXPECTED);
        }
        return p;
    }

    private static Path onPath(String dir) {
        if (dir.isEmpty()) {
            return null;
        }
        try {
            Path d = Path.of(dir);
            if (!d.isAbsolute()) {
                return null;
            }
            Path candidate = d.resolve("hephd").normalize();
            return isExecutableFile(candidate) ? candidate : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static boolean isExecutableFile(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
