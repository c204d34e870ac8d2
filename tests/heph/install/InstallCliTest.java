package heph.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.json.Json;
import heph.proc.ExecResult;
import heph.proc.ZtExecRunner;
import heph.sim.SimOptions;
import heph.sim.Simulator;
import heph.sim.race.RaceExperiment;
import heph.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `heph install-cli` end to end: real ./jbang builds of heph, the launcher run as a process (sh, then the JVM with
 * the class-data archive), a throwaway HOME, XDG_DATA_HOME and bin folder. No timing is asserted; the speed-up is
 * measured in docs/speed.md.
 */
@org.junit.jupiter.api.Tag("install")
class InstallCliTest {
    static final Duration BOUND = Duration.ofMinutes(4);

    @TempDir
    Path tmp;
    Path bin;
    Path data;
    Map<String, String> env;

    @BeforeEach
    void folders() throws IOException {
        bin = tmp.resolve("bin");
        data = tmp.resolve("data");
        Path home = Files.createDirectories(tmp.resolve("home"));
        env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_DATA_HOME", data.toString());
        env.put("PATH", "/usr/bin:/bin");
        // ./jbang keeps its own jar under $XDG_CACHE_HOME; point it at the real one rather than fetch it again
        String cache = System.getenv("HEPH_JBANG_CACHE");
        String xdg = System.getenv("XDG_CACHE_HOME");
        env.put("HEPH_JBANG_CACHE", cache != null ? cache : (xdg != null ? xdg : System.getProperty("user.home")
                + "/.cache") + "/heph/jbang");
    }

    ExecResult run(Map<String, String> extra, List<String> command) {
        List<String> argv = new ArrayList<>();
        argv.add("/usr/bin/env");
        Map<String, String> all = new LinkedHashMap<>(env);
        all.putAll(extra);
        all.forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(command);
        return new ZtExecRunner().run(argv, BOUND);
    }

    /** ./jbang heph.java install-cli --bin BIN --json ARGS */
    ExecResult install(String... args) {
        return install(Repo.root().resolve("heph.java"), args);
    }

