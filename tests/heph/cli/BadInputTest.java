package heph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import heph.support.TestSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalog of rejected inputs: each is a usage error (exit 2) with exactly this one-line message,
 * and nothing is written, stopped or restarted: launchctl is never called and no plist appears.
 */
@org.junit.jupiter.api.Tag("unit")
class BadInputTest {
    @TempDir
    Path home;
    Path launchctlLog;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        TestSettings ts = new TestSettings(home);
        Path launchctl = home.resolve("bin/launchctl");
        launchctlLog = home.resolve("launchctl.log");
        Files.writeString(launchctl, "#!/bin/sh\necho \"$*\" >> '" + launchctlLog + "'\nexit 113\n");
        Files.setPosixFilePermissions(launchctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        env = Map.of("HOME", home.toString(), "HEPH_BACKEND", "launchd", "HEPH_LAUNCHCTL", launchctl.toString(),
                "HEPH_HEPHD", ts.hephd.toString(), "PATH", "/usr/bin:/bin");
    }

    static Stream<Arguments> catalog() {
        String interval = "' is not valid; expected a whole number of seconds from 1 to 31536000";
        String url = "' is not valid; expected an http:// or https:// URL with a host";
        String addr = "' is not valid; expected HOST:PORT or [IPV6]:PORT with a port from 1 to 65535";
        return Stream.of(
                Arguments.of("restart --self-update-interval-secs abc", "--self-update-interval-secs: 'abc" + interval),
                Arguments.of("restart --self-update-interval-secs -5", "--self-update-interval-secs: '-5" + interval),
                Arguments.of("restart --self-update-interval-secs 1e3", "--self-update-interval-secs: '1e3" + interval),
                Arguments.of("start --self-update-interval-secs 3.5", "--self-update-interval-secs: '3.5" + interval),
                Arguments.of("restart --hub-url ftp://indri", "--hub-url: 'ftp://indri" + url),
                Arguments.of("restart --hub-url indri:8787", "--hub-url: 'indri:8787" + url),
                Arguments.of("start --oidc-issuer auth.example", "--oidc-issuer: 'auth.example" + url),
                Arguments.of("restart --http-addr 8787", "--http-addr: '8787" + addr),
                Arguments.of("restart --http-addr indri:99999", "--http-addr: 'indri:99999" + addr),
                Arguments.of("restart --mode cloud", "--mode: 'cloud' is not valid; expected local or server"),
                Arguments.of("restart --label com.apple.launchd.x", "--label: 'com.apple.launchd.x' is not valid;"
                        + " expected a label not starting with com.apple.launchd or com.apple.launchctl"),
                Arguments.of("stop --label org/evil", "--label: 'org/evil' is not valid; expected 1 to 212"
                        + " characters of A-Z a-z 0-9 . _ - starting with a letter or digit, without '..'"),
                Arguments.of("restart --frobnicate", "Unknown option: '--frobnicate'"),
                Arguments.of("restart --hephd /nonexistent/hephd", "--hephd: '/nonexistent/hephd' does not exist; expected the path of the hephd executable"),
                Arguments.of("restart --hephd /etc", "--hephd: '/etc' is not an executable file; expected the path of the hephd executable"),
                Arguments.of("restart --no-self-update --self-update-interval-secs 5",
                        "--no-self-update and --self-update-interval-secs cannot be used together"),
                Arguments.of("status --backend windows", "--backend: 'windows' is not valid; expected launchd or systemd"),
                Arguments.of("restart --timeout soon", "Invalid value for option '--timeout': 'soon' is not valid;"
                        + " expected whole seconds (e.g. 30) or milliseconds (e.g. 500ms)"),
                Arguments.of("frob", "Unmatched argument at index 0: 'frob'"));
    }

    @Test
    void aUsageErrorLeavesAnUnparseablePlistWhereItIs() throws Exception {
        // no hephd anywhere (no --hephd, no HEPH_HEPHD, none on PATH) and a plist heph cannot parse
        Path plist = home.resolve("Library/LaunchAgents/org.hephaestus.hephd.plist");
        Files.createDirectories(plist.getParent());
        Files.writeString(plist, "not a plist");
        Map<String, String> noHephd = new java.util.HashMap<>(env);
        noHephd.remove("HEPH_HEPHD");
        noHephd.put("PATH", home.resolve("empty").toString());
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"restart"}, new PrintWriter(new StringWriter()), new PrintWriter(err),
                noHephd, home, false);
        assertEquals(2, code, err.toString());
        assertEquals("heph: hephd not found: pass --hephd PATH, set HEPH_HEPHD, or put hephd on PATH",
                err.toString().strip());
        assertEquals("not a plist", Files.readString(plist));
        try (Stream<Path> files = Files.list(plist.getParent())) {
            assertEquals(1, files.count(), "nothing moved aside, nothing written");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void isRejectedWithItsMessageAndNothingChanges(String args, String message) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args.split(" "), new PrintWriter(out), new PrintWriter(err), env, home, false);
        assertEquals(2, code, err.toString());
        assertEquals("heph: " + message, err.toString().lines().findFirst().orElse(""));
        assertEquals("", out.toString());
        assertFalse(Files.exists(launchctlLog), "launchctl must not be called");
        assertFalse(Files.exists(home.resolve("Library")), "no plist or log folder written");
    }
}
