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
 * @param domain         the launchd domain kind: "gui" (gui/&lt;uid&gt;, the login session; default) or "user"
 *                       (user/&lt;uid&gt;: works over ssh, but launchd does not restore it at the next login)
 */
public record Settings(String backend, String label, String unit, Path home, int uid, Map<String, String> env,
                       Path cwd, String launchctl, String systemctl, Duration commandTimeout, Duration jobTimeout,
                       Duration maxWait,
                       Duration lockWait, Duration settle, Duration readyTimeout, Consumer<String> progress,
                       String domain) {
    public static final String DEFAULT_LABEL = "org.hephaestus.hephd";
    public static final String DEFAULT_UNIT = "heph.service";
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** systemd's DefaultTimeoutStopSec (docs/facts/launchd-facts.md §12): a stop job may take that long before SIGKILL. */
    public static final Duration DEFAULT_JOB_TIMEOUT = DEFAULT_COMMAND_TIMEOUT.plus(Duration.ofSeconds(90));
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(120);
    /**
     * How long a fresh daemon must stay up before start/restart call it running: long enough that a daemon that
     * fails on its config (a port in use, a locked database) is caught and put back, not reported as started.
     * HEPH_SETTLE overrides it (e.g. {@code 300ms}; the test harnesses use that to stay fast).
     */
    public static final Duration DEFAULT_SETTLE = Duration.ofMillis(1500);

    public static final String GUI_DOMAIN = "gui";
    public static final String USER_DOMAIN = "user";

    public Settings {
        env = Map.copyOf(env);
        domain = domain == null ? GUI_DOMAIN : domain;
        if (!domain.equals(GUI_DOMAIN) && !domain.equals(USER_DOMAIN)) {
            throw new IllegalArgumentException("launchd domain kind must be gui or user, got " + domain);
        }
    }

    /** The settings before the domain kind existed: gui/&lt;uid&gt;. */
    public Settings(String backend, String label, String unit, Path home, int uid, Map<String, String> env, Path cwd,
                    String launchctl, String systemctl, Duration commandTimeout, Duration jobTimeout,
                    Duration maxWait, Duration lockWait, Duration settle, Duration readyTimeout,
                    Consumer<String> progress) {
        this(backend, label, unit, home, uid, env, cwd, launchctl, systemctl, commandTimeout, jobTimeout, maxWait,
                lockWait, settle, readyTimeout, progress, GUI_DOMAIN);
    }

    /** The same settings in another launchd domain kind ("gui" or "user"). */
    public Settings withDomain(String kind) {
        return new Settings(backend, label, unit, home, uid, env, cwd, launchctl, systemctl, commandTimeout,
                jobTimeout, maxWait, lockWait, settle, readyTimeout, progress, kind);
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
     * hephd's default socket as hephd resolves it (docs/facts/hephd.md §4): $XDG_RUNTIME_DIR/heph/hephd.sock when the
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

    /** The same settings for another launchd label (another agent: its plist, lock and loaded copy). */
    public Settings withLabel(String otherLabel) {
        return new Settings(backend, otherLabel, unit, home, uid, env, cwd, launchctl, systemctl, commandTimeout,
                jobTimeout, maxWait, lockWait, settle, readyTimeout, progress, domain);
    }

    /** The same settings for another systemd user unit; the lock is named after the unit. */
    public Settings withUnit(String otherUnit) {
        return new Settings(backend, otherUnit, otherUnit, home, uid, env, cwd, launchctl, systemctl,
                commandTimeout, jobTimeout, maxWait, lockWait, settle, readyTimeout, progress, domain);
    }
}
