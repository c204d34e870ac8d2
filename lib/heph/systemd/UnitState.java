package heph.systemd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code systemctl --user show heph.service -p ...} read by key. systemd prints properties in D-Bus order, not in
 * the order they were asked for (docs/facts/launchd-facts.md §12), so nothing here depends on line order. Unknown keys are
 * ignored; a missing key takes its default ("" for text, 0 for numbers, false for NeedDaemonReload). A unit systemd
 * does not know still answers, with {@code LoadState=not-found} and exit 0. {@code fragmentPath} is the file systemd
 * loaded the unit from ("" when not loaded), which may differ from heph's path (see {@link UnitLocation}).
 */
public record UnitState(String loadState, String activeState, String subState, long mainPid, long nRestarts,
                        String execMainStartTimestamp, boolean needDaemonReload, String unitFileState,
                        String lastExit, String fragmentPath, String type, String result) {

    /** As systemd reports a Type=simple unit whose Result is success (Type and Result not asked for). */
    public UnitState(String loadState, String activeState, String subState, long mainPid, long nRestarts,
                     String execMainStartTimestamp, boolean needDaemonReload, String unitFileState,
                     String lastExit, String fragmentPath) {
        this(loadState, activeState, subState, mainPid, nRestarts, execMainStartTimestamp, needDaemonReload,
                unitFileState, lastExit, fragmentPath, "", "");
    }

    /** The properties {@link Systemctl#show} asks for, each as one {@code -p}. */
    public static final List<String> PROPERTIES = List.of("MainPID", "ActiveState", "SubState", "NRestarts",
            "ExecMainStartTimestamp", "LoadState", "NeedDaemonReload", "UnitFileState", "ExecMainExitTimestamp",
            "ExecMainCode", "ExecMainStatus", "FragmentPath", "Type", "Result");

    /** Parses Key=value lines (the first '=' splits; blank lines and lines without '=' are skipped). */
    public static UnitState parse(String showOutput) {
        Map<String, String> p = new HashMap<>();
        for (String line : showOutput.split("\r?\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                p.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return new UnitState(
                p.getOrDefault("LoadState", ""),
                p.getOrDefault("ActiveState", ""),
                p.getOrDefault("SubState", ""),
                number(p.get("MainPID")),
                number(p.get("NRestarts")),
                p.getOrDefault("ExecMainStartTimestamp", ""),
                yes(p.get("NeedDaemonReload")),
                p.getOrDefault("UnitFileState", ""),
                lastExit(p),
                p.getOrDefault("FragmentPath", ""),
                p.getOrDefault("Type", ""),
                p.getOrDefault("Result", ""));
    }

    /**
     * The previous run's end, like launchd's "last exit code": null when the main process never exited
     * (ExecMainExitTimestamp empty), "N" for an exit status, "signal N" when it was killed (ExecMainCode 2 or 3:
     * CLD_KILLED, CLD_DUMPED).
     */
    static String lastExit(Map<String, String> p) {
        String exited = p.getOrDefault("ExecMainExitTimestamp", "");
        String status = p.getOrDefault("ExecMainStatus", "");
        if (exited.isEmpty() || status.isEmpty()) {
            return null;
        }
        String code = p.getOrDefault("ExecMainCode", "1");
        return code.equals("2") || code.equals("3") ? "signal " + status : status;
    }

    /** systemd knows the unit: LoadState was reported and is not {@code not-found}. */
    public boolean installed() {
        return !loadState.isEmpty() && !loadState.equals("not-found");
    }

    /** The main process is up: active, running, and with a pid. */
    public boolean running() {
        return activeState.equals("active") && subState.equals("running") && mainPid > 0;
    }

    /** Type=oneshot: systemctl start waits for its command; there is no main process afterwards. */
    public boolean oneshot() {
        return type.equals("oneshot");
    }

    /**
     * A oneshot that ran to success: active/exited (RemainAfterExit=yes), or inactive with Result=success after it
     * ran (ExecMainStartTimestamp set).
     */
    public boolean oneshotDone() {
        return oneshot() && !activeState.equals("failed") && !activeState.equals("activating")
                && (subState.equals("exited") || (activeState.equals("inactive") && result.equals("success")
                && !execMainStartTimestamp.isEmpty()));
    }

    private static long number(String s) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0; // e.g. "[not set]": treat as absent
        }
    }

    private static boolean yes(String s) {
        return s != null && List.of("yes", "true", "on", "1").contains(s);
    }
}
