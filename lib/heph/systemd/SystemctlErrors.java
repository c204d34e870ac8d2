package heph.systemd;

import heph.HephException;
import heph.proc.ExecResult;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Classifies a failed {@code systemctl --user} call by its exit code and the messages of docs/facts/launchd-facts.md §12, and turns
 * it into one actionable line for the user.
 */
public final class SystemctlErrors {
    /** What went wrong, as far as heph can act on it. */
    public enum Kind { NO_USER_BUS, UNIT_NOT_FOUND, START_FAILED, OTHER }

    /** systemctl's exit status for "no such unit" on start/stop/restart (EXIT_NOTINSTALLED; §12 "unknown unit"). */
    static final int EXIT_NOT_INSTALLED = 5;

    /** Every §12 "no user bus" line starts with one of these (the third: systemd before ~v230, beyond §12). */
    private static final List<String> NO_BUS = List.of(
            "Failed to connect to bus", "Failed to connect to user scope bus", "Failed to get D-Bus connection");
    private static final Pattern NOT_FOUND = Pattern.compile(
            "Unit \\S+ not found|Unit file \\S+ does not exist|Failed to get unit file state for \\S+: No such file");
    private static final Pattern JOB_FAILED = Pattern.compile("Job for \\S+ failed");

    private SystemctlErrors() {
    }

    /** The kind of failure; OTHER for anything unrecognised, and for a successful result. */
    public static Kind classify(ExecResult r) {
        if (r.ok()) {
            return Kind.OTHER;
        }
        String text = r.stderr() + "\n" + r.stdout();
        if (NO_BUS.stream().anyMatch(text::contains)) {
            return Kind.NO_USER_BUS;
        }
        if (NOT_FOUND.matcher(text).find()) {
            return Kind.UNIT_NOT_FOUND;
        }
        if (JOB_FAILED.matcher(text).find()) {
            return Kind.START_FAILED;
        }
        return r.exitCode() == EXIT_NOT_INSTALLED ? Kind.UNIT_NOT_FOUND : Kind.OTHER;
    }

    /** One line naming the command and what to do about it. */
    public static String explain(ExecResult r, String unit) {
        String cmd = r.commandLine();
        return switch (classify(r)) {
            case NO_USER_BUS -> cmd + ": no user systemd bus: XDG_RUNTIME_DIR unset or no user manager (typical over"
                    + " ssh without a login session, or under sudo/su): log in as the user, or"
                    + " `export XDG_RUNTIME_DIR=/run/user/$(id -u)`, and `loginctl enable-linger $USER` so the"
                    + " service survives logout";
            case UNIT_NOT_FOUND -> cmd + ": systemd --user does not know " + unit + " (no unit file under"
                    + " ~/.config/systemd/user, or it was not reloaded): run `heph start` to install it, or"
                    + " `systemctl --user daemon-reload` after editing it";
            case START_FAILED -> cmd + ": " + unit + " failed to start: see `journalctl --user-unit " + unit
                    + "` and `systemctl --user status " + unit + "`";
            case OTHER -> cmd + ": exit " + r.exitCode() + ": "
                    + (r.firstErrorLine().isEmpty() ? "(no output)" : r.firstErrorLine());
        };
    }

    /** {@link #explain} as a failure (exit 1) whose --verbose detail is systemctl's own output. */
    public static HephException failure(ExecResult r, String unit) {
        String detail = (r.stderr().strip() + "\n" + r.stdout().strip()).strip();
        return HephException.failed(explain(r, unit), detail);
    }
}
