package heph.systemd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether systemd 252 would load a service unit and let it be started, judged before heph writes anything: heph's
 * verdict on a unit file given by the user must equal systemd's. "Refused" means what makes systemd itself refuse
 * the unit: a fatal Exec*= line ({@link UnitFileExec}; the unit gets LoadState=bad-setting), the checks of
 * service_verify in src/core/service.c (no ExecStart=, several ExecStart= outside Type=oneshot, Restart=always or
 * on-success or ExitType=cgroup with Type=oneshot, Type=dbus without BusName=, PAMName= with KillMode=process or
 * none), a malformed section header ({@link UnitFile#load}), or a template name with no instance (systemctl start
 * answers "Unit name ... is missing the instance name"). Not refused, as systemd loads such a unit: unknown keys and
 * sections, lines without '=', values systemd ignores with a warning (Type=sometimes), and a program that does not
 * exist (systemd-analyze verify complains, the manager loads the unit and the start fails; heph's start
 * verification reports that). The corpus under tests/fixtures/units and RealSystemdVerdictTest hold heph to this
 * against the real systemd-analyze.
 */
public final class UnitFileVerdict {
    static final List<String> EXEC_KEYS = List.of("ExecCondition", "ExecStartPre", "ExecStart", "ExecStartPost",
            "ExecReload", "ExecStop", "ExecStopPost");
    private static final Set<String> TYPES = Set.of("simple", "exec", "forking", "oneshot", "dbus", "notify", "idle");
    private static final Set<String> RESTARTS = Set.of("no", "on-success", "on-failure", "on-abnormal",
            "on-watchdog", "on-abort", "always");
    private static final Set<String> ONESHOT_RESTARTS = Set.of("no", "on-failure", "on-abnormal", "on-watchdog",
            "on-abort");
    private static final Set<String> KILL_MODES = Set.of("control-group", "process", "mixed", "none");

    private UnitFileVerdict() {
    }

    /**
     * Why systemd would refuse the unit {@code unit} (its file name, e.g. sync.service or sync@a.service) that
     * {@link UnitFile#load} read as {@code parsed}; empty when systemd loads it and can start it.
     */
    public static Optional<String> refusal(String unit, UnitFile.Parsed parsed) {
        if (unit.endsWith("@.service")) {
            return Optional.of("'" + unit + "' is a template unit; systemd cannot start it without an instance name"
                    + " (expected e.g. " + unit.replace("@.service", "@name.service") + ")");
        }
        Map<String, List<UnitFileExec.Command>> exec;
        try {
            exec = commands(unit, parsed);
        } catch (UnitFileExec.Fatal e) {
            return Optional.of(e.getMessage());
        }
        boolean start = !exec.get("ExecStart").isEmpty();
        boolean stop = !exec.get("ExecStop").isEmpty();
        String busName = last(parsed.values("Service", "BusName"), v -> true, null);
        String type = last(parsed.values("Service", "Type"), TYPES::contains, null);
        if (type == null) {
            type = busName != null ? "dbus" : start ? "simple" : "oneshot"; // service_add_extras
        }
        boolean oneshot = type.equals("oneshot");
        String restart = last(parsed.values("Service", "Restart"), RESTARTS::contains, "no");
        Boolean remain = last(parsed.values("Service", "RemainAfterExit"), v -> bool(v) != null, "no")
                .transform(UnitFileVerdict::bool);
        String exitType = last(parsed.values("Service", "ExitType"), v -> v.equals("main") || v.equals("cgroup"),
                "main");
        String success = last(parsed.values("Unit", "SuccessAction"),
                v -> v.equals("none") || v.equals("exit") || v.equals("exit-force"), "none");
        boolean successAction = !success.equals("none");
        String pam = last(parsed.values("Service", "PAMName"), v -> true, null);
        String killMode = last(parsed.values("Service", "KillMode"), KILL_MODES::contains, "control-group");
        String why = null;
        if (!start && !stop && !successAction) {
            why = "Service has no ExecStart=, ExecStop=, or SuccessAction=";
        } else if (!oneshot && !start) {
            why = "Service has no ExecStart= setting, which is only allowed for Type=oneshot services";
        } else if (!remain && !start && !successAction) {
            why = "Service has no ExecStart= and no SuccessAction= settings and does not have RemainAfterExit=yes"
                    + " set";
        } else if (!oneshot && exec.get("ExecStart").size() > 1) {
            why = "Service has more than one ExecStart= setting (" + exec.get("ExecStart").size()
                    + " commands), which is only allowed for Type=oneshot services";
        } else if (oneshot && !ONESHOT_RESTARTS.contains(restart)) {
            why = "Service has Restart=" + restart + ", which isn't allowed for Type=oneshot services";
        } else if (oneshot && exitType.equals("cgroup")) {
            why = "Service has ExitType=cgroup set, which isn't allowed for Type=oneshot services";
        } else if (type.equals("dbus") && busName == null) {
            why = "Service is of type D-Bus but no D-Bus service name (BusName=) has been specified";
        } else if (pam != null && !killMode.equals("control-group") && !killMode.equals("mixed")) {
            why = "Service has PAM enabled (PAMName=); KillMode= must be 'control-group' or 'mixed'";
        }
        return Optional.ofNullable(why).map(w -> w + "; systemd refuses to load it");
    }

    /** Each Exec*= list of [Service] as systemd builds it: values in order, an empty one clears the list. */
    private static Map<String, List<UnitFileExec.Command>> commands(String unit, UnitFile.Parsed parsed)
            throws UnitFileExec.Fatal {
        Map<String, List<UnitFileExec.Command>> out = new java.util.HashMap<>();
        for (String key : EXEC_KEYS) {
            List<UnitFileExec.Command> list = new ArrayList<>();
            for (String value : parsed.values("Service", key)) {
                if (value.isEmpty()) {
                    list.clear();
                    continue;
                }
                try {
                    list.addAll(UnitFileExec.parse(value, unit));
                } catch (UnitFileExec.Fatal e) {
                    throw new UnitFileExec.Fatal(key + "=" + UnitFileExec.clip(value) + ": " + e.getMessage()
                            + "; systemd refuses to load the unit");
                }
            }
            out.put(key, list);
        }
        return out;
    }

    /** The last value systemd accepts ({@code valid}), an empty one resetting to {@code dflt}; invalid ones skipped. */
    private static String last(List<String> values, java.util.function.Predicate<String> valid, String dflt) {
        String v = dflt;
        for (String value : values) {
            if (value.isEmpty()) {
                v = dflt;
            } else if (valid.test(value)) {
                v = value;
            }
        }
        return v;
    }

    /** systemd's parse_boolean, or null when the text is not one. */
    static Boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "yes", "y", "true", "t", "on" -> true;
            case "0", "no", "n", "false", "f", "off" -> false;
            default -> null;
        };
    }
}
