package heph.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@org.junit.jupiter.api.Tag("unit")
class DaemonConfigTest {
    private static final String HEPHD = "/Users/u/.cargo/bin/hephd";

    static DaemonConfig full() {
        return new DaemonConfig(HEPHD, "server", "http://indri:8787", "0.0.0.0:8787", "https://auth/o/heph/",
                "heph", "heph-cli", "/data/heph.db", "/data/hephd.sock", true, 600L,
                List.of("--token-file", "/u/tok.json", "--authorized-sub", "abc"));
    }

    @Test
    void defaultsRenderHephdAndModeOnly() {
        DaemonConfig d = DaemonConfig.defaults(HEPHD);
        assertEquals(List.of(HEPHD, "--mode", "local"), d.toArgv());
        assertFalse(d.selfUpdate());
        assertNull(d.selfUpdateIntervalSecs());
        assertEquals(List.of(), d.extraArgs());
    }

    @Test
    void toArgvUsesTheFixedOrderThenExtrasVerbatim() {
        assertEquals(List.of(HEPHD, "--mode", "server", "--hub-url", "http://indri:8787", "--http-addr",
                "0.0.0.0:8787", "--oidc-issuer", "https://auth/o/heph/", "--oidc-audience", "heph",
                "--oidc-client-id", "heph-cli", "--db", "/data/heph.db", "--socket", "/data/hephd.sock",
                "--self-update", "--self-update-interval-secs", "600", "--token-file", "/u/tok.json",
                "--authorized-sub", "abc"), full().toArgv());
    }

    @Test
    void toArgvLeavesOutUnsetFlags() {
        DaemonConfig c = new DaemonConfig(HEPHD, "local", null, null, null, null, null, "/d.db", null, false, 300L,
                null);
        assertEquals(List.of(HEPHD, "--mode", "local", "--db", "/d.db", "--self-update-interval-secs", "300"),
                c.toArgv());
    }

    static Stream<DaemonConfig> configs() {
        DaemonConfig d = DaemonConfig.defaults(HEPHD);
        return Stream.of(d, full(),
                new DaemonConfig(HEPHD, "local", "https://h", null, null, null, "heph", null, "/s", true, null,
                        List.of("--web-root", "/w")),
                new DaemonConfig("/opt/hephd", "local", null, null, null, null, null, null, null, false, 1L,
                        List.of("--verbose")));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void fromArgvInvertsToArgv(DaemonConfig c) {
        assertEquals(c, DaemonConfig.fromArgv(c.toArgv()));
        assertEquals(c.toArgv(), DaemonConfig.fromArgv(c.toArgv()).toArgv());
    }

    @Test
    void acceptsEqualsFormAndMovesKnownFlagsAheadOfExtras() {
        DaemonConfig c = DaemonConfig.fromArgv(List.of("/h/hephd", "--token-file=/t.json", "--db=/x.db",
                "--authorized-sub", "s1", "--mode=server", "--web-root", "/w", "--self-update-interval-secs=900",
                "--authorized-sub", "s2", "--hub-url", "http://indri:8787"));
        assertEquals("server", c.mode());
        assertEquals("/x.db", c.db());
        assertEquals("http://indri:8787", c.hubUrl());
        assertEquals(900L, c.selfUpdateIntervalSecs());
        assertFalse(c.selfUpdate());
        assertEquals(List.of("--token-file=/t.json", "--authorized-sub", "s1", "--web-root", "/w",
                "--authorized-sub", "s2"), c.extraArgs());
        assertEquals(List.of("/h/hephd", "--mode", "server", "--hub-url", "http://indri:8787", "--db", "/x.db",
                "--self-update-interval-secs", "900", "--token-file=/t.json", "--authorized-sub", "s1",
                "--web-root", "/w", "--authorized-sub", "s2"), c.toArgv());
    }

    @Test
    void unknownFlagTakesAFollowingNonFlagAsItsValueOnly() {
        DaemonConfig c = DaemonConfig.fromArgv(List.of("hephd", "--verbose", "--token-load-cmd", "op read x",
                "--offset", "-5", "--quiet"));
        assertEquals(List.of("--verbose", "--token-load-cmd", "op read x", "--offset", "-5", "--quiet"),
                c.extraArgs());
        assertEquals("local", c.mode(), "missing --mode means local");
    }

    @Test
    void oddContentIsKeptNotThrown() {
        List<String> argv = new ArrayList<>(Arrays.asList("hephd", "stray", "--db", "--self-update=maybe",
                "--self-update-interval-secs", "soon", "--mode", null, "server", "--", "--db", "/after.db"));
        DaemonConfig c = DaemonConfig.fromArgv(argv);
        assertNull(c.db(), "--db without a value is not a db");
        assertNull(c.selfUpdateIntervalSecs());
        assertEquals("server", c.mode(), "null elements are skipped");
        assertFalse(c.selfUpdate());
        assertEquals(List.of("stray", "--db", "--self-update=maybe", "--self-update-interval-secs", "soon", "--",
                "--db", "/after.db"), c.extraArgs());
    }

    @Test
    void selfUpdateAcceptsExplicitBooleans() {
        assertTrue(DaemonConfig.fromArgv(List.of("hephd", "--self-update=true")).selfUpdate());
        DaemonConfig off = DaemonConfig.fromArgv(List.of("hephd", "--self-update", "--self-update=false"));
        assertFalse(off.selfUpdate(), "last occurrence wins");
        assertEquals(List.of(), off.extraArgs());
    }

    @Test
    void repeatedKnownFlagLastWins() {
        DaemonConfig c = DaemonConfig.fromArgv(List.of("hephd", "--db", "/a.db", "--db=/b.db"));
        assertEquals("/b.db", c.db());
        assertEquals(List.of(), c.extraArgs());
    }

    @Test
    void emptyArgvIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> DaemonConfig.fromArgv(List.of()));
        assertThrows(IllegalArgumentException.class, () -> DaemonConfig.fromArgv(null));
        assertThrows(IllegalArgumentException.class, () -> DaemonConfig.fromArgv(Arrays.asList((String) null)));
    }

    @Test
    void extraArgsAreCopiedAndImmutable() {
        List<String> extras = new ArrayList<>(List.of("--web-root", "/w"));
        DaemonConfig c = new DaemonConfig(HEPHD, null, null, null, null, null, null, null, null, false, null, extras);
        extras.add("--later");
        assertEquals(List.of("--web-root", "/w"), c.extraArgs());
        assertEquals("local", c.mode());
        assertThrows(UnsupportedOperationException.class, () -> c.extraArgs().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> c.toArgv().add("x"));
    }
}
