package heph.reallaunchd;

import heph.cli.Main;
import heph.fs.Owner;
import heph.json.Json;
import heph.proc.ExecResult;
import heph.proc.ZtExecRunner;
import heph.service.Settings;
import heph.sim.daemon.DaemonRpc;
import heph.sim.daemon.SampleDaemon;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One throwaway LaunchAgent driven by heph: the label {@link #RUN_LABEL} (fresh per JVM run, never hephd's), the
 * sample daemon ({@link SampleDaemon}) run by a generated /bin/sh wrapper, and every path it uses (wrapper, socket,
 * database, logs) in a temp folder. Before heph first runs {@code start}, {@link #seedPlist()} writes the plist with
 * hephd's {@code --socket}/{@code --db} and log paths in that folder, which heph keeps: nothing of the user's hephd
 * is read or written.
 *
 * <p>{@link #close()} removes everything the run could have left, whatever state it is in, and is idempotent:
 * {@code launchctl bootout gui/<uid>/<label>}, wait until {@code print} answers 113, kill any process whose command
 * line carries this run's marker, delete {@code ~/Library/LaunchAgents/<label>.plist} (and heph's temp or set-aside
 * copies of it), heph's lock {@code ~/.local/state/heph/<label>.lock}, its loaded copy {@code ~/.local/state/heph/loaded/<label>.plist}, the folders under HOME this run created, and
 * the temp folder. A JVM shutdown hook closes agents a test did not (Ctrl-C, a crash in a test's setup).
 */
final class ThrowawayAgent implements AutoCloseable {
    static final String PREFIX = "org.hephaestus.heph-test.";
    /**
     * The run's label. Random on purpose (not seeded): two runs, or a run after a crashed one, must never share a
     * label; nothing in the tests depends on its value.
     */
    static final String RUN_LABEL = PREFIX + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    /** The system property on the daemon's java command line that marks this run's processes. */
    static final String MARKER_KEY = "heph.reallaunchd.label";
    static final Duration CALL = Duration.ofSeconds(15);
    /** Folders under HOME that heph or launchd may create; the ones missing before the run are removed after it. */
    private static final List<String> HOME_DIRS = List.of("Library", "Library/LaunchAgents", "Library/Logs",
            "Library/Logs/heph", ".local", ".local/state", ".local/state/heph", ".local/state/heph/loaded");
    private static final Set<ThrowawayAgent> LIVE = new LinkedHashSet<>();
    private static boolean hookInstalled;

    /** One heph run: exit code, stdout, stderr. */
    record Run(int exit, String out, String err) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(out.strip());
        }

        long pid(String key) {
            return ((Number) json().get(key)).longValue();
        }
    }

    final LaunchdHost host;
    final String label;
    final Path dir;
    final Path wrapper;
    final Path socket;
    final Path db;
    final Path outLog;
    final Path errLog;
    private final List<Path> missingBefore = new ArrayList<>();
    private final ZtExecRunner runner = new ZtExecRunner();
    private boolean closed;

    private ThrowawayAgent(LaunchdHost host, String label, Path dir) {
        this.host = host;
        this.label = label;
        this.dir = dir;
        this.wrapper = dir.resolve("hephd");
        this.socket = dir.resolve("hephd.sock");
        this.db = dir.resolve("heph.db");
        this.outLog = dir.resolve("hephd.out.log");
        this.errLog = dir.resolve("hephd.err.log");
    }

    static ThrowawayAgent create(LaunchdHost host) {
        String label = RUN_LABEL;
        if (!label.startsWith(PREFIX) || label.equals(Settings.DEFAULT_LABEL)) {
            throw new IllegalStateException("refusing to touch the label " + label);
        }
        ThrowawayAgent a;
        try {
            a = new ThrowawayAgent(host, label, shortTempDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String d : HOME_DIRS) {
            if (!Files.isDirectory(host.home.resolve(d))) {
                a.missingBefore.add(host.home.resolve(d));
            }
        }
        register(a);
        try {
            writeFile(a.wrapper, a.wrapperScript(), "rwx------");
        } catch (IOException e) {
            a.close();
            throw new UncheckedIOException(e);
        }
        return a;
    }

    /** macOS caps a unix socket path at 104 bytes: the temp folder must leave room for "/hephd.sock". */
    private static Path shortTempDir() throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
        if (base.toString().length() > 60) {
            base = Path.of("/tmp").toRealPath();
        }
        return Files.createTempDirectory(base, "heph-rl-").toRealPath();
    }

    private static synchronized void register(ThrowawayAgent a) {
        LIVE.add(a);
        if (!hookInstalled) {
            hookInstalled = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll().forEach(p ->
                    System.err.println("real-launchd tier cleanup: " + p)), "heph-reallaunchd-cleanup"));
        }
    }

    /** Closes every agent still open; the problems it met (also used by @AfterAll). */
    static List<String> closeAll() {
        List<ThrowawayAgent> open;
        synchronized (ThrowawayAgent.class) {
            open = new ArrayList<>(LIVE);
        }
        List<String> problems = new ArrayList<>();
        for (ThrowawayAgent a : open) {
            problems.addAll(a.cleanUp());
        }
        return problems;
    }

    /** exec java ... SampleDaemon "$@", with this JVM's java and classpath, marked with the label. */
    private String wrapperScript() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return "#!/bin/sh\n# heph real-launchd tier (generated): runs heph.sim.daemon.SampleDaemon as a throwaway hephd.\n"
                + "exec " + quote(java) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
                + " -D" + MARKER_KEY + "=" + label
                + " -cp " + quote(System.getProperty("java.class.path")) + " " + SampleDaemon.class.getName()
                + " \"$@\"\n";
    }

    /**
     * ~/Library/LaunchAgents/&lt;label&gt;.plist with hephd's --db and --socket and both logs in the temp folder;
     * heph keeps them (baked flags and log paths already in the plist survive), so it never falls back to
     * ~/Library/Logs/heph or ~/.local/share/heph.
     */
    void seedPlist() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                	<key>Label</key>
                	<string>%s</string>
                	<key>ProgramArguments</key>
                	<array>
                		<string>%s</string>
                		<string>--mode</string>
                		<string>local</string>
                		<string>--db</string>
                		<string>%s</string>
                		<string>--socket</string>
                		<string>%s</string>
                	</array>
                	<key>StandardOutPath</key>
                	<string>%s</string>
                	<key>StandardErrorPath</key>
                	<string>%s</string>
                </dict>
                </plist>
                """.formatted(xml(label), xml(wrapper), xml(db), xml(socket), xml(outLog), xml(errLog));
        try {
            writeFile(plist(), xml, "rw-r--r--");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path plist() {
        return host.home.resolve("Library/LaunchAgents").resolve(label + ".plist");
    }

    Path lockFile() {
        return host.home.resolve(".local/state/heph").resolve(label + ".lock");
    }

    String target() {
        return "gui/" + Owner.uid() + "/" + label;
    }

    /** heph's CLI in this JVM, with HOME, launchctl, hephd and the label of this agent. */
    Run heph(String... args) {
        if (args.length > 0 && (args[0].equals("start") || args[0].equals("restart")) && !Files.exists(plist())) {
            throw new IllegalStateException("seedPlist() first: without it heph would log to ~/Library/Logs/heph");
        }
        Map<String, String> env = Map.of("HOME", host.home.toString(), "HEPH_BACKEND", "launchd",
                "HEPH_LAUNCHCTL", host.launchctl.toString(), "HEPH_HEPHD", wrapper.toString(), "HEPH_LABEL", label,
                "PATH", "/usr/bin:/bin");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err), env, dir, false);
        return new Run(code, out.toString(), err.toString());
    }

    ExecResult launchctl(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(host.launchctl.toString());
        argv.addAll(List.of(args));
        return runner.run(argv, CALL);
    }

    /** The daemon with {@code pid}, as it answers on its socket (polled, bounded). */
    Map<String, Object> daemon(long pid) {
        return DaemonRpc.awaitPid(socket, pid, Duration.ofSeconds(15)).orElseThrow(() -> new AssertionError(
                "the daemon pid " + pid + " does not answer on " + socket + "; its stderr: " + tail(errLog)));
    }

    @SuppressWarnings("unchecked")
    List<String> argv(long pid) {
        return (List<String>) daemon(pid).get("argv");
    }

    /** Live processes whose command line carries this run's marker (the daemons, whoever started them). */
    List<ProcessHandle> leftovers() {
        String marker = "-D" + MARKER_KEY + "=" + label;
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.pid() != ProcessHandle.current().pid())
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)
                            || p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                    .toList();
        }
    }

    /** The folders under HOME that did not exist when this agent was created. */
    List<Path> missingBefore() {
        return List.copyOf(missingBefore);
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Removes everything (see the class comment); a second call does nothing. Throws when something was left. */
    @Override
    public void close() {
        List<String> problems = cleanUp();
        if (!problems.isEmpty()) {
            throw new AssertionError("cleanup of " + label + " left: " + String.join("; ", problems));
        }
    }

    /** Every step runs whatever the previous ones did; the returned list says what could not be undone. */
    private synchronized List<String> cleanUp() {
        if (closed) {
            return List.of();
        }
        closed = true;
        List<String> problems = new ArrayList<>();
        // 1-3, in rounds: a test thread may still be running heph while a shutdown hook cleans up
        for (int round = 1; round <= 3; round++) {
            List<String> left = unload();
            if (left.isEmpty() || round == 3) {
                problems.addAll(left);
                break;
            }
        }
        // 4. the plist, heph's temp and set-aside copies of it, heph's lock and hand-off log for this label
        deleteMatching(plist().getParent(), label + ".plist", problems);
        deleteMatching(plist().getParent(), "." + label + ".plist.", problems);
        deleteMatching(lockFile().getParent(), label + ".lock", problems);
        deleteMatching(lockFile().getParent(), "handoff-" + label + ".log", problems);
        // heph's copy of the plist it loaded (and its temp files): heph stop forgets it, a bootout here does not
        deleteMatching(lockFile().getParent().resolve("loaded"), label + ".plist", problems);
        deleteMatching(lockFile().getParent().resolve("loaded"), "." + label + ".plist.", problems);
        // 5. folders under HOME this run created, deepest first, only when empty
        List<Path> created = new ArrayList<>(missingBefore);
        created.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path d : created) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> in = Files.list(d)) {
                if (in.findAny().isPresent()) {
                    problems.add(d + " did not exist before the run and is not empty now");
                } else {
                    Files.delete(d);
                }
            } catch (IOException e) {
                problems.add("cannot remove " + d + ": " + e);
            }
        }
        // 6. the temp folder (wrapper, socket, database, logs)
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            problems.add("cannot remove " + dir + ": " + e);
        }
        synchronized (ThrowawayAgent.class) {
            LIVE.remove(this);
        }
        return problems;
    }

    /**
     * bootout (first, or launchd's KeepAlive would respawn what is killed), wait until print answers 113 (bootout is
     * asynchronous: docs/facts/launchd-facts.md §2, §9), kill whatever still carries the marker; what is left, as problems.
     */
    private List<String> unload() {
        List<String> problems = new ArrayList<>();
        Call bootout = cleanupCall("bootout", target());
        // 0 booted out; 3 (no such process) / 113 (not loaded): nothing to do (docs/facts/launchd-facts.md §2)
        if (bootout.code != 0 && bootout.code != 3 && bootout.code != 113) {
            problems.add("launchctl bootout " + target() + " answered " + bootout);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Call print = cleanupCall("print", target());
        while (print.code == 0 && System.nanoTime() < deadline) {
            sleep(100);
            print = cleanupCall("print", target());
        }
        if (print.code != 113) {
            problems.add("launchctl print " + target() + " answers " + print + " (113 expected)");
        }
        for (ProcessHandle p : leftovers()) {
            p.destroyForcibly();
            try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                problems.add("process " + p.pid() + " survived SIGKILL");
            }
        }
        return problems;
    }

    /** A launchctl call's exit code (-1: timed out and killed) and the first line of its stderr. */
    private record Call(int code, String err) {
        @Override
        public String toString() {
            return code + (err.isBlank() ? "" : ": " + err);
        }
    }

    /**
     * launchctl for the cleanup, bounded by {@link #CALL}, stdout discarded, stderr kept. Not the zt-exec seam: its
     * processes are destroyed by zt-exec's own shutdown hook, which runs alongside ours on Ctrl-C.
     */
    private Call cleanupCall(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(host.launchctl.toString());
        argv.addAll(List.of(args));
        Path err = null;
        try {
            err = Files.createTempFile("heph-rl-launchctl", ".err");
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                    "/dev/null"))).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(CALL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                ZtExecRunner.killTree(p.toHandle());
                return new Call(-1, String.join(" ", argv) + " did not answer within " + CALL.toSeconds() + " s");
            }
            String first = Files.readString(err).strip().lines().findFirst().orElse("");
            return new Call(p.exitValue(), first);
        } catch (IOException e) {
            return new Call(-1, "cannot run " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Call(-1, "interrupted");
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException e) {
                    // a stray empty temp file is not worth failing the cleanup for
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes the files in {@code folder} named {@code prefix} or {@code prefix*} (the label makes them ours). */
    private static void deleteMatching(Path folder, String prefix, List<String> problems) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder,
                f -> f.getFileName().toString().startsWith(prefix))) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            problems.add("cannot remove " + folder.resolve(prefix) + "*: " + e);
        }
    }

    private static void writeFile(Path file, String text, String mode) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".seed.tmp");
        Files.writeString(tmp, text);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return lines.isEmpty() ? "(empty)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 5),
                    lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String xml(Object o) {
        return o.toString().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
