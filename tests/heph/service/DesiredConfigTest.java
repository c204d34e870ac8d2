package heph.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import heph.config.DaemonConfig;
import heph.config.FlagOverrides;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config baking: flags not passed are kept; hephd is --hephd, else $HEPH_HEPHD, else the baked one, else PATH. */
@org.junit.jupiter.api.Tag("unit")
class DesiredConfigTest {
    @TempDir
    Path dir;
    final List<String> said = new ArrayList<>();

    Path exe(String where) throws Exception {
        Path p = dir.resolve(where).resolve("hephd");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    Settings settings(Map<String, String> env) {
        return new Settings("launchd", Settings.DEFAULT_LABEL, Settings.DEFAULT_UNIT, dir, 501, env, dir,
                "launchctl", "systemctl", Duration.ofSeconds(10), Duration.ofSeconds(10), null, Duration.ofSeconds(1), Duration.ZERO, null,
                said::add);
    }

    @Test
    void aBareRestartKeepsEveryBakedFlagAndTheBakedHephd() throws Exception {
        Path baked = exe("baked");
        List<String> argv = List.of(baked.toString(), "--mode", "server", "--hub-url", "http://indri:8787",
                "--token-file", "/t.json");
        DaemonConfig c = DesiredConfig.resolve(argv, FlagOverrides.none(), settings(Map.of("PATH", "")), "plist");
        assertEquals(argv, c.toArgv());
    }

    @Test
    void theEnvironmentWinsOverTheBakedHephdAndTheFlagOverBoth() throws Exception {
        Path baked = exe("baked");
        Path env = exe("env");
        Path flag = exe("flag");
        Settings s = settings(Map.of("HEPH_HEPHD", env.toString(), "PATH", ""));
        List<String> argv = List.of(baked.toString(), "--mode", "local");
        assertEquals(env.toString(), DesiredConfig.resolve(argv, FlagOverrides.none(), s, "plist").hephd());
        FlagOverrides f = FlagOverrides.builder(dir).hephd(flag.toString()).build();
        assertEquals(flag.toString(), DesiredConfig.resolve(argv, f, s, "plist").hephd());
    }

    @Test
    void aBakedHephdThatIsGoneFallsBackToPathAndSaysSo() throws Exception {
        Path onPath = exe("bin");
        Map<String, String> env = new HashMap<>(Map.of("PATH", onPath.getParent().toString()));
        DaemonConfig c = DesiredConfig.resolve(List.of("/gone/hephd", "--mode", "local"), FlagOverrides.none(),
                settings(env), "the.plist");
        assertEquals(onPath.toString(), c.hephd());
        assertEquals(List.of("hephd baked into the.plist ('/gone/hephd') is gone; using " + onPath + " from PATH"),
                said);
    }

    @Test
    void noHephdAnywhereIsAUsageError() {
        HephException e = assertThrows(HephException.class, () -> DesiredConfig.resolve(List.of(),
                FlagOverrides.none(), settings(Map.of("PATH", dir.resolve("empty").toString())), "plist"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("hephd not found"), e.getMessage());
    }

    @Test
    void selfUpdateGetsAPathThatFindsCargoUnlessThePathIsAlreadySet() {
        // docs/facts/hephd.md §5 (the Rust CLI baked a cargo-capable PATH) and §7 (self-update runs cargo install);
        // docs/facts/launchd-facts.md §11: a job's default PATH is /usr/bin:/bin:/usr/sbin:/sbin
        DaemonConfig on = new DaemonConfig("/h", "local", null, null, null, null, null, null, null, true, null, List.of());
        String dflt = "/usr/bin:/bin:/usr/sbin:/sbin";
        assertEquals(java.util.Optional.of(dir.resolve(".cargo/bin") + ":" + dflt),
                DesiredConfig.selfUpdatePath(on, Map.of(), settings(Map.of()), dflt));
        assertEquals(java.util.Optional.of("/opt/cargo/bin:" + dflt),
                DesiredConfig.selfUpdatePath(on, Map.of(), settings(Map.of("CARGO_HOME", "/opt/cargo")), dflt));
        assertEquals(java.util.Optional.of(dir.resolve(".cargo/bin") + ":" + dflt), DesiredConfig.selfUpdatePath(on,
                Map.of(), settings(Map.of("CARGO_HOME", "relative")), dflt), "a relative CARGO_HOME is ignored");
        assertEquals(java.util.Optional.empty(),
                DesiredConfig.selfUpdatePath(on, Map.of("PATH", "/mine"), settings(Map.of()), dflt));
        assertEquals(java.util.Optional.empty(),
                DesiredConfig.selfUpdatePath(DaemonConfig.defaults("/h"), Map.of(), settings(Map.of()), dflt));
    }
}
