package heph.doctor;

import heph.HephException;
import heph.proc.CommandTimeoutException;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import heph.service.Settings;
import heph.systemd.Systemctl;
import heph.systemd.SystemctlErrors;
import heph.systemd.UnitFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * doctor's systemd --user probes (docs/facts/launchd-facts.md §12, docs/facts/systemd.md): the user bus answers and XDG_RUNTIME_DIR is
 * set, the user lingers (else hephd stops at logout; {@code loginctl show-user}, bounded, a missing loginctl is a
 * warning), systemd's view of the unit (NeedDaemonReload, failed, start limit hit, running), the unit file parses,
 * and, for hephd only, its socket answers (another unit has no hephd socket; one that neither has a file nor is known
 * to systemd does not exist).
 */
final class SystemdProbes {
    static final List<String> PROPERTIES = List.of("LoadState", "ActiveState", "SubState", "Result", "MainPID",
            "NRestarts", "NeedDaemonReload", "ExecMainStatus", "ExecMainCode", "ExecMainExitTimestamp", "FragmentPath");

    private SystemdProbes() {
    }

    static List<Check> run(Settings s, Subject subj, ProcessRunner runner) {
        List<Check> out = new ArrayList<>();
        Systemctl sc = new Systemctl(runner, s.systemctl(), s.commandTimeout(), s.commandTimeout());
        Check bus = LaunchdProbes.guard("user-bus", () -> bus(sc.showUnitPath()));
        out.add(runtimeDir(s.env(), bus.status() == Check.Status.OK));
        out.add(bus);
        out.add(linger(s, subj, runner));
        Map<String, String> props = new HashMap<>();
        if (bus.status() == Check.Status.OK) {
            out.add(LaunchdProbes.guard("unit", () -> {
                ExecResult r = sc.show(subj.unit(), PROPERTIES);
                if (!r.ok()) {
                    return Check.fail("unit", SystemctlErrors.explain(r, subj.unit()), "");
                }
                props.putAll(properties(r.stdout()));
                return unit(subj, props);
            }));
        }
        out.add(unitFile(subj));
        if (subj.hephd()) {
            boolean running = "active".equals(props.get("ActiveState")) && "running".equals(props.get("SubState"));
            out.add(LaunchdProbes.socketCheck(Path.of(s.socketFor(execStart(subj))), running));
        }
        return out;
    }

    static Check runtimeDir(Map<String, String> env, boolean busAnswers) {
        String dir = env.get("XDG_RUNTIME_DIR");
        if (dir != null && !dir.isBlank() && Path.of(dir).isAbsolute() && Files.isDirectory(Path.of(dir))) {
            return Check.ok("runtime-dir", "XDG_RUNTIME_DIR=" + dir);
        }
        String seen = dir == null || dir.isBlank() ? "XDG_RUNTIME_DIR is not set" : "XDG_RUNTIME_DIR=" + dir
                + " is not an existing folder";
        String fix = "log in through a real session (ssh with pam_systemd), or `export"
                + " XDG_RUNTIME_DIR=/run/user/$(id -u)`";
        return busAnswers ? Check.warn("runtime-dir", seen + " (the user bus answers anyway)", fix)
                : Check.fail("runtime-dir", seen + ": systemctl --user cannot find your user bus", fix);
    }

    static Check bus(ExecResult r) {
        if (r.ok()) {
            return Check.ok("user-bus", "systemctl --user answers");
        }
        return Check.fail("user-bus", SystemctlErrors.explain(r, "the user manager"), "log in as the user (not"
                + " sudo/su), or `export XDG_RUNTIME_DIR=/run/user/$(id -u)`");
    }

    /** {@code loginctl show-user <uid> -p Linger}; loginctl is HEPH_LOGINCTL, else loginctl on PATH. */
    static Check linger(Settings s, ProcessRunner runner) {
        return linger(s, Subject.of(s), runner);
    }

    static Check linger(Settings s, Subject subj, ProcessRunner runner) {
        String who = subj.who();
        String loginctl = s.env().getOrDefault("HEPH_LOGINCTL", "loginctl");
        ExecResult r;
        try {
            r = runner.run(List.of(loginctl, "show-user", Integer.toString(s.uid()), "-p", "Linger"),
                    s.commandTimeout());
        } catch (CommandTimeoutException e) {
            return Check.warn("linger", e.getMessage(), "");
        } catch (HephException e) {
            return Check.warn("linger", "cannot run loginctl (" + e.getMessage() + "), so lingering is unknown",
                    "if " + who + " must survive logout: `loginctl enable-linger $USER`");
        }
        String value = properties(r.stdout()).getOrDefault("Linger", "");
        if (r.ok() && value.equals("yes")) {
            return Check.ok("linger", "Linger=yes: " + who + " keeps running after you log out and starts at boot");
        }
        if (r.ok() && value.equals("no")) {
            return Check.warn("linger", "Linger=no: systemd stops " + who + " when your last session ends, and"
                    + " starts it only at your next login", "`loginctl enable-linger $USER`");
        }
        String why = r.firstErrorLine().isEmpty() ? "exit " + r.exitCode() : r.firstErrorLine();
        return Check.warn("linger", "loginctl show-user could not tell (" + why + ")",
                "`loginctl enable-linger $USER` if " + who + " must survive logout");
    }

