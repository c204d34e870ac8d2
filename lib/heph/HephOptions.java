package heph;

import heph.config.FlagValidation;
import heph.fs.Owner;
import heph.service.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The seams a user (or a test) can set, each also readable from the environment: {@code --backend} /
 * HEPH_BACKEND, {@link #label} (hephd's label) / HEPH_LABEL, {@code --launchctl} / HEPH_LAUNCHCTL,
 * {@code --systemctl} / HEPH_SYSTEMCTL. A flag wins over the variable; unset fields take the documented defaults.
 * (The CLI's {@code --label} names the agent a verb works on, not hephd's label: {@link Heph#forLabel}.)
 */
public final class HephOptions {
    public String backend;
    public String label;
    public String launchctl;
    public String systemctl;
    /** launchd domain kind: gui (default) or user; env HEPH_DOMAIN. */
    public String domain;
    public Duration commandTimeout = Settings.DEFAULT_COMMAND_TIMEOUT;
    public Duration jobTimeout = Settings.DEFAULT_JOB_TIMEOUT;
    public Duration maxWait;
    public Duration lockWait = Settings.DEFAULT_LOCK_WAIT;
    public Duration settle = Settings.DEFAULT_SETTLE;
    public Duration readyTimeout;
    public Consumer<String> progress = msg -> System.err.println("heph: " + msg);

    public Settings toSettings(Map<String, String> env, Path cwd) {
        String home = env.get("HOME");
        if (home == null || home.isBlank() || !Path.of(home).isAbsolute()) {
            throw HephException.usage("HOME: '" + (home == null ? "" : home) + "' is not valid; expected the"
                    + " absolute path of your home folder");
        }
        String chosenBackend = pick(backend, env.get("HEPH_BACKEND"), defaultBackend());
        if (!chosenBackend.equals("launchd") && !chosenBackend.equals("systemd")) {
            String flag = backend != null ? "--backend" : "HEPH_BACKEND";
            throw HephException.usage(flag + ": '" + chosenBackend + "' is not valid; expected launchd or systemd");
        }
        String chosenLabel = pick(label, env.get("HEPH_LABEL"), Settings.DEFAULT_LABEL);
        FlagValidation.label(label != null && !label.isBlank() ? "--label" : "HEPH_LABEL", chosenLabel);
        String chosenDomain = pick(domain, env.get("HEPH_DOMAIN"), Settings.GUI_DOMAIN);
        if (!chosenDomain.equals(Settings.GUI_DOMAIN) && !chosenDomain.equals(Settings.USER_DOMAIN)) {
            String flag = domain != null && !domain.isBlank() ? "--domain" : "HEPH_DOMAIN";
            throw HephException.usage(flag + ": '" + chosenDomain + "' is not valid; expected gui or user");
        }
        return new Settings(chosenBackend, chosenLabel, Settings.DEFAULT_UNIT, Path.of(home), Owner.uid(), env,
                cwd, pick(launchctl, env.get("HEPH_LAUNCHCTL"), "launchctl"),
                pick(systemctl, env.get("HEPH_SYSTEMCTL"), "systemctl"),
                commandTimeout, jobTimeout, maxWait, lockWait, settleFrom(env), readyTimeout, progress, chosenDomain);
    }

    /** {@link #settle}, unless it is the default and HEPH_SETTLE says otherwise ({@code 1500ms}, {@code 2s}, {@code 2}). */
    private Duration settleFrom(Map<String, String> env) {
        String raw = env.get("HEPH_SETTLE");
        if (raw == null || raw.isBlank() || !settle.equals(Settings.DEFAULT_SETTLE)) {
            return settle;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})(ms|s)?").matcher(raw.strip());
        long ms = m.matches() ? ("ms".equals(m.group(2)) ? 1 : 1000) * Long.parseLong(m.group(1)) : -1;
        if (ms < 0 || ms > 60_000) {
            throw HephException.usage("HEPH_SETTLE: '" + raw + "' is not valid; expected a duration from 0 to 60 s,"
                    + " like 1500ms or 2s");
        }
        return Duration.ofMillis(ms);
    }

    private static String pick(String flag, String env, String fallback) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        return env != null && !env.isBlank() ? env : fallback;
    }

    /** launchd on macOS, systemd --user everywhere else. */
    public static String defaultBackend() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.contains("mac") || os.contains("darwin") ? "launchd" : "systemd";
    }
}
