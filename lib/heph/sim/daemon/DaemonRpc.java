package heph.sim.daemon;

import heph.json.Json;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A client of the sample daemon's line-delimited JSON-RPC (docs/facts/hephd.md §4): one {@code daemon.info} round trip on
 * its unix socket, bounded in time. Used by the race experiment to ask the daemon for its own argv, and by tests
 * to make the daemon run a command from inside the job (daemon.spawn), as hephd's self-update does.
 */
public final class DaemonRpc {
    private DaemonRpc() {
    }

    /** daemon.info's result (pid, argv, started_ms, ...), or empty when nobody answers within {@code bound}. */
    public static Optional<Map<String, Object>> info(Path socket, Duration bound) {
        return call(socket, "daemon.info", Map.of(), bound);
    }

    /** One request {@code {"id":1,"method":method,"params":params}}; its result, or empty (error, no answer). */
    public static Optional<Map<String, Object>> call(Path socket, String method, Map<String, Object> params,
                                                     Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("id", 1);
        request.put("method", method);
        request.put("params", params);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((Json.write(request) + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
            while (buf.position() == 0 || buf.get(buf.position() - 1) != '\n') {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || !buf.hasRemaining()) {
                    return Optional.empty();
                }
                selector.select(left);
                selector.selectedKeys().clear();
                if (ch.read(buf) < 0) {
                    return Optional.empty();
                }
            }
            return result(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // nobody listens (yet), or the daemon went away mid-answer
        }
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> result(String line) {
        if (Json.parse(line) instanceof Map<?, ?> reply && reply.get("result") instanceof Map<?, ?> r) {
            return Optional.of((Map<String, Object>) r);
        }
        return Optional.empty();
    }

    /** Polls until the daemon with {@code pid} answers on {@code socket}; empty after {@code bound}. */
    public static Optional<Map<String, Object>> awaitPid(Path socket, long pid, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Optional<Map<String, Object>> info = info(socket, Duration.ofSeconds(2));
            if (info.isPresent() && info.get().get("pid") instanceof Number n && n.longValue() == pid) {
                return info;
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
