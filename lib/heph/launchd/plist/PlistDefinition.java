package heph.launchd.plist;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSString;
import heph.config.DaemonConfig;
import heph.config.FlagOverrides;
import heph.fs.BoundedRead;
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
public final class PlistDefinition {
    private PlistDefinition() {
    }

    /** launchd's PATH for jobs that set none (docs/facts/launchd-facts.md §11). */
    static final String LAUNCHD_DEFAULT_PATH = "/usr/bin:/bin:/usr/sbin:/sbin";

    /**
     * The plist heph wants: {@code base}'s baked flags with the user's on top; {@code base}'s own keys, environment
     * and log paths kept. {@code base} is the installed plist, or (when it is missing or unreadable) the definition
     * launchd runs; {@code source} names it in messages. With --self-update and no PATH, a PATH that finds cargo.
     */
    public static NSDictionary desired(NSDictionary base, FlagOverrides flags, Settings s, String source) {
        List<String> baked = base == null ? List.of() : LaunchdPlist.programArguments(base);
        DaemonConfig config = DesiredConfig.resolve(baked, flags, s, source);
        Map<String, String> env = new LinkedHashMap<>(environment(base));
        env.put("HEPH_QUICKADD", "1");
        DesiredConfig.selfUpdatePath(config, env, s, LAUNCHD_DEFAULT_PATH).ifPresent(p -> env.put("PATH", p));
        String out = LaunchdPlist.string(base, "StandardOutPath").orElse(null);
        String err = LaunchdPlist.string(base, "StandardErrorPath").orElse(null);
        JobSpec spec = new JobSpec(s.label(), config.toArgv(), env,
                out != null ? out : s.logDir().resolve("hephd.out.log").toString(),
                err != null ? err : s.logDir().resolve("hephd.err.log").toString());
        NSDictionary desired = LaunchdPlist.render(spec);
        if (base != null) {
            // Keys heph does not manage (ExitTimeOut, WorkingDirectory, ...) are the user's: keep them.
            base.forEach((k, v) -> {
                if (!desired.containsKey(k)) {
                    desired.put(k, v);
                }
            });
        }
        return desired;
    }

    /** The string variables of EnvironmentVariables ("Values other than strings will be ignored", §11). */
    public static Map<String, String> environment(NSDictionary plist) {
        Map<String, String> env = new LinkedHashMap<>();
        if (plist != null && plist.get("EnvironmentVariables") instanceof NSDictionary existing) {
            existing.forEach((k, v) -> {
                if (v instanceof NSString str) {
                    env.put(k, str.getContent());
                }
            });
        }
        return env;
    }

    /**
     * The installed plist, or null. Refuses symlinks and other users' files; an unparseable one is only marked in
     * {@code aside}, to be moved aside right before heph writes a fresh one.
     */
    public static NSDictionary readForWrite(Path plist, SetAside aside) {
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

    public static Optional<NSDictionary> readQuietly(Path plist) {
        try {
            return BoundedRead.isRegular(plist) ? Optional.of(LaunchdPlist.read(plist)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The bytes of the plist {@code file} (read by {@link BoundedRead}), or null when they cannot be read. */
    public static byte[] readBytes(Path file) {
        try {
            return BoundedRead.definition(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
