package heph.service;

import heph.config.DaemonConfig;
import heph.config.FlagOverrides;
import heph.config.HephdLocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Config baking, shared by both backends: the flags baked into the installed plist/unit, with what the user passed
 * on top. Every flag not passed is kept, so a bare restart never drops config.
 */
public final class DesiredConfig {
    private DesiredConfig() {
    }

    /**
     * @param bakedArgv hephd's argv from the installed plist/unit, or an empty list when nothing is installed
     * @param flags     what the user passed
     */
    public static DaemonConfig resolve(List<String> bakedArgv, FlagOverrides flags, Settings s, String file) {
        DaemonConfig baked = bakedArgv.isEmpty() ? null : DaemonConfig.fromArgv(bakedArgv);
        String hephd = hephd(baked, flags, s, file);
        DaemonConfig base = baked != null ? baked : DaemonConfig.defaults(hephd);
        DaemonConfig merged = flags.applyTo(base);
        return new DaemonConfig(hephd, merged.mode(), merged.hubUrl(), merged.httpAddr(), merged.oidcIssuer(),
                merged.oidcAudience(), merged.oidcClientId(), merged.db(), merged.socket(), merged.selfUpdate(),
                merged.selfUpdateIntervalSecs(), merged.extraArgs());
    }

    /** --hephd, else $HEPH_HEPHD, else the one baked into the installed file, else hephd on PATH. */
    static String hephd(DaemonConfig baked, FlagOverrides flags, Settings s, String file) {
        if (flags.hephd() != null) {
            return flags.hephd();
        }
        String fromEnv = s.env().get("HEPH_HEPHD");
        if ((fromEnv == null || fromEnv.isBlank()) && baked != null) {
            Path p = Path.of(baked.hephd());
            if (p.isAbsolute() && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return baked.hephd();
            }
            String onPath = HephdLocator.locate(null, s.env(), s.cwd()).toString();
            s.say("hephd baked into " + file + " ('" + baked.hephd() + "') is gone; using " + onPath + " from PATH");
            return onPath;
        }
        return HephdLocator.locate(null, s.env(), s.cwd()).toString();
    }
}
