package heph.install;

import heph.HephException;
import heph.fs.AtomicFile;
import heph.fs.PrivateFiles;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * {@code heph install-cli}: copies heph's jars into {@code <data>/heph/cli/<fingerprint>/}, makes a class-data
 * archive for them from training runs of heph on this JDK, and writes the {@code heph} launcher
 * ({@link LauncherScript}) into the bin folder. The copy makes the command independent of JBang's cache. A folder
 * is complete once its {@code installed} stamp exists (written last), so a killed install is redone, never used;
 * installs take turns on {@code <data>/heph/cli/.lock}. A {@code heph} in the bin folder that heph did not write is
 * left alone unless forced. Nothing changed (same jars, same JDK, same launcher) is {@code changed: false}.
 */
public final class CliInstaller {
    public static final String STAMP = "installed";
    static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(3);
    private static final String MAIN_ENTRY = "heph/cli/Main.class";

    /**
     * One install.
     *
     * @param bin            where the launcher goes
     * @param dataHome       $XDG_DATA_HOME (default ~/.local/share)
     * @param force          replace a {@code heph} in {@code bin} that heph did not write
     * @param source         heph.java of the clone to watch and rebuild from, or null
     * @param jbang          the JBang command to rebuild with (with source), or null
     * @param classpath      heph's jars, in order (the running JVM's class path)
     * @param javaHome       the JDK the launcher runs (the running one)
     * @param runtimeVersion its java.runtime.version
     * @param feature        its feature release (17, 25, ...)
     * @param pathEnv        $PATH, to warn when {@code bin} is not on it
     */
    public record Request(Path bin, Path dataHome, boolean force, Path source, String jbang, List<Path> classpath,
                          Path javaHome, String runtimeVersion, int feature, String pathEnv) {
        public Request {
            classpath = List.copyOf(classpath);
        }
    }

    private final ProcessRunner runner;
    private final Consumer<String> progress;

    public CliInstaller(ProcessRunner runner, Consumer<String> progress) {
        this.runner = runner;
        this.progress = progress;
    }

