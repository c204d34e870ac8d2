package heph.sim;

import static org.junit.jupiter.api.Assertions.fail;

import com.dd.plist.NSDictionary;
import com.dd.plist.XMLPropertyListWriter;
import heph.json.Json;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import heph.proc.ZtExecRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Test helpers around one Simulator: plists, launchctl calls through the real shim, daemon.info, bounded waits. */
public final class SimHarness {
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    public static final String LABEL = "org.hephaestus.hephd";
    public final Simulator sim;
    public final ProcessRunner runner = new ZtExecRunner();

    public SimHarness(Simulator sim) {
        this.sim = sim;
    }

    /** Runs the real bin/launchctl shim. */
    public ExecResult lc(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(sim.launchctl().toString());
        argv.addAll(List.of(args));
        return runner.run(argv, CALL_TIMEOUT);
    }

    public String target(String label) {
        return sim.domain() + "/" + label;
    }

    /** A LaunchAgent running bin/hephd with {@code args}; RunAtLoad + KeepAlive unless overridden in extra. */
    public Path plist(String label, List<String> args, Map<String, Object> extra) {
        NSDictionary d = new NSDictionary();
        d.put("Label", label);
        List<String> argv = new ArrayList<>();
        argv.add(sim.hephd().toString());
        argv.addAll(args);
        d.put("ProgramArguments", argv.toArray(new String[0]));
        d.put("RunAtLoad", true);
        d.put("KeepAlive", true);
        d.put("StandardOutPath", sim.logs().resolve(label + ".out.log").toString());
        d.put("StandardErrorPath", sim.logs().resolve(label + ".err.log").toString());
        extra.forEach(d::put);
        Path file = sim.launchAgents().resolve(label + ".plist");
        try {
            Files.createDirectories(file.getParent());
            XMLPropertyListWriter.write(d, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public Path plist(String label) {
        return plist(label, List.of("--mode", "local"), Map.of());
    }

    public Path defaultSocket() {
        return sim.home().resolve(".local/share/heph/hephd.sock");
    }

    /** One daemon.info round trip; throws IOException while nobody listens. */
    public static Map<String, Object> info(Path socket) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("{\"id\":7,\"method\":\"daemon.info\"}\n".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (buf.position() == 0 || buf.get(buf.position() - 1) != '\n') {
                if (ch.read(buf) < 0) {
                    throw new IOException("daemon closed the connection");
                }
            }
            String line = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
            @SuppressWarnings("unchecked")
            Map<String, Object> reply = (Map<String, Object>) Json.parse(line);
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) reply.get("result");
            return result;
        }
    }

    /** daemon.info of the daemon whose pid is {@code pid}, waiting (bounded) for its socket. */
    public Map<String, Object> awaitInfo(Path socket, long pid) {
        return awaitValue("daemon pid " + pid + " answering on " + socket, () -> {
            try {
                return info(socket);
            } catch (IOException e) {
                return Map.of();
            }
        }, m -> m.get("pid") instanceof Number n && n.longValue() == pid, Duration.ofSeconds(20));
    }

    public Map<String, Object> awaitInfo() {
        return awaitInfo(defaultSocket(), sim.runningPid(LABEL).orElseThrow());
    }

    public static void await(String what, BooleanSupplier condition, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("gave up after " + max.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** Polls {@code value} until {@code ok} accepts it (bounded) and returns that value. */
    public static <T> T awaitValue(String what, Supplier<T> value, Predicate<T> ok, Duration max) {
        List<T> last = new ArrayList<>(List.of());
        await(what, () -> {
            last.clear();
            last.add(value.get());
            return ok.test(last.get(0));
        }, max);
        return last.get(0);
    }

    public static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    public static final String EIO = "Bootstrap failed: 5: Input/output error\n"
            + "Try re-running the command as root for richer errors.\n";
}
