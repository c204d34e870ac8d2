package heph.service;

import java.nio.file.Path;

/**
 * Where the definition a backend converges on comes from. hephd's is baked from its flags (the installed file's
 * flags kept, the user's on top); any other agent's is its file, used as given: the file the user names
 * ({@code --plist}, {@code --unit-file}), installed as is, or the one already installed ({@code --label},
 * {@code --unit}). Every guarantee of the backends (the lock, put-back, loaded copy, log folders, verification)
 * is the same for both.
 *
 * @param hephd whether this is hephd (flags baked)
 * @param file  for another agent, the file given; null for its installed file (and for hephd)
 */
public record DefinitionSource(boolean hephd, Path file) {
    public static final DefinitionSource HEPHD = new DefinitionSource(true, null);

    /** Another agent, managed as its installed plist/unit says. */
    public static DefinitionSource installed() {
        return new DefinitionSource(false, null);
    }

    /** Another agent, from {@code file}, installed as is. */
    public static DefinitionSource file(Path file) {
        return new DefinitionSource(false, file);
    }

    /** How messages name the service: "hephd", or the agent's label/unit. */
    public String who(String name) {
        return hephd ? "hephd" : name;
    }
}
