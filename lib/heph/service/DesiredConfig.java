package heph.service;

import heph.config.DaemonConfig;
import heph.config.FlagOverrides;
import heph.config.HephdLocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /**
     * hephd's self-update runs {@code cargo install} (docs/facts/hephd.md §7), but a launchd job gets only
     * {@code /usr/bin:/bin:/usr/sbin:/sbin} (docs/facts/launchd-facts.md §11), so with --self-update the job's environment gets a
     * PATH that finds cargo, as the Rust CLI baked (docs/facts/hephd.md §5): the user's cargo bin folder
     * ({@code $CARGO_HOME/bin}, else {@code $HOME/.cargo/bin}) before {@code managerDefault}. Empty when self-update
     * is off or the job's environment already sets PATH (the user's own PATH is kept).
     */
    public static Optional<String> selfUpdatePath(DaemonConfig config, Map<String, String> jobEnv, Settings s,
                                                  String managerDefault) {
        if (!config.selfUpdate() || jobEnv.containsKey("PATH")) {
            return Optional.empty();
        }
        return Optional.of(cargoBin(s) + ":" + managerDefault);
    }

    /** {@code $CARGO_HOME/bin} when CARGO_HOME is an absolute path, else {@code $HOME/.cargo/bin}. */
    public static String cargoBin(Settings s) {
        String cargoHome = s.env().get("CARGO_HOME");
        if (cargoHome != null && !cargoHome.isBlank() && Path.of(cargoHome).isAbsolute()) {
            return Path.of(cargoHome, "bin").toString();
        }
        return s.home().resolve(".cargo/bin").toString();
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
