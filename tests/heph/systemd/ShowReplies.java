package heph.systemd;

import static heph.support.ScriptedRunner.fail;
import static heph.support.ScriptedRunner.out;

import heph.support.ScriptedRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * `systemctl --user show` answers shaped like docs/facts/launchd-facts.md §12: Key=value lines in D-Bus order (Service-interface
 * properties before Unit-interface ones), not in the order the -p flags asked for.
 */
final class ShowReplies {
    static final String EXE = "systemctl";
    static final String UNIT = "heph.service";
    /** docs/facts/launchd-facts.md §12, the ~v247–v254 wording with XDG_RUNTIME_DIR unset. */
    static final String NO_BUS = "Failed to connect to bus: $DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not"
            + " defined (consider using --machine=<user>@.host --user to connect to bus of other user)\n";

    private ShowReplies() {
    }

    static ScriptedRunner.Reply show(String load, String active, String sub, long pid, long restarts,
                                     String fileState, boolean needReload) {
        String started = pid > 0 || restarts > 0 ? "Mon 2026-09-07 10:00:00 CEST" : "";
        return out("MainPID=" + pid + "\nNRestarts=" + restarts + "\nExecMainStartTimestamp=" + started
                + "\nLoadState=" + load + "\nActiveState=" + active + "\nSubState=" + sub
                + "\nNeedDaemonReload=" + (needReload ? "yes" : "no") + "\nUnitFileState=" + fileState + "\n");
    }

    /** §12: show on an unknown unit answers with LoadState=not-found and exit 0. */
    static ScriptedRunner.Reply notFound() {
        return show("not-found", "inactive", "dead", 0, 0, "", false);
    }

    static ScriptedRunner.Reply running(long pid) {
        return show("loaded", "active", "running", pid, 0, "enabled", false);
    }

    static ScriptedRunner.Reply inactive() {
        return show("loaded", "inactive", "dead", 0, 0, "enabled", false);
    }

    static ScriptedRunner.Reply noBus() {
        return fail(1, NO_BUS);
    }

    /** The exact argv of `systemctl --user show -p ... heph.service`. */
    static List<String> showArgv() {
        List<String> argv = new ArrayList<>(List.of(EXE, "--user", "show"));
        for (String p : UnitState.PROPERTIES) {
            argv.add("-p");
            argv.add(p);
        }
        argv.add(UNIT);
        return argv;
    }

    static List<String> argv(String... verbAndArgs) {
        List<String> argv = new ArrayList<>(List.of(EXE, "--user"));
        argv.addAll(List.of(verbAndArgs));
        return argv;
    }
}
