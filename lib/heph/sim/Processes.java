package heph.sim;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Starts and tracks every daemon process of a simulator. Each runs in its own session and process group via
 * /usr/bin/setsid, which execs in place, so the pid Java sees is the daemon's (on systems without setsid the
 * process stays in the simulator's group and group kills fall back to its descendants). stdin is /dev/null;
 * stdout/stderr are appended to their files or discarded; a missing parent folder is created only when the caller
 * asks (docs/facts/launchd-facts.md §11/§13: whether launchd does is disputed; the launchd simulator does not by default). Long-lived children cannot go
 * through heph.proc.ProcessRunner (it runs commands to completion), hence ProcessBuilder here.
 */
public final class Processes {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private final List<SimProcess> all = new CopyOnWriteArrayList<>();
    private final ExecutorService reaper = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sim-reaper");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /**
     * Starts {@code argv} (argv[0] looked up on the env's PATH, like execvp). Throws IOException when it cannot
     * start at all (missing working directory, unwritable log path, simulator closed).
     */
    public SimProcess start(String label, List<String> argv, Map<String, String> env, Path cwd, Path out, Path err,
                     boolean killLeftovers) throws IOException {
        return start(label, argv, env, cwd, out, err, killLeftovers, true);
    }

    /** As above; {@code createLogFolders} false: a log file whose folder is missing fails the start. */
    public SimProcess start(String label, List<String> argv, Map<String, String> env, Path cwd, Path out, Path err,
                     boolean killLeftovers, boolean createLogFolders) throws IOException {
        if (closed) {
            throw new IOException("the simulator is closed");
        }
        if (executable(argv.get(0), env.getOrDefault("PATH", ""), cwd) == null) {
            throw new IOException(argv.get(0) + ": no such executable");
        }
        boolean setsid = Files.isExecutable(SETSID);
        List<String> cmd = new ArrayList<>();
        if (setsid) {
            cmd.add(SETSID.toString());
        }
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(target(out, createLogFolders));
        pb.redirectError(target(err, createLogFolders));
        SimProcess p;
        synchronized (this) {
            if (closed) { // checked again under the lock closeAll takes: no spawn can slip past a close
                throw new IOException("the simulator is closed");
            }
            Process proc = pb.start();
            p = new SimProcess(label, proc, argv, System.currentTimeMillis(), setsid);
            all.add(p);
        }
        SimProcess started = p;
        p.process.onExit().thenRunAsync(() -> started.reaped(killLeftovers), reaper);
        return p;
    }

    /** execvp(3)'s lookup: a name with a slash is taken as is (relative to cwd), else searched on PATH. */
    static Path executable(String name, String path, Path cwd) {
        if (name.contains("/")) {
            Path p = cwd.resolve(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir).resolve(name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static ProcessBuilder.Redirect target(Path file, boolean createFolder) throws IOException {
        if (file == null) {
            return ProcessBuilder.Redirect.DISCARD;
        }
        if (file.getParent() != null && createFolder) {
            Files.createDirectories(file.getParent());
        } else if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
            throw new IOException(file.getParent() + ": no such folder (the log folder is not created)");
        }
        return ProcessBuilder.Redirect.appendTo(file.toFile());
    }

    List<Spawn> spawns(String label) {
        return all.stream().filter(p -> label == null || p.label.equals(label)).map(SimProcess::snapshot).toList();
    }

    /**
     * SIGKILLs the process group of every leader still alive and waits briefly for them to be reaped (the groups
     * of reaped leaders were already cleared at reap time; their pids may belong to someone else by now).
     */
    void closeAll() {
        synchronized (this) {
            closed = true;
        }
        for (SimProcess p : all) {
            if (p.alive()) {
                p.killGroup();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (SimProcess p : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    p.exited().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception e) {
                // best effort: the JVM may be shutting down
            }
        }
        reaper.shutdown();
    }
}
