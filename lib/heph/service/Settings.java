package heph.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything a backend needs to know about where it runs. {@code $HOME} (the environment variable, as shell tools
 * use it) roots every path, which is also what lets tests and the simulator run heph in a throwaway folder.
 *
 * @param backend        "launchd" or "systemd"
 * @param label          the launchd label (also names the lock); systemd uses {@link #unit}
 * @param unit           the systemd unit name
 * @param home           $HOME
 * @param uid            the user's uid (gui/&lt;uid&gt;)
 * @param env            the environment heph was started with (HEPH_HEPHD, PATH, XDG_*)
 * @param cwd            where relative paths given on the command line are resolved
 * @param launchctl      the launchctl executable
 * @param systemctl      the systemctl executable
 * @param commandTimeout the bound on every launchctl/systemctl call
 * @param jobTimeout     the bound on systemctl calls that wait for a stop job (restart, stop, disable --now): by
 *                       default the call bound plus systemd's 90 s DefaultTimeoutStopSec; --timeout sets both
 * @param maxWait        the bound on wait-until-unloaded, or null to derive it from the job's ExitTimeOut
 * @param lockWait       the bound on waiting for another heph's lock
 * @param settle         how long a fresh daemon must stay alive before start/restart call it running
 * @param readyTimeout   with --wait-ready, how long to wait for hephd's socket to accept; null = don't wait
 * @param progress       where progress and warnings go (stderr for the CLI)
 */
public record Settings(String backend, String label, String unit, Path home, int uid, Map<String, String> env,
                       Path cwd, String launchctl, String systemctl, Duration commandTimeout, Duration jobTimeout,
                       Duration maxWait,
                       Duration lockWait, Duration settle, Duration readyTimeout, Consumer<String> progress) {
    public static final String DEFAULT_LABEL = "org.hephaestus.hephd";
    public static final String DEFAULT_UNIT = "heph.service";
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** systemd's DefaultTimeoutStopSec (launchd-facts §12): a stop job may take that long before SIGKILL. */
    public static final Duration DEFAULT_JOB_TIMEOUT = DEFAULT_COMMAND_TIMEOUT.plus(Duration.ofSeconds(90));
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_SETTLE = Duration.ofMillis(300);

    public Settings {
        env = Map.copyOf(env);
    }

    public Path plistPath() {
        return home.resolve("Library/LaunchAgents").resolve(label + ".plist");
    }

    public Path logDir() {
        return home.resolve("Library/Logs/heph");
    }

    /** $XDG_CONFIG_HOME/systemd/user/heph.service, default $HOME/.config/systemd/user/heph.service. */
    public Path unitPath() {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".config");
        return base.resolve("systemd/user").resolve(unit);
    }

    /** heph's own state (locks, hand-off logs): $HOME/.local/state/heph. */
    public Path stateDir() {
        return home.resolve(".local/state/heph");
    }

    /**
     * hephd's default socket as hephd resolves it (heph-notes §4): $XDG_RUNTIME_DIR/heph/hephd.sock when the
     * daemon sees XDG_RUNTIME_DIR (systemd user units do), else $HOME/.local/share/heph/hephd.sock (launchd jobs).
     */
    public String defaultSocket() {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if ("systemd".equals(backend) && runtime != null && !runtime.isBlank()) {
            return Path.of(runtime, "heph", "hephd.sock").toString();
        }
        return home.resolve(".local/share/heph/hephd.sock").toString();
    }

    /** hephd's socket for this argv: the baked --socket, else hephd's default ({@link #defaultSocket}). */
    public String socketFor(java.util.List<String> hephdArgv) {
        String baked = hephdArgv.isEmpty() ? null : heph.config.DaemonConfig.fromArgv(hephdArgv).socket();
        return baked != null ? baked : defaultSocket();
    }

    public void say(String message) {
        progress.accept(message);
    }
}
