package heph.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("unit")
class FlagOverridesTest {
    private static final Path CWD = Path.of("/home/u/work");
    private static final String HEPHD = "/usr/local/bin/hephd";

    /** A spoke configured by hand: hub, OIDC, paths, self-update, and flags heph does not model. */
    private static DaemonConfig spoke() {
        return DaemonConfig.fromArgv(List.of(HEPHD, "--mode", "local", "--hub-url", "http://indri:8787",
                "--oidc-client-id", "heph", "--db", "/d/heph.db", "--socket", "/d/hephd.sock", "--self-update",
                "--self-update-interval-secs", "120", "--token-file", "/d/tok.json"));
    }

    @Test
    void noneIsEmptyAndChangesNothing() {
        assertTrue(FlagOverrides.none().isEmpty());
        assertTrue(FlagOverrides.builder(CWD).build().isEmpty());
        assertEquals(spoke(), FlagOverrides.none().applyTo(spoke()));
    }

    @Test
    void restartWithIntervalsKeepsEverythingElse() {
        // docs/facts/hephd.md §5: flags not passed on restart are kept from the baked plist/unit
        DaemonConfig first = FlagOverrides.builder(CWD).selfUpdateIntervalSecs("300").build().applyTo(spoke());
        DaemonConfig second = FlagOverrides.builder(CWD).selfUpdateIntervalSecs("600").build()
                .applyTo(DaemonConfig.fromArgv(first.toArgv()));
        assertEquals(List.of(HEPHD, "--mode", "local", "--hub-url", "http://indri:8787", "--oidc-client-id",
                "heph", "--db", "/d/heph.db", "--socket", "/d/hephd.sock", "--self-update",
                "--self-update-interval-secs", "600", "--token-file", "/d/tok.json"), second.toArgv());
        assertEquals(300L, first.selfUpdateIntervalSecs());
    }

    @Test
    void noSelfUpdateRemovesBothSelfUpdateFlagsAndKeepsTheRest() {
        FlagOverrides off = FlagOverrides.builder(CWD).selfUpdate(false).build();
        assertFalse(off.isEmpty());
        DaemonConfig c = off.applyTo(spoke());
        assertFalse(c.selfUpdate());
        assertNull(c.selfUpdateIntervalSecs());
        assertEquals(List.of(HEPHD, "--mode", "local", "--hub-url", "http://indri:8787", "--oidc-client-id",
                "heph", "--db", "/d/heph.db", "--socket", "/d/hephd.sock", "--token-file", "/d/tok.json"),
                c.toArgv());
    }

    @Test
    void selfUpdateOffWinsOverAnIntervalInARecordBuiltByHand() {
        FlagOverrides o = new FlagOverrides(null, null, null, null, null, null, null, null, null, false, 900L);
        assertNull(o.applyTo(spoke()).selfUpdateIntervalSecs());
    }

    @Test
    void builderRejectsNoSelfUpdateWithAnInterval() {
        FlagOverrides.Builder b = FlagOverrides.builder(CWD).selfUpdate(false).selfUpdateIntervalSecs("60");
        HephException e = assertThrows(HephException.class, b::build);
        assertEquals("--no-self-update and --self-update-interval-secs cannot be used together", e.getMessage());
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    @Test
    void selfUpdateOnIsAddedToAPlainConfig() {
        DaemonConfig c = FlagOverrides.builder(CWD).selfUpdate(true).selfUpdateIntervalSecs("21600").build()
                .applyTo(DaemonConfig.defaults(HEPHD));
        assertEquals(List.of(HEPHD, "--mode", "local", "--self-update", "--self-update-interval-secs", "21600"),
                c.toArgv());
    }

    @Test
    void passedFlagsReplaceBakedOnesAndAreNormalized() {
        FlagOverrides o = FlagOverrides.builder(CWD).mode("server").hubUrl("https://hub.example")
                .httpAddr("[::]:8787").oidcIssuer("https://auth.example/o/heph/").oidcAudience("heph-hub")
                .oidcClientId("heph2").db("data/../heph.db").socket("/tmp//s.sock").hephd("/opt/bin/./hephd")
                .build();
        DaemonConfig c = o.applyTo(spoke());
        assertEquals(new DaemonConfig("/opt/bin/hephd", "server", "https://hub.example", "[::]:8787",
                "https://auth.example/o/heph/", "heph-hub", "heph2", "/home/u/work/heph.db", "/tmp/s.sock", true,
                120L, List.of("--token-file", "/d/tok.json")), c);
    }

    @Test
    void nullSettersMeanNotPassed() {
        FlagOverrides o = FlagOverrides.builder(CWD).mode(null).hubUrl(null).httpAddr(null).oidcIssuer(null)
                .oidcAudience(null).oidcClientId(null).db(null).socket(null).selfUpdate(null)
                .selfUpdateIntervalSecs(null).hephd(null).build();
        assertTrue(o.isEmpty());
    }

    @Test
    void settersValidateImmediatelyWithTheExactMessage() {
        FlagOverrides.Builder b = FlagOverrides.builder(CWD);
        HephException e = assertThrows(HephException.class, () -> b.selfUpdateIntervalSecs("1e3"));
        assertEquals("--self-update-interval-secs: '1e3' is not valid; expected a whole number of seconds from 1 to"
                + " 31536000", e.getMessage());
        assertEquals(ExitCode.USAGE, e.exitCode());
        e = assertThrows(HephException.class, () -> b.hubUrl("indri:8787"));
        assertEquals("--hub-url: 'indri:8787' is not valid; expected an http:// or https:// URL with a host",
                e.getMessage());
        e = assertThrows(HephException.class, () -> b.oidcIssuer("ftp://x"));
        assertEquals("--oidc-issuer: 'ftp://x' is not valid; expected an http:// or https:// URL with a host",
                e.getMessage());
        e = assertThrows(HephException.class, () -> b.mode("remote"));
        assertEquals("--mode: 'remote' is not valid; expected local or server", e.getMessage());
        assertThrows(HephException.class, () -> b.httpAddr("8787"));
        assertThrows(HephException.class, () -> b.oidcAudience("a b"));
        assertThrows(HephException.class, () -> b.oidcClientId(""));
        assertThrows(HephException.class, () -> b.socket(""));
        assertTrue(b.build().isEmpty(), "rejected values leave nothing behind");
    }

    @Test
    void extraArgsAreAlwaysKept() {
        DaemonConfig base = DaemonConfig.fromArgv(List.of(HEPHD, "--authorized-sub", "a", "--web-root", "/w"));
        DaemonConfig c = FlagOverrides.builder(CWD).mode("server").selfUpdate(false).build().applyTo(base);
        assertEquals(List.of("--authorized-sub", "a", "--web-root", "/w"), c.extraArgs());
    }
}