    ExecResult install(Path hephJava, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Repo.root().resolve("jbang").toString(), hephJava.toString(),
                "install-cli", "--bin", bin.toString(), "--json"));
        cmd.addAll(List.of(args));
        return run(Map.of(), cmd);
    }

    ExecResult heph(String... args) {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("heph").toString()));
        cmd.addAll(List.of(args));
        return run(Map.of(), cmd);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(ExecResult r) {
        assertEquals(0, r.exitCode(), () -> "exit " + r.exitCode() + ", stderr: " + r.stderr());
        return (Map<String, Object>) Json.parse(r.stdout().strip());
    }

    static String expectedArchive() {
        return Runtime.version().feature() >= 25 ? "aot" : "cds";
    }

    @Test
    void theLauncherRunsHephAndASecondInstallChangesNothing() throws IOException {
        Map<String, Object> first = json(install("--no-source"));
        Path launcher = bin.resolve("heph");
        assertEquals(true, first.get("changed"));
        assertEquals(launcher.toString(), first.get("launcher"));
        assertEquals(expectedArchive(), first.get("archive"));
        assertEquals(null, first.get("source"));
        Path app = Path.of((String) first.get("dir"));
        assertTrue(app.startsWith(data.resolve("heph").resolve("cli")), app::toString);
        assertTrue(Files.isRegularFile(app.resolve(CliInstaller.STAMP)));
        assertTrue(Files.size(app.resolve(expectedArchive().equals("aot") ? "heph.aot" : "heph.jsa")) > 0);
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(launcher)));
        assertTrue(LauncherScript.isOurs(Files.readString(launcher)));
        try (Stream<Path> jars = Files.list(app)) {
            assertTrue(jars.anyMatch(p -> p.getFileName().toString().matches("0[0-9]-picocli-.*\\.jar")),
                    "the dependency jars are copied beside heph's");
        }

        ExecResult version = heph("--version");
        assertEquals(0, version.exitCode(), version.stderr());
        assertEquals("heph 0.1.0\n", version.stdout(), "nothing but heph's output on stdout (CDS logging off)");
        assertEquals("", version.stderr());

        assertArchived(bin.resolve("heph"));

        Path simDir = Files.createDirectories(tmp.resolve("sim"));
        try (Simulator sim = Simulator.start(SimOptions.in(simDir))) {
            Map<String, String> simEnv = new LinkedHashMap<>(RaceExperiment.env(sim));
            List<String> cmd = List.of(launcher.toString(), "status", "--json");
            ExecResult status = run(simEnv, cmd);
            assertEquals(3, status.exitCode(), "not installed in the simulator: " + status.stderr());
            @SuppressWarnings("unchecked")
            Map<String, Object> st = (Map<String, Object>) Json.parse(status.stdout().strip());
            assertEquals("launchd", st.get("backend"));
            assertEquals(false, st.get("installed"));
            assertTrue(sim.calls().stream().anyMatch(c -> c.verb().equals("print")),
                    "status asked the simulator's launchctl: " + sim.calls());
        }

        String before = Files.readString(launcher);
        Map<String, Object> second = json(install("--no-source"));
        assertEquals(false, second.get("changed"), second.toString());
        assertEquals(first.get("fingerprint"), second.get("fingerprint"));
        assertEquals(before, Files.readString(launcher));
    }

    /**
     * The launcher's JVM loads heph's classes, and on JDK 17–24 picocli's, from the archive ({@code -Xlog:class+load}
     * says "source: shared objects file"): a dynamic archive skipped picocli's Java 5 class files and every class
     * using them. The JDK 25 AOT cache still skips picocli's, so there only heph's are checked.
     */
    void assertArchived(Path launcher) throws IOException {
        Path log = tmp.resolve("class-load.log");
        ExecResult r = run(Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + log, "HEPH_BACKEND", "systemd",
                "HEPH_SYSTEMCTL", "/bin/true"), List.of(launcher.toString(), "status"));
        assertEquals(3, r.exitCode(), "status of nothing installed: " + r.stderr());
        List<String> lines = Files.readAllLines(log);
        List<String> classes = new ArrayList<>(List.of("heph.cli.Main", "heph.cli.CommandModel",
                "heph.cli.Verbs$Status", "heph.cli.GlobalOptions"));
        if (Runtime.version().feature() < 25) {
            classes.addAll(List.of("picocli.CommandLine", "picocli.CommandLine$Model$CommandSpec",
                    "picocli.CommandLine$Interpreter"));
        }
        for (String c : classes) {
            String line = lines.stream().filter(l -> l.contains("] " + c + " source: ")).findFirst().orElse(c
                    + " not loaded");
            assertTrue(line.endsWith("source: shared objects file"), line);
        }
        assertTrue(lines.stream().noneMatch(l -> l.contains("] heph.cli.DoctorCommand ")),
                "status builds no other verb's command model");
    }

    @Test
    void aHephHephDidNotWriteIsLeftAloneUnlessForced() throws IOException {
        Files.createDirectories(bin);
        Path foreign = bin.resolve("heph");
        Files.writeString(foreign, "#!/bin/sh\necho mine\n");
        ExecResult refused = install("--no-source");
        assertEquals(1, refused.exitCode(), refused.stderr());
        assertTrue(refused.stderr().contains(foreign + " exists and was not written by heph install-cli; left as"
                + " it is. Pass --force"), refused.stderr());
        @SuppressWarnings("unchecked") // the one-object contract: a failure is an object too
        Map<String, Object> failure = (Map<String, Object>) Json.parse(refused.stdout().strip());
        assertEquals(List.of("false", "1"), List.of(String.valueOf(failure.get("ok")),
                String.valueOf(failure.get("exit_code"))), refused.stdout());
        assertEquals("#!/bin/sh\necho mine\n", Files.readString(foreign));
        assertFalse(Files.exists(data.resolve("heph")), "nothing written before the refusal");

        Map<String, Object> forced = json(install("--no-source", "--force"));
        assertEquals(true, forced.get("changed"));
        assertTrue(LauncherScript.isOurs(Files.readString(foreign)));
        assertEquals("heph 0.1.0\n", heph("--version").stdout());
    }

    @Test
    void aLauncherForAnotherJdkInstallsItselfAgainBeforeRunning() throws IOException {
        Map<String, Object> first = json(install("--no-source"));
        Path launcher = bin.resolve("heph");
        String good = Files.readString(launcher);
        String releaseLine = good.lines().filter(l -> l.startsWith("jdk_release=")).findFirst().orElseThrow();
        assertTrue(releaseLine.contains("JAVA_RUNTIME_VERSION=\"" + System.getProperty("java.runtime.version")),
                releaseLine);
        // As if the JDK had been upgraded in place since the install: its release file names another version.
        Files.writeString(launcher, good.replace(releaseLine, "jdk_release='JAVA_RUNTIME_VERSION=\"0.0.1-old\"'"));

        ExecResult r = heph("--version");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("heph 0.1.0\n", r.stdout());
        assertEquals("", r.stderr(), "the install that worked is silent: an ordinary call prints heph's lines only");
        assertEquals(good, Files.readString(launcher), "the launcher was written again for the JDK found now");

        ExecResult again = heph("--version");
        assertEquals("", again.stderr(), "fresh again: no second reinstall");
        assertTrue(Files.isDirectory(Path.of((String) first.get("dir"))));
    }

    @Test
    void aReinstallThatFailsSaysWhatInstallCliSaidAndStillRuns() throws IOException {
        install("--no-source");
        Path launcher = bin.resolve("heph");
        String good = Files.readString(launcher);
        String releaseLine = good.lines().filter(l -> l.startsWith("jdk_release=")).findFirst().orElseThrow();
        String binLine = good.lines().filter(l -> l.startsWith("bin=")).findFirst().orElseThrow();
        Path notAFolder = Files.writeString(tmp.resolve("not-a-folder"), "x");
        Files.writeString(launcher, good.replace(releaseLine, "jdk_release='JAVA_RUNTIME_VERSION=\"0.0.1-old\"'")
                .replace(binLine, "bin=" + LauncherScript.quote(notAFolder.toString())));

        ExecResult r = heph("--version");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("heph 0.1.0\n", r.stdout());
        assertTrue(r.stderr().startsWith("heph: heph's sources or the JDK changed since install-cli; installing "
                + launcher + " again failed:\n"), r.stderr());
        assertTrue(r.stderr().contains(notAFolder.toString()), "install-cli's own message: " + r.stderr());
        assertTrue(r.stderr().strip().endsWith("without the class-data archive (install-cli did not finish)"),
                r.stderr());
    }

    @Test
    void anEditedSourceOfTheCloneRebuildsThroughJBang() throws IOException {
        Path clone = tmp.resolve("clone");
        copyTree(Repo.root().resolve("lib"), clone.resolve("lib"));
        Files.copy(Repo.root().resolve("heph.java"), clone.resolve("heph.java"));
        Path hephJava = clone.resolve("heph.java");
        Map<String, Object> first = json(install(hephJava, "--source", hephJava.toString(), "--jbang",
                Repo.root().resolve("jbang").toString()));
        assertEquals(hephJava.toString(), first.get("source"));
        Path stamp = Path.of((String) first.get("dir")).resolve(CliInstaller.STAMP);
        assertEquals("", heph("--version").stderr(), "fresh right after the install");

        // An edit after the install: the stamp is older than a source file of the clone.
        Instant now = Instant.now();
        Files.setLastModifiedTime(stamp, FileTime.from(now.minusSeconds(120)));
        Path edited = clone.resolve("lib/heph/ExitCode.java");
        Files.writeString(edited, Files.readString(edited) + "\n// edited\n");
        Files.setLastModifiedTime(edited, FileTime.from(now.minusSeconds(60)));

        ExecResult r = heph("--version");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("heph 0.1.0\n", r.stdout());
        assertEquals("", r.stderr(), "the rebuild that worked is silent");
        String now2 = Files.readString(bin.resolve("heph"));
        String fp = now2.lines().filter(l -> l.startsWith("# fingerprint ")).findFirst().orElseThrow();
        assertFalse(fp.endsWith((String) first.get("fingerprint")), "new jars, new fingerprint: " + fp);
        assertEquals("", heph("--version").stderr(), "fresh again after the rebuild");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
