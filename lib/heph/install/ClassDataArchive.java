package heph.install;

import java.util.List;

/**
 * Which class-data archive the launcher uses (jbang-notes §3): JDK 25+ has the AOT cache ({@code -XX:AOTCache},
 * made in one training run with {@code -XX:AOTCacheOutput}); JDK 17–24 a dynamic AppCDS archive
 * ({@code -XX:ArchiveClassesAtExit}, then {@code -XX:SharedArchiveFile}). Both print warnings on stdout (picocli's
 * class-file-49 classes are skipped, a stale archive is reported), so their logging is switched off. NONE when the
 * training run failed: the launcher then runs without an archive.
 */
public enum ClassDataArchive {
    CDS("cds", "heph.jsa", List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off")),
    AOT("aot", "heph.aot", List.of("-Xlog:aot=off", "-Xlog:cds=off")),
    NONE("none", "", List.of());

    public final String id;
    private final String file;
    private final List<String> quiet;

    ClassDataArchive(String id, String file, List<String> quiet) {
        this.id = id;
        this.file = file;
        this.quiet = quiet;
    }

    /** The archive for a JDK of this feature release. */
    public static ClassDataArchive forFeature(int feature) {
        return feature >= 25 ? AOT : CDS;
    }

    public String fileName() {
        return file;
    }

    /** Flags that make the archive at {@code path} during a training run (which exits normally). */
    public List<String> dumpFlags(String path) {
        return switch (this) {
            case CDS -> concat("-XX:ArchiveClassesAtExit=" + path);
            case AOT -> concat("-XX:AOTCacheOutput=" + path);
            case NONE -> List.of();
        };
    }

    /** Flags that use the archive at {@code path} (a path or a quoted sh word). */
    public List<String> useFlags(String path) {
        return switch (this) {
            case CDS -> concat("-XX:SharedArchiveFile=" + path);
            case AOT -> concat("-XX:AOTCache=" + path);
            case NONE -> List.of();
        };
    }

    private List<String> concat(String first) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), quiet.stream()).toList();
    }
}
