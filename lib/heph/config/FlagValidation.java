package heph.config;

import heph.HephException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation of hephd flag values as the user typed them. Each method returns the normalized value or throws
 * {@link HephException#usage} with the one-line message {@code <flag>: '<raw value>' is not valid; expected <what>}.
 * Control characters in the raw value are shown escaped (\n, \t, \u0000) so the message stays on one line.
 */
public final class FlagValidation {
    /** One year: the largest --self-update-interval-secs heph bakes. */
    public static final long MAX_INTERVAL_SECS = 31_536_000L;

    static final String EXPECT_MODE = "local or server";
    static final String EXPECT_INTERVAL = "a whole number of seconds from 1 to " + MAX_INTERVAL_SECS;
    static final String EXPECT_URL = "an http:// or https:// URL with a host";
    static final String EXPECT_HOST_PORT = "HOST:PORT or [IPV6]:PORT with a port from 1 to 65535";
    static final String EXPECT_TOKEN = "a non-empty value without spaces or control characters";
    static final String EXPECT_PATH = "a non-empty path without NUL or newline characters";
    static final String EXPECT_PATH_TILDE = "a path not starting with ~ (the shell did not expand it; use $HOME)";
    static final String EXPECT_LABEL =
            "1 to 212 characters of A-Z a-z 0-9 . _ - starting with a letter or digit, without '..'";
    static final String EXPECT_LABEL_RESERVED = "a label not starting with com.apple.launchd or com.apple.launchctl";

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern HOST_V6 = Pattern.compile("\\[[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?]");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    private FlagValidation() {}

    /** --mode: local or server. */
    public static String mode(String raw) {
        if ("local".equals(raw) || "server".equals(raw)) {
            return raw;
        }
        throw invalid("--mode", raw, EXPECT_MODE);
    }

    /** --self-update-interval-secs: ASCII digits only, 1..{@link #MAX_INTERVAL_SECS}. */
    public static long intervalSecs(String raw) {
        if (raw != null && DIGITS.matcher(raw).matches()) {
            BigInteger v = new BigInteger(raw);
            if (v.signum() > 0 && v.compareTo(BigInteger.valueOf(MAX_INTERVAL_SECS)) <= 0) {
                return v.longValue();
            }
        }
        throw invalid("--self-update-interval-secs", raw, EXPECT_INTERVAL);
    }

    /** --hub-url / --oidc-issuer: an absolute http(s) URL with a host; returned unchanged. */
    public static String httpUrl(String flag, String raw) {
        if (raw == null || raw.isEmpty() || hasSpaceOrControl(raw)) {
            throw invalid(flag, raw, EXPECT_URL);
        }
        try {
            URI u = new URI(raw);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            boolean okScheme = scheme.equals("http") || scheme.equals("https");
            boolean okHost = u.getHost() != null && !u.getHost().isEmpty();
            boolean okPort = u.getPort() == -1 || (u.getPort() >= 1 && u.getPort() <= 65535);
            if (okScheme && okHost && okPort) {
                return raw;
            }
        } catch (URISyntaxException e) {
            // fall through to the one message
        }
        throw invalid(flag, raw, EXPECT_URL);
    }

    /** --http-addr: HOST:PORT or [v6]:PORT; returned unchanged. */
    public static String hostPort(String raw) {
        int colon = raw == null ? -1 : raw.lastIndexOf(':');
        if (colon > 0) {
            String host = raw.substring(0, colon);
            String port = raw.substring(colon + 1);
            boolean okHost = host.startsWith("[") ? HOST_V6.matcher(host).matches()
                    : HOST_NAME.matcher(host).matches();
            if (okHost && isPort(port)) {
                return raw;
            }
        }
        throw invalid("--http-addr", raw, EXPECT_HOST_PORT);
    }

    /** --oidc-audience / --oidc-client-id: non-empty, no whitespace or control characters; returned unchanged. */
    public static String token(String flag, String raw) {
        if (raw == null || raw.isEmpty() || hasSpaceOrControl(raw)) {
            throw invalid(flag, raw, EXPECT_TOKEN);
        }
        return raw;
    }

    /**
     * --db / --socket / --hephd: non-empty, no NUL or newline; a relative path is made absolute against {@code cwd}
     * (launchd and systemd jobs have no useful working directory) and normalized. A leading {@code ~} is rejected:
     * it reaches heph unexpanded only by mistake (for example {@code --db=~/x}).
     */
    public static String path(String flag, String raw, Path cwd) {
        if (raw == null || raw.isEmpty() || raw.indexOf('\0') >= 0 || raw.indexOf('\n') >= 0
                || raw.indexOf('\r') >= 0) {
            throw invalid(flag, raw, EXPECT_PATH);
        }
        if (raw.equals("~") || raw.startsWith("~/")) {
            throw invalid(flag, raw, EXPECT_PATH_TILDE);
        }
        try {
            return cwd.toAbsolutePath().resolve(raw).normalize().toString();
        } catch (InvalidPathException e) {
            throw invalid(flag, raw, EXPECT_PATH);
        }
    }

    /** --label: a launchd Label heph can target as gui/&lt;uid&gt;/&lt;label&gt; (docs/facts/launchd-facts.md §11). */
    public static String label(String raw) {
        return label("--label", raw);
    }

    /** Same as {@link #label(String)}, naming another flag in the message. */
    public static String label(String flag, String raw) {
        if (raw == null || !LABEL.matcher(raw).matches() || raw.contains("..")) {
            throw invalid(flag, raw, EXPECT_LABEL);
        }
        // docs/facts/launchd-facts.md §11: reserved prefixes com.apple.launchd and com.apple.launchctl are rejected by launchd.
        if (raw.startsWith("com.apple.launchd") || raw.startsWith("com.apple.launchctl")) {
            throw invalid(flag, raw, EXPECT_LABEL_RESERVED);
        }
        heph.fs.FileNames.requireFits(flag, raw, ".plist"); // its lock, plist, loaded copy and temp files
        return raw;
    }

    /** The one rejection message: {@code <flag>: '<raw>' is not valid; expected <what>}. */
    public static HephException invalid(String flag, String raw, String expected) {
        return HephException.usage(flag + ": '" + show(raw) + "' is not valid; expected "
                + expected);
    }

    /** How much of a raw value a message echoes; a longer one is cut, its length said. */
    static final int SHOWN = 80;

    /**
     * The raw value with control characters escaped, so a message never spans lines; null shows as empty; at most
     * {@link #SHOWN} characters of it, then "... (N characters)".
     */
    public static String show(String raw) {
        if (raw == null) {
            return "";
        }
        if (raw.length() > SHOWN) {
            return show(raw.substring(0, SHOWN)) + "... (" + raw.length() + " characters)";
        }
        StringBuilder b = new StringBuilder(raw.length());
        for (char c : raw.toCharArray()) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static boolean isPort(String s) {
        return s.length() <= 5 && DIGITS.matcher(s).matches() && Integer.parseInt(s) >= 1
                && Integer.parseInt(s) <= 65535;
    }

    private static boolean hasSpaceOrControl(String s) {
        return s.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.isISOControl(c));
    }
}
