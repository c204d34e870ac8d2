package heph.launchd;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSString;
import heph.config.DaemonConfig;
import heph.config.FlagOverrides;
import heph.fs.Owner;
import heph.fs.SetAside;
import heph.service.DesiredConfig;
import heph.service.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The plist on disk and the one heph wants (the launchd twin of the systemd UnitDefinition). */
final class PlistDefinition {
    private PlistDefinition() {
    }

    /** The plist heph wants: the installed one's baked flags with the user's on top; the user's own keys kept. */
    static NSDictionary desired(NSDictionary onDisk, FlagOverrides flags, Settings s, Path plist) {
        List<String> baked = onDisk == null ? List.of() : LaunchdPlist.programArguments(onDisk);
        DaemonConfig config = DesiredConfig.resolve(baked, flags, s, plist.toString());
        Map<String, String> env = new LinkedHashMap<>();
        if (onDisk != null && onDisk.get("EnvironmentVariables") instanceof NSDictionary existing) {
            existing.forEach((k, v) -> {
                if (v instanceof NSString str) {
                    env.put(k, str.getContent());
                }
            });
        }
        env.put("HEPH_QUICKADD", "1");
        String out = onDisk == null ? null : LaunchdPlist.string(onDisk, "StandardOutPath").orElse(null);
        String err = onDisk == null ? null : LaunchdPlist.string(onDisk, "StandardErrorPath").orElse(null);
        JobSpec spec = new JobSpec(s.label(), config.toArgv(), env,
                out != null ? out : s.logDir().resolve("hephd.out.log").toString(),
                err != null ? err : s.logDir().resolve("hephd.err.log").toString());
        NSDictionary desired = LaunchdPlist.render(spec);
        if (onDisk != null) {
            // Keys heph does not manage (ExitTimeOut, WorkingDirectory, ...) are the user's: keep them.
            onDisk.forEach((k, v) -> {
                if (!desired.containsKey(k)) {
                    desired.put(k, v);
                }
            });
        }
        return desired;
    }

    /**
     * The installed plist, or null. Refuses symlinks and other users' files; an unparseable one is only marked in
     * {@code aside}, to be moved aside right before heph writes a fresh one.
     */
    static NSDictionary readForWrite(Path plist, SetAside aside) {
        Owner.requireOwnRegularFile(plist);
        if (!Files.exists(plist)) {
            return null;
        }
        try {
            return LaunchdPlist.read(plist);
        } catch (PlistParseException e) {
            aside.mark(plist, e.getMessage());
            return null;
        }
    }

    static Optional<NSDictionary> readQuietly(Path plist) {
        try {
            return Files.isRegularFile(plist) ? Optional.of(LaunchdPlist.read(plist)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
