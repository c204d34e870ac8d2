package heph.support;

import heph.service.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Settings rooted in a temp $HOME with an executable fake hephd, and a list collecting progress messages. */
public final class TestSettings {
    public final Path home;
    public final Path hephd;
    public final List<String> said = new ArrayList<>();

    public TestSettings(Path home) {
        this.home = home;
        try {
            this.hephd = home.resolve("bin/hephd");
            Files.createDirectories(hephd.getParent());
            Files.writeString(hephd, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(hephd, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Settings launchd(int uid) {
        return settings("launchd", uid, "launchctl");
    }

    public Settings settings(String backend, int uid, String tool) {
        return new Settings(backend, Settings.DEFAULT_LABEL, Settings.DEFAULT_UNIT, home, uid,
                // HEPH_SETTLE: systemd's watch after a start is exactly the settle, one look (not RestartSec + 1 s)
                Map.of("HOME", home.toString(), "HEPH_HEPHD", hephd.toString(), "PATH", "/usr/bin:/bin",
                        "HEPH_SETTLE", Settings.DEFAULT_SETTLE.toMillis() + "ms"),
                home, tool, tool, Duration.ofSeconds(10), Settings.DEFAULT_JOB_TIMEOUT, null, Duration.ofSeconds(5), Settings.DEFAULT_SETTLE,
                null, said::add);
    }
}
