package heph.sim.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("unit")
class DaemonArgsTest {
    @Test
    void flagsWinOverEnvironment() {
        DaemonArgs a = DaemonArgs.parse(List.of("--mode", "server", "--db=/d/h.db", "--socket", "/s/h.sock",
                "--hub-url", "http://hub", "--self-update", "--unknown-flag"), Map.of("HOME", "/home/u"));
        assertEquals(List.of("server", Path.of("/d/h.db"), Path.of("/s/h.sock")), List.of(a.mode(), a.db(),
                a.socket()));
        assertTrue(a.selfUpdate());
    }

    @Test
    void socketFallsBackToXdgRuntimeDirThenHome() {
        // docs/facts/hephd.md §4: $XDG_RUNTIME_DIR/heph/hephd.sock, else ~/.local/share/heph/hephd.sock
        assertEquals(Path.of("/run/user/1000/heph/hephd.sock"), DaemonArgs.parse(List.of(),
                Map.of("HOME", "/home/u", "XDG_RUNTIME_DIR", "/run/user/1000")).socket());
        DaemonArgs plain = DaemonArgs.parse(List.of(), Map.of("HOME", "/home/u"));
        assertEquals(Path.of("/home/u/.local/share/heph/hephd.sock"), plain.socket());
        assertEquals(Path.of("/home/u/.local/share/heph/heph.db"), plain.db()); // docs/facts/hephd.md §4 DB
    }
}