    /** The running JVM's class path, split. */
    public static List<Path> currentClasspath() {
        List<Path> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                out.add(Path.of(e).toAbsolutePath().normalize());
            }
        }
        return out;
    }

    public InstallResult install(Request r) {
        Path bin = r.bin().toAbsolutePath().normalize();
        Path launcher = bin.resolve("heph");
        boolean replacingForeign = refuseForeign(launcher, r.force());
        List<Path> jars = checkJars(r.classpath());
        Path javaHome = r.javaHome().toAbsolutePath().normalize();
        String fingerprint = CliFingerprint.of(jars, javaHome, r.runtimeVersion());
        Path root = r.dataHome().toAbsolutePath().normalize().resolve("heph").resolve("cli");
        Path app = root.resolve(CliFingerprint.shortForm(fingerprint));
        List<String> warnings = new ArrayList<>();
        try {
            PrivateFiles.dir(root);
            try (FileChannel ch = FileChannel.open(PrivateFiles.file(root.resolve(".lock")), StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                Properties state = readStamp(app, fingerprint);
                boolean built = state == null;
                if (built) {
                    state = build(app, jars, fingerprint, ClassDataArchive.forFeature(r.feature()), javaHome,
                            warnings);
                }
                ClassDataArchive archive = ClassDataArchive.valueOf(state.getProperty("archive"));
                List<String> names = List.of(state.getProperty("jars").split(","));
                LauncherScript.Spec spec = new LauncherScript.Spec(launcher, bin, app, javaHome,
                        jdkRelease(javaHome, r.runtimeVersion()), names, archive, r.source(), r.jbang(), fingerprint);
                byte[] text = LauncherScript.render(spec).getBytes(StandardCharsets.UTF_8);
                boolean same = !replacingForeign && Files.isRegularFile(launcher, LinkOption.NOFOLLOW_LINKS)
                        && java.util.Arrays.equals(Files.readAllBytes(launcher), text)
                        && Files.isExecutable(launcher);
                if (!same) {
                    if (Files.isSymbolicLink(launcher)) {
                        Files.delete(launcher); // --force on a symlink: replace the link, never write through it
                    }
                    Files.createDirectories(bin);
                    AtomicFile.write(launcher, text, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                // The launcher compares source files against the stamp's time: now is when these jars were current.
                Files.setLastModifiedTime(app.resolve(STAMP), FileTime.from(Instant.now()));
                removeOthers(root, app);
                if (!onPath(bin, r.pathEnv())) {
                    warnings.add(bin + " is not on PATH; add it: export PATH=\"" + bin + ":$PATH\"");
                }
                boolean changed = built || !same;
                String msg = changed ? "installed " + launcher + " (heph's jars and a " + archive.id
                        + " archive in " + app + ")" : launcher + " is up to date; nothing changed";
                return new InstallResult(changed, launcher, app, fingerprint, archive, javaHome, r.source(), msg,
                        warnings);
            }
        } catch (IOException e) {
            throw HephException.failed("cannot install the heph command under " + root + " and " + bin + ": "
                    + e.getMessage());
        }
    }

    /** True when a foreign {@code heph} is there and {@code force} replaces it; throws when not forced. */
    static boolean refuseForeign(Path launcher, boolean force) {
        if (!Files.exists(launcher, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (Files.isDirectory(launcher, LinkOption.NOFOLLOW_LINKS)) {
            throw HephException.failed(launcher + " is a folder; expected a file heph can write its launcher to");
        }
        boolean ours = false;
        if (Files.isRegularFile(launcher, LinkOption.NOFOLLOW_LINKS)) {
            try (InputStream in = Files.newInputStream(launcher)) {
                ours = LauncherScript.isOurs(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw HephException.failed("cannot read " + launcher + ": " + e.getMessage());
            }
        }
        if (ours) {
            return false;
        }
        if (!force) {
            throw HephException.failed(launcher + " exists and was not written by heph install-cli; left as it"
                    + " is. Pass --force to replace it, or --bin DIR to install elsewhere");
        }
        return true;
    }

    /** Every class path entry must be a jar, and one of them heph's (holding heph.cli.Main). */
    static List<Path> checkJars(List<Path> classpath) {
        if (classpath.isEmpty()) {
            throw HephException.failed("install-cli: the class path is empty; run it through JBang:"
                    + " jbang heph.java install-cli");
        }
        boolean found = false;
        for (Path p : classpath) {
            if (!Files.isRegularFile(p) || !p.getFileName().toString().endsWith(".jar")) {
                throw HephException.failed("install-cli: class path entry " + p + " is not a jar; expected JBang's"
                        + " build of heph (run: jbang heph.java install-cli)");
            }
            if (!found) {
                try (ZipFile z = new ZipFile(p.toFile())) {
                    found = z.getEntry(MAIN_ENTRY) != null;
                } catch (IOException e) {
                    throw HephException.failed("install-cli: cannot read the jar " + p + ": " + e.getMessage());
                }
            }
        }
        if (!found) {
            throw HephException.failed("install-cli: no jar on the class path holds " + MAIN_ENTRY
                    + "; expected JBang's build of heph (run: jbang heph.java install-cli)");
        }
        return classpath;
    }

    /** The stamp's properties when {@code app} is a complete install of {@code fingerprint}, else null. */
    static Properties readStamp(Path app, String fingerprint) {
        Path stamp = app.resolve(STAMP);
        if (!Files.isRegularFile(stamp)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(stamp)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        String archive = p.getProperty("archive", "");
        String jars = p.getProperty("jars", "");
        if (!fingerprint.equals(p.getProperty("fingerprint")) || jars.isEmpty()
                || Stream.of(ClassDataArchive.values()).noneMatch(a -> a.name().equals(archive))) {
            return null;
        }
        ClassDataArchive a = ClassDataArchive.valueOf(archive);
        if (a != ClassDataArchive.NONE && !Files.isRegularFile(app.resolve(a.fileName()))) {
            return null;
        }
        for (String j : jars.split(",")) {
            if (!Files.isRegularFile(app.resolve(j))) {
                return null;
            }
        }
        return p;
    }

    private Properties build(Path app, List<Path> jars, String fingerprint, ClassDataArchive wanted, Path javaHome,
                             List<String> warnings) throws IOException {
        deleteTree(app);
        PrivateFiles.dir(app);
        List<String> names = new ArrayList<>();
        List<String> cp = new ArrayList<>();
        for (int i = 0; i < jars.size(); i++) {
            String name = String.format(java.util.Locale.ROOT, "%02d-%s", i,
                    jars.get(i).getFileName().toString().replaceFirst("^[0-9]{2}-", ""));
            Files.copy(jars.get(i), app.resolve(name));
            names.add(name);
            cp.add(app.resolve(name).toString());
        }
        progress.accept("making a " + wanted.id + " class-data archive for " + app + " (training runs of heph)");
        ClassDataArchive archive = train(app, String.join(File.pathSeparator, cp), wanted, javaHome, warnings);
        Properties p = new Properties();
        p.setProperty("fingerprint", fingerprint);
        p.setProperty("archive", archive.name());
        p.setProperty("jars", String.join(",", names));
        p.setProperty("java.home", javaHome.toString());
        java.io.StringWriter w = new java.io.StringWriter();
        p.store(w, "heph install-cli: this folder is complete");
        AtomicFile.write(app.resolve(STAMP), w.toString().getBytes(StandardCharsets.UTF_8));
        return p;
    }

    /**
     * Trains the archive by running heph: {@code status} against a stand-in service manager ({@code true}), so it
     * touches picocli, the backend and the process seam without asking the real one anything; for CDS also
     * {@code --help}, which builds every verb's command model. The AOT cache is written when its one run exits;
     * for CDS the runs' class lists are joined and a static archive is dumped from them. Falls back to NONE (with
     * a warning) when the JVM made no archive.
     */
    private ClassDataArchive train(Path app, String cp, ClassDataArchive wanted, Path javaHome,
                                   List<String> warnings) {
        Path archive = app.resolve(wanted.fileName());
        Path classList = app.resolve("heph.classlist");
        String java = javaHome.resolve("bin").resolve("java").toString();
        List<List<String>> runs = wanted == ClassDataArchive.CDS ? List.of(trainingArgs(), List.of("--help"))
                : List.of(trainingArgs());
        String why;
        try {
            ExecResult r = null;
            java.util.Set<String> loaded = new java.util.LinkedHashSet<>();
            for (int i = 0; i < runs.size(); i++) {
                Path list = app.resolve("training-" + i + ".classlist");
                List<String> argv = new ArrayList<>(List.of(java));
                argv.addAll(wanted.trainingFlags(archive.toString(), list.toString()));
                argv.addAll(LauncherScript.JIT_FLAGS);
                argv.addAll(List.of("-cp", cp, LauncherScript.MAIN_CLASS));
                argv.addAll(runs.get(i));
                r = runner.run(argv, TRAINING_TIMEOUT);
                if (Files.isRegularFile(list)) {
                    loaded.addAll(joinable(Files.readAllLines(list, StandardCharsets.UTF_8)));
                    Files.delete(list);
                }
            }
            if (wanted == ClassDataArchive.CDS && !loaded.isEmpty()) {
                Files.write(classList, loaded, StandardCharsets.UTF_8);
                List<String> argv = new ArrayList<>(List.of(java));
                argv.addAll(ClassDataArchive.staticDumpFlags(archive.toString(), classList.toString()));
                argv.addAll(List.of("-cp", cp));
                r = runner.run(argv, TRAINING_TIMEOUT);
                Files.delete(classList);
            }
            if (Files.isRegularFile(archive) && Files.size(archive) > 0) {
                return wanted;
            }
            why = r == null ? "no training run" : "java exited " + r.exitCode()
                    + (r.firstErrorLine().isBlank() ? "" : ": " + r.firstErrorLine());
        } catch (HephException | IOException e) {
            why = e.getMessage();
        }
        try {
            Files.deleteIfExists(archive);
        } catch (IOException ignored) {
            // a partial archive is never used: the stamp names NONE
        }
        warnings.add("no class-data archive was made (" + why + "); the command runs without one");
        return ClassDataArchive.NONE;
    }

    /**
     * A class list's lines made joinable with another run's: newer JDKs number each class ({@code Foo id: 12}),
     * and two runs' numbers clash; the numbers only matter to classes of other class loaders ({@code super:},
     * {@code source:}), which heph's runs do not load, so those lines go and the numbers are dropped.
     */
    static List<String> joinable(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (!l.contains(" super: ") && !l.contains(" source: ")) {
                out.add(l.replaceFirst(" id: [0-9]+$", ""));
            }
        }
        return out;
    }

    /** {@code status} against {@code true} as launchctl (macOS) or systemctl (elsewhere); {@code --help} without one. */
    static List<String> trainingArgs() {
        Path t = Stream.of("/usr/bin/true", "/bin/true").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElse(null);
        if (t == null) {
            return List.of("--help");
        }
        boolean mac = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("mac");
        return mac ? List.of("--backend", "launchd", "--launchctl", t.toString(), "status")
                : List.of("--backend", "systemd", "--systemctl", t.toString(), "status");
    }

    /** The JDK's {@code release} line naming this runtime version, or null when the JDK has no such line. */
    static String jdkRelease(Path javaHome, String runtimeVersion) {
        String want = "JAVA_RUNTIME_VERSION=\"" + runtimeVersion + "\"";
        try (Stream<String> lines = Files.lines(javaHome.resolve("release"))) {
            return lines.anyMatch(want::equals) ? want : null;
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    static boolean onPath(Path bin, String pathEnv) {
        if (pathEnv == null) {
            return false;
        }
        return Stream.of(pathEnv.split(File.pathSeparator)).filter(s -> !s.isBlank())
                .anyMatch(s -> Path.of(s).toAbsolutePath().normalize().equals(bin));
    }

    /** Earlier installs (other fingerprints) go; only folders named like a fingerprint are touched. */
    private static void removeOthers(Path root, Path keep) throws IOException {
        List<Path> old;
        try (Stream<Path> s = Files.list(root)) {
            old = s.filter(p -> !p.equals(keep) && p.getFileName().toString().matches("[0-9a-f]{16}")
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        for (Path p : old) {
            deleteTree(p);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
