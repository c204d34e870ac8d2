package heph.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import heph.ExitCode;
import heph.HephException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@org.junit.jupiter.api.Tag("unit")
class FlagValidationTest {
    private static final Path CWD = Path.of("/home/u/work");
    private static final String INTERVAL = "; expected a whole number of seconds from 1 to 31536000";
    private static final String URL = "; expected an http:// or https:// URL with a host";
    private static final String ADDR = "; expected HOST:PORT or [IPV6]:PORT with a port from 1 to 65535";
    private static final String TOKEN = "; expected a non-empty value without spaces or control characters";
    private static final String PATH = "; expected a non-empty path without NUL or newline characters";
    private static final String LABEL =
            "; expected 1 to 212 characters of A-Z a-z 0-9 . _ - starting with a letter or digit, without '..'";
    private static final String RESERVED = "; expected a label not starting with com.apple.launchd or com.apple.launchctl";

    /** Runs the validator named {@code v} on {@code raw} and returns the normalized value as a string. */
    private static String call(String v, String raw) {
        return String.valueOf(switch (v) {
            case "mode" -> FlagValidation.mode(raw);
            case "interval" -> FlagValidation.intervalSecs(raw);
            case "hubUrl" -> FlagValidation.httpUrl("--hub-url", raw);
            case "issuer" -> FlagValidation.httpUrl("--oidc-issuer", raw);
            case "addr" -> FlagValidation.hostPort(raw);
            case "audience" -> FlagValidation.token("--oidc-audience", raw);
            case "clientId" -> FlagValidation.token("--oidc-client-id", raw);
            case "db" -> FlagValidation.path("--db", raw, CWD);
            case "socket" -> FlagValidation.path("--socket", raw, CWD);
            case "label" -> FlagValidation.label(raw);
            default -> throw new AssertionError("unknown validator " + v);
        });
    }

