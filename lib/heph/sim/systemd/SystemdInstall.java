package heph.sim.systemd;

import heph.sim.SimTool.Reply;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The unit-file side of {@code systemctl --user}: enable, disable and is-enabled act on files, not on the loaded
 * definitions. enable links {@code <unit dir>/<target>.wants/<unit>} to the unit file for each [Install] WantedBy=
 * target and says so on stderr ({@code Created symlink A → B.}); disable removes such links
 * ({@code Removed "A".}). Texts follow systemd ~v252.
 */
final class SystemdInstall {
    private final Supplier<Path> unitDir;

    SystemdInstall(Supplier<Path> unitDir) {
        this.unitDir = unitDir;
    }

    Path file(String unit) {
        return unitDir.get().resolve(unit);
    }

    /** UnitFileState: enabled (linked), static (no [Install]), disabled, or "" when there is no unit file. */
    String state(String unit) {
        if (!links(unit).isEmpty()) {
            return "enabled";
        }
        Path f = file(unit);
        if (!Files.isRegularFile(f)) {
            return "";
        }
        return definition(unit).wantedBy().isEmpty() ? "static" : "disabled";
    }

    /** is-enabled: the state on stdout, exit 0 for enabled/static, 1 otherwise; an error when there is no file. */
    Reply isEnabled(String unit, boolean quiet) {
        String st = state(unit);
        if (st.isEmpty()) {
            return Reply.err(1, "Failed to get unit file state for " + unit + ": No such file or directory\n");
        }
        return new Reply(st.equals("disabled") ? 1 : 0, quiet ? "" : st + "\n", "");
    }

    Reply enable(String unit) {
        Path f = file(unit);
        if (!Files.isRegularFile(f)) {
            return Reply.err(1, "Failed to enable unit: Unit file " + unit + " does not exist.\n");
        }
        List<String> targets = definition(unit).wantedBy();
        if (targets.isEmpty()) {
            return Reply.err(0, "The unit files have no installation config (WantedBy=, RequiredBy=, Also=,\n"
                    + "Alias= settings in the [Install] section, and DefaultInstance= for template\n"
                    + "units). This means they are not meant to be enabled using systemctl.\n");
        }
        StringBuilder err = new StringBuilder();
        for (String target : targets) {
            Path link = unitDir.get().resolve(target + ".wants").resolve(unit);
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, f);
            } catch (IOException e) {
                return Reply.err(1, "Failed to enable unit: " + e.getMessage() + "\n");
            }
            err.append("Created symlink ").append(link).append(" \u2192 ").append(f).append(".\n");
        }
        return Reply.err(0, err.toString());
    }

    Reply disable(String unit) {
        List<Path> links = links(unit);
        if (links.isEmpty() && !Files.isRegularFile(file(unit))) {
            return Reply.err(1, "Failed to disable unit: Unit file " + unit + " does not exist.\n");
        }
        StringBuilder err = new StringBuilder();
        for (Path link : links) {
            try {
                Files.deleteIfExists(link);
            } catch (IOException e) {
                return Reply.err(1, "Failed to disable unit: " + e.getMessage() + "\n");
            }
            err.append("Removed \"").append(link).append("\".\n");
        }
        return Reply.err(0, err.toString());
    }

    /** Every {@code *.wants/<unit>} link in the unit folder. */
    List<Path> links(String unit) {
        List<Path> out = new ArrayList<>();
        Path dir = unitDir.get();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> wants = Files.newDirectoryStream(dir, "*.wants")) {
            for (Path w : wants) {
                Path link = w.resolve(unit);
                if (Files.isSymbolicLink(link)) {
                    out.add(link);
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    private SystemdDefinition definition(String unit) {
        try {
            return SystemdDefinition.parse(unit, Files.readString(file(unit)));
        } catch (IOException e) {
            return SystemdDefinition.parse(unit, "");
        }
    }
}
