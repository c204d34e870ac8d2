package heph.install;

import java.util.List;

/**
 * Which class-data archive the launcher uses (docs/facts/jbang.md §3): JDK 25+ has the AOT cache ({@code -XX:AOTCache},
 * made in one training run with {@code -XX:AOTCacheOutput}); JDK 17–24 a static AppCDS archive of the JDK's and
 * heph's classes ({@code -Xshare:dump} from the class lists of training runs, then {@code -XX:SharedArchiveFile}).
 * Not a dynamic one ({@code -XX:ArchiveClassesAtExit}): that skips picocli's Java 5 class files and every class
 * that uses them, which is most of what a run loads. Both print warnings on stdout, so their logging is switched
 * off. NONE when the training failed: the launcher then runs without an archive.
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

    /**
     * Flags of a training run (which exits normally): the AOT cache is written at {@code path} when it exits; for
     * CDS the run writes the classes it loaded to {@code classList}, from which {@link #staticDumpFlags} makes the
     * archive.
     */
    public List<String> trainingFlags(String path, String classList) {
        return switch (this) {
            case CDS -> List.of("-XX:DumpLoadedClassList=" + classList);
            case AOT -> concat("-XX:AOTCacheOutput=" + path);
            case NONE -> List.of();
        };
    }

    /** CDS: the flags of the JVM run that makes the archive at {@code path} from {@code classList} and exits. */
    public static List<String> staticDumpFlags(String path, String classList) {
        return List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + path,
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
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