    static Check unit(Subject subj, Map<String, String> p) {
        String u = subj.unit();
        String load = p.getOrDefault("LoadState", "");
        if (load.isEmpty() || load.equals("not-found")) {
            if (!subj.hephd() && !Files.exists(subj.unitFile())) {
                return Check.fail("unit", "no such agent: no " + subj.unitFile() + " and systemd --user does not"
                        + " know " + u, "`heph list` shows the installed units; `heph start --unit-file FILE`"
                        + " installs one");
            }
            return Check.warn("unit", u + " is not loaded by systemd --user (not installed)", "`"
                    + subj.heph("start") + "`");
        }
        if (!load.equals("loaded")) {
            return Check.fail("unit", u + " has LoadState=" + load + " (systemd could not load the unit file)",
                    "`systemctl --user status " + u + "` names the line; " + (subj.hephd() ? "`heph start` rewrites"
                    + " the file" : "fix it, then `heph restart --unit-file FILE`"));
        }
        String active = p.getOrDefault("ActiveState", "");
        String sub = p.getOrDefault("SubState", "");
        String result = p.getOrDefault("Result", "");
        String restarts = ", NRestarts " + p.getOrDefault("NRestarts", "0");
        if (active.equals("failed")) {
            if (result.equals("start-limit-hit")) {
                return Check.fail("unit", u + " hit its start limit: systemd stopped restarting " + subj.who()
                        + " after too many failures" + restarts + lastExit(p), "`" + subj.heph("logs") + "` shows"
                        + " why; then `systemctl --user reset-failed " + u + "` and `" + subj.heph("start") + "`");
            }
            return Check.fail("unit", u + " failed (Result=" + result + ")" + restarts + lastExit(p),
                    "`" + subj.heph("logs") + "` shows why; then `" + subj.heph("restart") + "`");
        }
        if (p.getOrDefault("NeedDaemonReload", "no").equals("yes")) {
            return Check.warn("unit", u + " changed on disk since systemd loaded it (NeedDaemonReload=yes): systemd"
                    + " still runs the old definition", "`" + subj.heph("restart") + "` (it runs daemon-reload)");
        }
        if (active.equals("active") && sub.equals("running")) {
            return Check.ok("unit", u + " is running, pid " + p.getOrDefault("MainPID", "?") + restarts);
        }
        if (sub.equals("auto-restart")) {
            return Check.warn("unit", u + " is waiting to be restarted after a crash" + restarts + lastExit(p),
                    "`" + subj.heph("logs") + "` shows why");
        }
        return Check.warn("unit", u + " is " + active + "/" + sub + lastExit(p), "`" + subj.heph("start") + "`");
    }

    private static String lastExit(Map<String, String> p) {
        if (p.getOrDefault("ExecMainExitTimestamp", "").isEmpty()) {
            return "";
        }
        String status = p.getOrDefault("ExecMainStatus", "");
        String code = p.getOrDefault("ExecMainCode", "1");
        if (code.equals("2") || code.equals("3")) {
            return ", last run killed by signal " + status;
        }
        String meaning;
        try {
            meaning = ExitMeanings.of(Integer.parseInt(status));
        } catch (NumberFormatException e) {
            meaning = "";
        }
        return ", last exit status " + status + (meaning.isEmpty() ? "" : " (" + meaning + ")");
    }

    static Check unitFile(Subject subj) {
        Path f = subj.unitFile();
        if (!Files.exists(f)) {
            return Check.warn("unit-file", "no " + f, subj.hephd() ? "`heph start` writes it"
                    : "`heph start --unit-file FILE` installs it");
        }
        try {
            UnitFile.parse(heph.fs.BoundedRead.definitionText(f), f.toString());
            return Check.ok("unit-file", f + " parses");
        } catch (IOException e) {
            return Check.fail("unit-file", "cannot read " + f + ": " + e.getMessage(), "fix its permissions");
        } catch (HephException e) {
            return Check.fail("unit-file", e.getMessage(), subj.hephd() ? "fix the line, or `heph start` to write"
                    + " it again" : "fix the line, or install it again with `heph start --unit-file FILE`");
        }
    }

    private static List<String> execStart(Subject subj) {
        try {
            return UnitFile.parse(heph.fs.BoundedRead.definitionText(subj.unitFile()), subj.unitFile().toString())
                    .execStart();
        } catch (IOException | HephException e) {
            return List.of();
        }
    }

    /** {@code Key=value} lines (systemctl show, loginctl show-user). Pure. */
    static Map<String, String> properties(String text) {
        Map<String, String> m = new HashMap<>();
        for (String line : text.split("\r?\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return m;
    }
}