    static Stream<Arguments> rejected() {
        String long256 = "a".repeat(256);
        return Stream.of(
                Arguments.of("mode", "", "--mode: '' is not valid; expected local or server"),
                Arguments.of("mode", "Local", "--mode: 'Local' is not valid; expected local or server"),
                Arguments.of("mode", "spoke", "--mode: 'spoke' is not valid; expected local or server"),
                Arguments.of("mode", " local", "--mode: ' local' is not valid; expected local or server"),
                Arguments.of("interval", "", "--self-update-interval-secs: '' is not valid" + INTERVAL),
                Arguments.of("interval", "abc", "--self-update-interval-secs: 'abc' is not valid" + INTERVAL),
                Arguments.of("interval", "-5", "--self-update-interval-secs: '-5' is not valid" + INTERVAL),
                Arguments.of("interval", "0", "--self-update-interval-secs: '0' is not valid" + INTERVAL),
                Arguments.of("interval", "000", "--self-update-interval-secs: '000' is not valid" + INTERVAL),
                Arguments.of("interval", "1e3", "--self-update-interval-secs: '1e3' is not valid" + INTERVAL),
                Arguments.of("interval", "3.5", "--self-update-interval-secs: '3.5' is not valid" + INTERVAL),
                Arguments.of("interval", "+5", "--self-update-interval-secs: '+5' is not valid" + INTERVAL),
                Arguments.of("interval", " 5", "--self-update-interval-secs: ' 5' is not valid" + INTERVAL),
                Arguments.of("interval", "5s", "--self-update-interval-secs: '5s' is not valid" + INTERVAL),
                Arguments.of("interval", "\u0665", "--self-update-interval-secs: '\u0665' is not valid" + INTERVAL),
                Arguments.of("interval", "31536001",
                        "--self-update-interval-secs: '31536001' is not valid" + INTERVAL),
                Arguments.of("interval", "99999999999999999999",
                        "--self-update-interval-secs: '99999999999999999999' is not valid" + INTERVAL),
                Arguments.of("hubUrl", "ftp://indri:8787", "--hub-url: 'ftp://indri:8787' is not valid" + URL),
                Arguments.of("hubUrl", "indri:8787", "--hub-url: 'indri:8787' is not valid" + URL),
                Arguments.of("hubUrl", "http://", "--hub-url: 'http://' is not valid" + URL),
                Arguments.of("hubUrl", "http://in dri:8787", "--hub-url: 'http://in dri:8787' is not valid" + URL),
                Arguments.of("hubUrl", "http://indri:8787 ", "--hub-url: 'http://indri:8787 ' is not valid" + URL),
                Arguments.of("hubUrl", "", "--hub-url: '' is not valid" + URL),
                Arguments.of("hubUrl", "http:indri", "--hub-url: 'http:indri' is not valid" + URL),
                Arguments.of("hubUrl", "http://indri:99999", "--hub-url: 'http://indri:99999' is not valid" + URL),
                Arguments.of("issuer", "https:///path", "--oidc-issuer: 'https:///path' is not valid" + URL),
                Arguments.of("issuer", "https://a\nb", "--oidc-issuer: 'https://a\\nb' is not valid" + URL),
                Arguments.of("addr", "8787", "--http-addr: '8787' is not valid" + ADDR),
                Arguments.of("addr", ":8787", "--http-addr: ':8787' is not valid" + ADDR),
                Arguments.of("addr", "host:", "--http-addr: 'host:' is not valid" + ADDR),
                Arguments.of("addr", "host:0", "--http-addr: 'host:0' is not valid" + ADDR),
                Arguments.of("addr", "host:99999", "--http-addr: 'host:99999' is not valid" + ADDR),
                Arguments.of("addr", "host:abc", "--http-addr: 'host:abc' is not valid" + ADDR),
                Arguments.of("addr", "host:+80", "--http-addr: 'host:+80' is not valid" + ADDR),
                Arguments.of("addr", "::1:8787", "--http-addr: '::1:8787' is not valid" + ADDR),
                Arguments.of("addr", "[zz]:8787", "--http-addr: '[zz]:8787' is not valid" + ADDR),
                Arguments.of("addr", "http://h:80", "--http-addr: 'http://h:80' is not valid" + ADDR),
                Arguments.of("addr", "", "--http-addr: '' is not valid" + ADDR),
                Arguments.of("audience", "", "--oidc-audience: '' is not valid" + TOKEN),
                Arguments.of("audience", "heph hub", "--oidc-audience: 'heph hub' is not valid" + TOKEN),
                Arguments.of("clientId", "heph\t", "--oidc-client-id: 'heph\\t' is not valid" + TOKEN),
                Arguments.of("clientId", "he\u0007ph", "--oidc-client-id: 'he\\u0007ph' is not valid" + TOKEN),
                Arguments.of("db", "", "--db: '' is not valid" + PATH),
                Arguments.of("db", "a\nb", "--db: 'a\\nb' is not valid" + PATH),
                Arguments.of("socket", "a\0b", "--socket: 'a\\u0000b' is not valid" + PATH),
                Arguments.of("db", "~/heph.db",
                        "--db: '~/heph.db' is not valid; expected a path not starting with ~ (the shell did not"
                                + " expand it; use $HOME)"),
                Arguments.of("label", "", "--label: '' is not valid" + LABEL),
                Arguments.of("label", ".hidden", "--label: '.hidden' is not valid" + LABEL),
                Arguments.of("label", "-x", "--label: '-x' is not valid" + LABEL),
                Arguments.of("label", "a..b", "--label: 'a..b' is not valid" + LABEL),
                Arguments.of("label", "org/heph", "--label: 'org/heph' is not valid" + LABEL),
                Arguments.of("label", "org heph", "--label: 'org heph' is not valid" + LABEL),
                Arguments.of("label", "org<heph", "--label: 'org<heph' is not valid" + LABEL),
                // a long value is echoed as a prefix, its length said
                Arguments.of("label", long256, "--label: '" + "a".repeat(80) + "... (256 characters)' is not valid"
                        + LABEL),
                Arguments.of("label", long256.substring(43), "--label: '" + "a".repeat(80) + "... (213 characters)' (213"
                        + " bytes) is too long; expected at most 212, so that heph's files for it (plist, lock, temp and"
                        + " set-aside files) fit in a 255-byte file name"),
                // docs/facts/launchd-facts.md §11: reserved prefixes com.apple.launchd / com.apple.launchctl
                Arguments.of("label", "com.apple.launchd.foo", "--label: 'com.apple.launchd.foo' is not valid"
                        + RESERVED),
                Arguments.of("label", "com.apple.launchctl", "--label: 'com.apple.launchctl' is not valid"
                        + RESERVED));
    }

