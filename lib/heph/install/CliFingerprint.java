package heph.install;

import heph.HephException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What an installed command is made of, hashed: every jar's bytes (in classpath order), the JDK's home and runtime
 * version, and the launcher format. Equal fingerprints mean the same jars on the same JDK, so the copy and the
 * archive made for it can be reused. Its first 16 hex digits name the install's folder.
 */
public final class CliFingerprint {
    /** Bumped when the launcher or the folder layout changes, so an old install is not mistaken for a fresh one. */
    static final String FORMAT = "heph-cli 1";

    private CliFingerprint() {
    }

    public static String of(List<Path> jars, Path javaHome, String runtimeVersion) {
        MessageDigest all = sha256();
        update(all, FORMAT);
        for (Path jar : jars) {
            update(all, jar.getFileName().toString().replaceFirst("^[0-9]{2}-", ""));
            update(all, HexFormat.of().formatHex(digest(jar)));
        }
        update(all, javaHome.toAbsolutePath().normalize().toString());
        update(all, runtimeVersion);
        return HexFormat.of().formatHex(all.digest());
    }

    /** The folder name: the first 16 hex digits (64 bits). */
    public static String shortForm(String fingerprint) {
        return fingerprint.substring(0, 16);
    }

    static byte[] digest(Path file) {
        MessageDigest d = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw HephException.failed("cannot read " + file + ": " + e.getMessage());
        }
        return d.digest();
    }

    private static void update(MessageDigest d, String s) {
        d.update(s.getBytes(StandardCharsets.UTF_8));
        d.update((byte) '\n');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
