package heph.sim.systemd;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code systemctl show} as the fake prints it (docs/facts/launchd-facts.md §12): Key=value lines in D-Bus order, not argument
 * order: the Service-interface properties (Type … MainPID … Result … NRestarts … ExecMainStartTimestamp …
 * ExecMainStatus, SD-DBUSSVC vtable order) before the Unit-interface ones (Id … Description, LoadState,
 * ActiveState, SubState, FragmentPath, UnitFileState … NeedDaemonReload). Unknown -p names are silently omitted;
 * {@code --value} prints values only; several units are separated by a blank line. An unknown unit still answers
 * (LoadState=not-found, ActiveState=inactive, SubState=dead). Timestamps use {@code %a %Y-%m-%d %H:%M:%S %Z};
 * never started = empty.
 */
final class SystemdShow {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    private SystemdShow() {
    }

    /** Every property the fake knows for {@code name}, in bus order; {@code u} null means not loaded. */
    static Map<String, String> properties(String name, SystemdUnit u, boolean needReload, String unitFileState) {
        SystemdDefinition d = u == null ? null : u.definition;
        boolean known = d != null && d.loaded();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Type", known ? d.type() : "simple");
        p.put("Restart", known ? d.restart() : "no");
        p.put("RestartUSec", SystemdTimespan.format(known ? d.restartMicros()
                : SystemdDefinition.DEFAULT_RESTART_MICROS));
        p.put("TimeoutStopUSec", SystemdTimespan.format(known ? d.timeoutStopMicros()
                : SystemdDefinition.DEFAULT_TIMEOUT_STOP_MICROS));
        p.put("MainPID", Long.toString(u != null && u.running() ? u.process.pid : 0));
        p.put("Result", u == null ? "success" : u.result);
        p.put("NRestarts", Integer.toString(u == null ? 0 : u.nRestarts));
        p.put("ExecMainStartTimestamp", timestamp(u == null ? 0 : u.execMainStartMs));
        p.put("ExecMainExitTimestamp", timestamp(u == null ? 0 : u.execMainExitMs));
        p.put("ExecMainPID", Long.toString(u == null ? 0 : u.execMainPid));
        p.put("ExecMainCode", Integer.toString(u == null ? 0 : u.execMainCode));
        p.put("ExecMainStatus", Integer.toString(u == null ? 0 : u.execMainStatus));
        if (known) { // systemd's format: the argv joined by spaces, unquoted
            p.put("ExecStart", "{ path=" + d.execStart().get(0) + " ; argv[]=" + String.join(" ", d.execStart())
                    + " ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }");
        }
        p.put("Id", name);
        p.put("Names", name);
        p.put("Description", d != null ? d.description() : name);
        p.put("LoadState", u == null ? "not-found" : u.loadState());
        p.put("ActiveState", u == null ? "inactive" : u.activeState);
        p.put("SubState", u == null ? "dead" : u.subState);
        p.put("FragmentPath", u == null || u.fragment == null ? "" : u.fragment.toString());
        p.put("UnitFileState", unitFileState);
        p.put("NeedDaemonReload", needReload ? "yes" : "no");
        return p;
    }

    /** The text for one or more units; {@code wanted} empty means every property. */
    static String render(List<Map<String, String>> units, List<String> wanted, boolean valueOnly) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < units.size(); i++) {
            if (i > 0) {
                sb.append('\n');
            }
            units.get(i).forEach((k, v) -> {
                if (wanted.isEmpty() || wanted.contains(k)) {
                    sb.append(valueOnly ? "" : k + "=").append(v).append('\n');
                }
            });
        }
        return sb.toString();
    }

    static String timestamp(long epochMs) {
        return epochMs <= 0 ? "" : TIMESTAMP.format(Instant.ofEpochMilli(epochMs).atZone(ZoneId.systemDefault()));
    }
}