    @ParameterizedTest(name = "{0} rejects [{1}]")
    @MethodSource("rejected")
    void rejectsWithExactOneLineMessage(String validator, String raw, String message) {
        HephException e = assertThrows(HephException.class, () -> call(validator, raw));
        assertEquals(message, e.getMessage());
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertFalse(e.getMessage().endsWith("."), "no trailing period");
    }

    static Stream<Arguments> accepted() {
        String long212 = "a".repeat(212); // the longest label whose derived file names (temp files) fit in 255 bytes
        return Stream.of(
                Arguments.of("mode", "local", "local"),
                Arguments.of("mode", "server", "server"),
                Arguments.of("interval", "1", "1"),
                Arguments.of("interval", "600", "600"),
                Arguments.of("interval", "0600", "600"),
                Arguments.of("interval", "31536000", "31536000"),
                Arguments.of("hubUrl", "http://indri.tail8d86e.ts.net:8787", "http://indri.tail8d86e.ts.net:8787"),
                Arguments.of("hubUrl", "https://heph.example/", "https://heph.example/"),
                Arguments.of("hubUrl", "HTTP://indri:8787", "HTTP://indri:8787"),
                Arguments.of("hubUrl", "http://127.0.0.1:8787", "http://127.0.0.1:8787"),
                Arguments.of("hubUrl", "http://[::1]:8787", "http://[::1]:8787"),
                Arguments.of("issuer", "https://auth.example/application/o/heph/",
                        "https://auth.example/application/o/heph/"),
                Arguments.of("addr", "0.0.0.0:8787", "0.0.0.0:8787"),
                Arguments.of("addr", "localhost:1", "localhost:1"),
                Arguments.of("addr", "indri.tail8d86e.ts.net:65535", "indri.tail8d86e.ts.net:65535"),
                Arguments.of("addr", "[::]:8787", "[::]:8787"),
                Arguments.of("addr", "[fe80::1%en0]:8787", "[fe80::1%en0]:8787"),
                Arguments.of("audience", "heph", "heph"),
                Arguments.of("clientId", "heph-cli.v2", "heph-cli.v2"),
                Arguments.of("db", "/var/db/heph.db", "/var/db/heph.db"),
                Arguments.of("db", "heph.db", "/home/u/work/heph.db"),
                Arguments.of("db", "../data/./heph.db", "/home/u/data/heph.db"),
                Arguments.of("socket", "/run/user/1000//heph/hephd.sock", "/run/user/1000/heph/hephd.sock"),
                Arguments.of("db", "my ~ db", "/home/u/work/my ~ db"),
                Arguments.of("label", "org.hephaestus.hephd", "org.hephaestus.hephd"),
                Arguments.of("label", "mcquack.eblume.heph", "mcquack.eblume.heph"),
                Arguments.of("label", "9to5_job-x", "9to5_job-x"),
                Arguments.of("label", "com.apple.launchservicesd", "com.apple.launchservicesd"),
                Arguments.of("label", long212, long212));
    }

    @ParameterizedTest(name = "{0} accepts [{1}] as [{2}]")
    @MethodSource("accepted")
    void acceptsAndNormalizes(String validator, String raw, String normalized) {
        assertEquals(normalized, call(validator, raw));
    }

    @Test
    void intervalReturnsALong() {
        assertEquals(31_536_000L, FlagValidation.intervalSecs("31536000"));
    }

    @Test
    void nullIsRejectedLikeEmpty() {
        HephException e = assertThrows(HephException.class, () -> FlagValidation.mode(null));
        assertEquals("--mode: '' is not valid; expected local or server", e.getMessage());
    }

    @Test
    void labelCanNameAnotherFlag() {
        HephException e = assertThrows(HephException.class, () -> FlagValidation.label("HEPH_LABEL", "a/b"));
        assertEquals("HEPH_LABEL: 'a/b' is not valid" + LABEL, e.getMessage());
    }
}
