package heph.plan;

import heph.fs.SetAside;
import heph.plan.DryRun.Command;
import heph.systemd.SystemdBackend;
import heph.systemd.Systemctl;
import heph.systemd.UnitState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * systemd decisions ({@link SystemdBackend#plan}'s {@link SystemdBackend.Route}, stop's and uninstall's) as
 * {@link DryRun}s: the {@code systemctl --user} argv the real run would send, in order, and the unit file's diff.
 * Pure apart from reading the unit file. (Here rather than beside the backend: heph.systemd is full.)
 */
public final class SystemdDryRuns {
    private SystemdDryRuns() {
    }

    public static DryRun nothing(String action, String unit, String why) {
        return new DryRun(action, unit, "none", false, List.of(), "", action + " would do nothing: " + why,
                List.of());
    }

    /** start/restart: [daemon-reload], [reset-failed], [enable --now], then the job that starts it. */
    public static DryRun converge(Systemctl systemctl, String unit, String who, String action, Path file,
                                  String desired, String onDiskText, SetAside aside, UnitState st,
                                  boolean fileChanged, boolean reload, SystemdBackend.Route route,
                                  List<String> planWarnings) {
        List<String> warnings = new ArrayList<>(planWarnings);
        aside.pending().ifPresent(warnings::add);
        List<Command> commands = new ArrayList<>();
        if (reload) {
            commands.add(Command.of(systemctl.argv("daemon-reload")));
        }
        if (route.resetFailed()) {
            commands.add(new Command(systemctl.argv("reset-failed", unit), "the unit is failed: systemd refuses"
                    + " start and restart until it is reset"));
        }
        if (route.enableFirst()) {
            commands.add(Command.of(systemctl.argv("enable", "--now", unit)));
        }
        if (route.job() != null) {
            List<String> words = new ArrayList<>(List.of(route.job().split(" ")));
            words.add(unit);
            commands.add(Command.of(systemctl.argv(words.toArray(String[]::new))));
        }
        String diff = "";
        if (fileChanged) {
            boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
            String before = onDiskText != null ? onDiskText : exists ? read(file) : "";
            diff = Redaction.unitDiff(exists ? file.toString() : null, before, file.toString(), desired);
        }
        String pid = st.running() ? " (pid " + st.mainPid() + ")" : "";
        String message = switch (route.path()) {
            case "none" -> action + " would change nothing: " + who + " is already running" + pid
                    + " with this configuration";
            case "start" -> st.running() ? action + " would enable " + unit + " so it starts at login (already"
                    + " running" + pid + ")" : action + " would start " + unit + (reload ? " (" + why(fileChanged, st)
                    + ")" : "");
            case "restart" -> action + " would restart " + unit + pid + " (systemctl --user restart): unchanged";
            default -> action + " would reload " + unit + pid + " (" + why(fileChanged, st) + ")";
        };
        boolean changed = !route.path().equals("none") || fileChanged;
        return new DryRun(action, unit, route.path(), changed, commands, diff, message, warnings);
    }

    private static String why(boolean fileChanged, UnitState st) {
        if (fileChanged) {
            return "the unit file changed";
        }
        return st.installed() ? "systemd asks for a daemon-reload (NeedDaemonReload=yes)"
                : "systemd does not know the unit yet";
    }

    public static DryRun stop(Systemctl systemctl, String unit, UnitState st) {
        String pid = st.running() ? " (pid " + st.mainPid() + ")" : "";
        return new DryRun("stop", unit, "stop", true, List.of(Command.of(systemctl.argv("stop", unit))), "",
                "stop would stop " + unit + pid, List.of());
    }

    /** disable --now (then stop, when the file is gone and systemd answers not found), remove, daemon-reload. */
    public static DryRun uninstall(Systemctl systemctl, String unit, Path file, boolean fileExists, UnitState st,
                                   boolean running, List<String> warnings) {
        List<Command> commands = new ArrayList<>();
        commands.add(new Command(systemctl.argv("disable", "--now", unit), fileExists ? null
                : "with the unit file gone systemd answers not found; then stop"));
        if (!fileExists && running) {
            commands.add(Command.of(systemctl.argv("stop", unit)));
        }
        commands.add(Command.of(systemctl.argv("daemon-reload")));
        String diff = fileExists ? Redaction.unitDiff(file.toString(), read(file), null, "") : "";
        String pid = st.running() ? " (pid " + st.mainPid() + ")" : "";
        String message = "uninstall would " + (running ? "stop " + unit + pid + ", " : "") + "disable "
                + unit + (fileExists ? " and remove " + file : "");
        return new DryRun("uninstall", unit, "uninstall", true, commands, diff, message, warnings);
    }

    private static String read(Path file) {
        try {
            return new String(heph.fs.BoundedRead.definition(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
