package heph.systemd;

import heph.HephException;
import heph.proc.ExecResult;
import heph.service.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where heph's unit file must be for the user manager to read it. heph's own path follows heph's
 * {@code XDG_CONFIG_HOME} ({@link Settings#unitPath}), but systemd --user reads {@code $XDG_CONFIG_HOME/systemd/user}
 * of its own environment, which may differ (a shell that exports another XDG_CONFIG_HOME than the login session).
 * The manager is asked ({@code show -p UnitPath}) only when the two can differ: heph's environment sets
 * XDG_CONFIG_HOME, or systemd loaded heph.service from another file (FragmentPath). Then:
 * <ul>
 * <li>heph's folder is in the manager's UnitPath: heph's path is used (with a warning when the loaded file sits in a
 * folder that takes precedence over it, so heph's edits would not take effect);</li>
 * <li>it is not: the manager's own config folder (the entry whose {@code .control} twin is listed) is used instead,
 * with a warning naming both;</li>
 * <li>the manager cannot be asked (the call fails, or prints no UnitPath): heph's path, unchanged — the later calls
 * report their own errors.</li>
 * </ul>
 */
final class UnitLocation {
    private UnitLocation() {
    }

    static Path resolve(Settings s, UnitState st, Supplier<ExecResult> unitPathQuery, Consumer<String> warn) {
        Path mine = s.unitPath();
        String xdg = s.env().get("XDG_CONFIG_HOME");
        boolean xdgSet = xdg != null && !xdg.isBlank();
        String fragment = st.fragmentPath();
        boolean elsewhere = st.installed() && !fragment.isEmpty() && !same(Path.of(fragment), mine);
        if (!xdgSet && !elsewhere) {
            return mine;
        }
        ExecResult r = unitPathQuery.get();
        List<String> path = r.ok() ? LoadedUnit.unitPath(r.stdout()) : List.of();
        if (path.isEmpty()) {
            return mine;
        }
        int myIndex = path.indexOf(mine.getParent().toString());
        if (myIndex >= 0) {
            int loadedIndex = elsewhere ? path.indexOf(Path.of(fragment).getParent().toString()) : -1;
            if (loadedIndex >= 0 && loadedIndex < myIndex) {
                warn.accept("systemd --user loads " + s.unit() + " from " + fragment + ", which takes precedence"
                        + " over heph's " + mine + ": heph's changes will not take effect until it is removed");
            }
            return mine;
        }
        Optional<Path> theirs = LoadedUnit.configDir(path);
        String why = mine.getParent() + (xdgSet ? " (from heph's XDG_CONFIG_HOME=" + xdg + ")" : "")
                + " is not in the unit path of systemd --user";
        if (theirs.isEmpty()) {
            throw HephException.failed(why + " (UnitPath=" + String.join(" ", path) + "), and heph cannot tell the"
                    + " manager's own folder from it: run heph with the XDG_CONFIG_HOME of the user manager"
                    + " (`systemctl --user show-environment`)");
        }
        Path used = theirs.get().resolve(s.unit());
        warn.accept(why + ", whose own folder is " + theirs.get() + "; using " + used
                + " (XDG_CONFIG_HOME differs between heph and the user manager)");
        return used;
    }

    private static boolean same(Path a, Path b) {
        if (a.normalize().equals(b.normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
