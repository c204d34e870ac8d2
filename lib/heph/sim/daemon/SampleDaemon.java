package heph.sim.daemon;

import heph.json.Json;
import heph.proc.Signals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for hephd (docs/facts/hephd.md §3, §4): accepts hephd's flags, holds the single-writer lock {@code <db>.lock}
 * (a second instance exits 75 naming the holder's pid), answers line-delimited JSON-RPC on its unix socket
 * ({@code daemon.info}) and shuts down on SIGTERM. Behaviour knobs come from the properties file named by the
 * system property {@value #PROPERTIES_KEY}, read once at start. Logs one line per event to stdout.
 */
public final class SampleDaemon {
    public static final String PROPERTIES_KEY = "heph.sim.daemon.properties";
    /** How long shutdown takes after SIGTERM (ms, default 0). */
    public static final String SHUTDOWN_MS = "shutdownMs";
    /** Extra random shutdown time in [0, N] ms from Random(seed) (default 0). */
    public static final String SHUTDOWN_JITTER_MS = "shutdownJitterMs";
    public static final String SEED = "seed";
    /** true: SIGTERM is ignored (SIG_IGN), so only SIGKILL ends the daemon. */
    public static final String IGNORE_SIGTERM = "ignoreSigterm";
    /**
     * true: no SIGTERM handler of its own, so the daemon dies of SIGTERM (the JVM exits 128+15, which the simulator
     * records as the signal), like the shell script of real-launchctl print-07 ({@code last terminating signal =
     * Terminated: 15}).
     */
    public static final String DIE_OF_SIGTERM = "dieOfSigterm";
    /** true: start a long-lived child (like heph-quickadd) that is left behind on exit, to prove group kills. */
    public static final String SPAWN_CHILD = "spawnChild";
    /** Delay between taking the lock and listening on the socket (ms, default 0). */
    public static final String STARTUP_MS = "startupMs";
    /** Exit status when the database is locked by another instance (EX_TEMPFAIL). */
    public static final int LOCKED_EXIT = 75;

    private final DaemonArgs args;
    private final Properties knobs;
    private final long pid = ProcessHandle.current().pid();
    private final long startedMs = System.currentTimeMillis();
    private volatile boolean stopping;
    private FileLock lock;
    private ServerSocketChannel server;
    private Process child;

    private SampleDaemon(DaemonArgs args, Properties knobs) {
        this.args = args;
        this.knobs = knobs;
    }

    public static void main(String[] argv) throws Exception {
        DaemonArgs a = DaemonArgs.parse(List.of(argv), System.getenv());
        if (a.version()) {
            System.out.println("hephd 0.0.0-sim (heph.sim.daemon.SampleDaemon)");
            return;
        }
        int code = new SampleDaemon(a, loadKnobs()).run();
        if (code < 0) {
            new CountDownLatch(1).await(); // shutting down on the signal thread, which exits the JVM
        }
        System.exit(code);
    }

    private static Properties loadKnobs() throws IOException {
        Properties p = new Properties();
        String file = System.getProperty(PROPERTIES_KEY);
        if (file != null && Files.exists(Path.of(file))) {
            try (Reader r = Files.newBufferedReader(Path.of(file))) {
                p.load(r);
            }
        }
        return p;
    }

    private long knob(String key) {
        return Long.parseLong(knobs.getProperty(key, "0").strip());
    }

    private boolean flag(String key) {
        return Boolean.parseBoolean(knobs.getProperty(key, "false").strip());
    }

    private void log(String event) {
        System.out.println("hephd[" + pid + "]: " + event);
    }

    /** Exit status, or -1 when a SIGTERM shutdown is in progress. */
    private int run() throws Exception {
        log("starting mode=" + args.mode() + " db=" + args.db() + " socket=" + args.socket() + " argv="
                + args.argv());
        // The simulator plays launchd/systemd: if it dies (even by SIGKILL), its daemons must not run on as orphans.
        ProcessHandle.current().parent().ifPresent(manager -> manager.onExit().thenRun(() -> {
            log("the simulator (pid " + manager.pid() + ") is gone; exiting");
            Runtime.getRuntime().halt(0);
        }));
        if (!lock()) {
            return LOCKED_EXIT;
        }
        if (flag(IGNORE_SIGTERM)) {
            Signals.ignore("TERM");
            log("ignoring SIGTERM");
        } else if (flag(DIE_OF_SIGTERM)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> log("SIGTERM: dying of it")));
        } else {
            Signals.trap(List.of("TERM"), sig -> shutdown());
        }
        Thread.sleep(knob(STARTUP_MS));
        if (flag(SPAWN_CHILD)) {
            child = new ProcessBuilder("sleep", "3600").redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            log("child started pid=" + child.pid());
        }
        Files.createDirectories(args.socket().toAbsolutePath().getParent());
        Files.deleteIfExists(args.socket()); // a stale socket of a killed predecessor
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(args.socket()));
        log("listening on " + args.socket());
        while (true) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (stopping) {
                    return -1;
                }
                log("socket failed: " + e.getMessage());
                return 1;
            }
            Thread t = new Thread(() -> serve(c), "rpc");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The single-writer lock; on failure prints hephd's message naming the holder. */
    private boolean lock() throws IOException, InterruptedException {
        Path lockFile = Path.of(args.db() + ".lock");
        Files.createDirectories(lockFile.toAbsolutePath().getParent());
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        lock = ch.tryLock();
        if (lock == null) {
            String owner = "";
            for (int i = 0; i < 20 && owner.isEmpty(); i++) {
                owner = Files.readString(lockFile).strip();
                if (owner.isEmpty()) {
                    Thread.sleep(25);
                }
            }
            System.err.println("hephd: database " + args.db() + " is locked by another hephd (pid "
                    + (owner.isEmpty() ? "?" : owner) + ")");
            log("exit " + LOCKED_EXIT + ": database locked");
            return false;
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        log("lock taken " + lockFile);
        return true;
    }

    private void shutdown() {
        if (stopping) {
            return;
        }
        stopping = true;
        long jitter = knob(SHUTDOWN_JITTER_MS);
        long ms = knob(SHUTDOWN_MS) + (jitter > 0 ? new Random(knob(SEED)).nextInt((int) jitter + 1) : 0);
        log("SIGTERM: shutting down in " + ms + " ms");
        try {
            Thread.sleep(ms);
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(args.socket());
            lock.release();
            lock.channel().close();
        } catch (Exception e) {
            log("shutdown trouble: " + e);
        }
        log("exit 0");
        System.exit(0);
    }

    private void serve(SocketChannel c) {
        try (c; BufferedReader in = new BufferedReader(Channels.newReader(c, StandardCharsets.UTF_8));
             Writer out = Channels.newWriter(c, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(Json.write(answer(line)) + "\n");
                out.flush();
            }
        } catch (IOException e) {
            // client went away
        }
    }

    /** One JSON-RPC reply: {@code daemon.info} -> pid, argv, started_ms; anything else -> an error object. */
    Map<String, Object> answer(String line) {
        Map<String, Object> reply = new LinkedHashMap<>();
        Object request;
        try {
            request = Json.parse(line);
        } catch (IllegalArgumentException e) {
            reply.put("id", null);
            reply.put("error", error(-32700, "parse error: " + e.getMessage()));
            return reply;
        }
        Map<?, ?> req = request instanceof Map<?, ?> m ? m : Map.of();
        reply.put("id", req.get("id"));
        if ("daemon.info".equals(req.get("method"))) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("pid", pid);
            r.put("argv", args.argv());
            r.put("started_ms", startedMs);
            r.put("mode", args.mode());
            r.put("db", args.db().toString());
            r.put("socket", args.socket().toString());
            r.put("child_pid", child == null ? null : child.pid());
            r.put("env", new LinkedHashMap<>(System.getenv()));
            reply.put("result", r);
        } else if ("daemon.spawn".equals(req.get("method")) && req.get("params") instanceof Map<?, ?> params) {
            spawn(params, reply);
        } else {
            reply.put("error", error(-32601, "method not found: " + req.get("method")));
        }
        return reply;
    }

    /**
     * {@code daemon.spawn {argv, env, unset, log}}: runs argv as this daemon's child, in its process group, with its
     * environment plus {@code env} minus {@code unset}, output appended to {@code log}. That is how hephd's
     * self-update runs `heph restart` from inside the job, which bootout would kill halfway.
     */
    private void spawn(Map<?, ?> params, Map<String, Object> reply) {
        try {
            List<String> argv = ((List<?>) params.get("argv")).stream().map(String::valueOf).toList();
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new java.io.File(String.valueOf(params.get("log")))));
            if (params.get("env") instanceof Map<?, ?> env) {
                env.forEach((k, v) -> pb.environment().put(String.valueOf(k), String.valueOf(v)));
            }
            if (params.get("unset") instanceof List<?> unset) {
                unset.forEach(k -> pb.environment().remove(String.valueOf(k)));
            }
            Process p = pb.start();
            log("spawned pid " + p.pid() + ": " + String.join(" ", argv));
            reply.put("result", Map.of("pid", p.pid()));
        } catch (IOException | RuntimeException e) {
            reply.put("error", error(-32000, "spawn failed: " + e));
        }
    }

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        return e;
    }
}
