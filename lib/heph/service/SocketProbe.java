package heph.service;

import heph.HephException;
import heph.time.Clock;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/** --wait-ready: hephd is ready when its unix socket accepts a connection. */
public final class SocketProbe {
    private SocketProbe() {
    }

    public static boolean accepts(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** --wait-ready after start/restart: a no-op unless the settings ask for it (readyTimeout set). */
    public static void awaitReady(Settings s, java.util.List<String> hephdArgv, Clock clock) {
        if (s.readyTimeout() != null) {
            awaitReady(Path.of(s.socketFor(hephdArgv)), s.readyTimeout(), clock);
        }
    }

    /** Waits until {@code socket} accepts, polling with back-off; fails after {@code bound}. Returns ms waited. */
    public static long awaitReady(Path socket, Duration bound, Clock clock) {
        long start = clock.millis();
        long pause = 10;
        while (!accepts(socket)) {
            long waited = clock.millis() - start;
            if (waited >= bound.toMillis()) {
                throw HephException.failed("hephd is running but its socket " + socket + " did not accept a"
                        + " connection within " + bound.toMillis() + " ms; see the daemon's log");
            }
            clock.sleep(Duration.ofMillis(Math.min(pause, bound.toMillis() - waited)));
            pause = Math.min(pause * 2, 200);
        }
        return clock.millis() - start;
    }
}
