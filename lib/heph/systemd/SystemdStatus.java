package heph.systemd;

import heph.proc.ExecResult;
import heph.service.DefinitionSource;
import heph.service.ServiceStatus;
import heph.service.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * `heph status` on systemd: read-only (no lock, nothing written), from the unit file on disk and
 * {@code systemctl --user show}. A failing show (no user bus) is a failure, not "not running": heph cannot tell.
 */
final class SystemdStatus {
    /** The hint's opening for a Type=oneshot unit that ran and exited 0 (status exits 0 for it). */
    public static final String ONESHOT_RAN = "ran, exited 0";
    /** The hint's opening for a Type=oneshot unit kept active by RemainAfterExit=yes (status exits 0). */
    public static final String ONESHOT_ACTIVE = "active (exited)";
    private final Settings s;
    private final Path unit;
    private final Supplier<ExecResult> show;
    private final boolean hephd;
    private final String who;
    private final String unitFlag; // "" for hephd, " --unit NAME" for another unit

    /**
     * @param unit the unit file (heph's path, or where the user manager reads it: {@link UnitLocation})
     * @param show runs {@code systemctl --user show} and throws {@link SystemctlErrors#failure} when it fails
     */
    SystemdStatus(Settings s, Path unit, Supplier<ExecResult> show) {
        this(s, unit, show, DefinitionSource.HEPHD);
    }

    SystemdStatus(Settings s, Path unit, Supplier<ExecResult> show, DefinitionSource source) {
        this.s = s;
        this.unit = unit;
        this.show = show;
        this.hephd = source.hephd();
        this.who = source.who(s.unit());
        this.unitFlag = hephd ? "" : " --unit " + s.unit();
    }

    ServiceStatus read() {
        boolean installed = Files.exists(unit);
        UnitFile.Parsed parsed = null;
        String hint = null;
        if (installed) {
            try {
                String text = UnitDefinition.read(unit);
                // a unit used as given is read as systemd reads it (lines systemd skips are no error there)
                parsed = hephd ? UnitFile.parse(text, unit.toString()) : UnitFile.load(text, unit.toString());
            } catch (RuntimeException e) {
                hint = e.getMessage() + (hephd ? "; `heph start` moves it aside and writes a fresh one"
                        : "; fix it, or install it again with heph start --unit-file FILE");
            }
        }
        UnitState st = UnitState.parse(show.get().stdout());
        List<String> args = parsed == null ? List.of() : parsed.execStart();
        boolean loaded = st.loadState().equals("loaded");
        Long runs = !st.execMainStartTimestamp().isEmpty() ? Long.valueOf(st.nRestarts() + 1) : loaded ? 0L : null;
        String journal = "journalctl --user-unit " + s.unit();
        return new ServiceStatus("systemd", s.unit(), installed, loaded, state(st),
                st.running() ? st.mainPid() : null, st.lastExit(), runs, args.isEmpty() ? null : args.get(0), args,
                unit.toString(), journal, journal, hephd ? s.socketFor(args) : null,
                hint != null ? hint : hint(st, installed),
                lastSignal(st.lastExit()), null, crashLoop(st),
                st.activeState().equals("activating") && !st.subState().equals("auto-restart"));
    }

    /**
     * "Terminated: 15" (the words launchd prints, strsignal's text) when the main process was killed by a signal:
     * {@link UnitState#lastExit()} says "signal N" for ExecMainCode 2/3 (CLD_KILLED, CLD_DUMPED); else null.
     */
    static String lastSignal(String lastExit) {
        if (lastExit == null || !lastExit.startsWith("signal ")) {
            return null;
        }
        String n = lastExit.substring("signal ".length()).strip();
        String name = switch (n) {
            case "1" -> "Hangup";
            case "2" -> "Interrupt";
            case "3" -> "Quit";
            case "4" -> "Illegal instruction";
            case "6" -> "Aborted";
            case "7" -> "Bus error";
            case "8" -> "Floating point exception";
            case "9" -> "Killed";
            case "11" -> "Segmentation fault";
            case "13" -> "Broken pipe";
            case "14" -> "Alarm clock";
            case "15" -> "Terminated";
            default -> "Signal";
        };
        return name + ": " + n;
    }

    /**
     * Kept simple, as launchd's "spawn scheduled, runs > 1, a last exit": systemd restarted hephd at least once
     * (NRestarts >= 1) and it is down again, either waiting for the next restart (SubState auto-restart) or given up
     * (ActiveState failed, e.g. the start limit of 5 starts in 10 s).
     */
    static boolean crashLoop(UnitState st) {
        return st.nRestarts() >= 1 && !st.running()
                && (st.subState().equals("auto-restart") || st.activeState().equals("failed"));
    }

    private static String state(UnitState st) {
        if (!st.installed()) {
            return "not loaded";
        }
        return st.loadState().equals("loaded") ? st.activeState() + "/" + st.subState() : st.loadState();
    }

    private String hint(UnitState st, boolean installed) {
        String journal = "see `journalctl --user-unit " + s.unit() + "`";
        if (!st.installed()) {
            return installed ? "installed but not loaded — run heph start" + unitFlag
                    : "not installed — run heph start" + (hephd ? "" : " --unit-file FILE");
        }
        if (!st.loadState().equals("loaded")) {
            return "systemd reports LoadState=" + st.loadState() + " for " + s.unit()
                    + " — see `systemctl --user status " + s.unit() + "`";
        }
        if (!installed) {
            return "systemd has " + s.unit() + " loaded but " + unit + " is gone — run heph start" + unitFlag + " to"
                    + " reinstall it, or heph uninstall" + unitFlag;
        }
        if (st.needDaemonReload()) {
            return "the unit file changed since systemd loaded it — run heph restart" + unitFlag;
        }
        if (st.oneshotDone()) { // ServiceStatus#fine reads these two openings
            return st.subState().equals("exited")
                    ? ONESHOT_ACTIVE + ": a Type=oneshot unit with RemainAfterExit=yes whose command exited 0"
                    : ONESHOT_RAN + " (Type=oneshot: it runs again at heph start" + unitFlag + " or at login)";
        }
        boolean enabled = st.unitFileState().equals("enabled");
        if (st.running()) {
            return enabled ? null
                    : "running but not enabled (it will not start at login) — run heph start" + unitFlag;
        }
        if (!enabled) {
            return "installed but not enabled/not running — run heph start" + unitFlag;
        }
        if (st.subState().equals("auto-restart")) {
            return who + " keeps exiting and systemd restarts it (Restart=always); " + journal;
        }
        if (st.activeState().equals("failed")) {
            return who + " failed (state " + st.activeState() + "/" + st.subState() + "); " + journal
                    + ", or run heph restart" + unitFlag;
        }
        return "enabled but not running (state " + st.activeState() + "/" + st.subState() + ") — run heph start"
                + unitFlag;
    }
}
