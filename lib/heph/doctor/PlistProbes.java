package heph.doctor;

import com.dd.plist.NSDictionary;
import heph.HephException;
import heph.launchd.plist.LaunchdPlist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The plist on disk, as launchd will judge it at bootstrap (docs/facts/launchd-facts.md §1, §11, §13): it parses, its Label
 * matches the file name, its program is absolute, exists and is executable, it is yours and not group/world-writable,
 * and the folders of its log paths (and its WorkingDirectory) exist and are writable. Files only, no process.
 */
final class PlistProbes {
    private PlistProbes() {
    }

    /** The parsed plist, if it exists and parses; the checks say why not otherwise. */
    record Result(List<Check> checks, Optional<NSDictionary> plist) {
        boolean failed() {
            return checks.stream().anyMatch(c -> c.status() == Check.Status.FAIL);
        }
    }

    static Result run(Subject s, int uid) {
        List<Check> out = new ArrayList<>();
        Path file = s.plist();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            out.add(Check.warn("plist", "not installed: no " + file, s.hephd() ? "`heph start` writes it and loads"
                    + " hephd" : "`heph start --plist FILE` installs the agent's plist and loads it"));
            return new Result(out, Optional.empty());
        }
        NSDictionary plist;
        try {
            plist = LaunchdPlist.read(file);
        } catch (HephException e) { // PlistParseException too
            out.add(Check.fail("plist", file + " does not parse: " + e.getMessage()
                    + " (launchd answers bootstrap with 5: Input/output error)",
                    "check it with `plutil -lint " + file + "`; " + (s.hephd() ? "`heph start` moves it aside and"
                    + " writes a new one" : "fix it, or install it again with `heph start --plist FILE`")));
            return new Result(out, Optional.empty());
        }
        out.add(Check.ok("plist", file + " parses"));
        out.add(label(s, file, plist));
        if (Files.isSymbolicLink(file)) {
            out.add(link(s, file));
        }
        out.add(permissions(file, uid));
        out.add(program(s, plist));
        out.addAll(logs(s, plist));
        LaunchdPlist.string(plist, "WorkingDirectory").ifPresent(wd -> {
            if (!Files.isDirectory(Path.of(wd))) {
                out.add(Check.fail("working-directory", "WorkingDirectory " + wd + " does not exist (launchd fails"
                        + " the spawn with 78: EX_CONFIG)", "create it, or remove WorkingDirectory from the plist"));
            }
        });
        return new Result(out, Optional.of(plist));
    }

    private static Check label(Subject s, Path file, NSDictionary plist) {
        Optional<String> label = LaunchdPlist.label(plist);
        String expected = file.getFileName().toString().replaceFirst("\\.plist$", "");
        if (label.isEmpty()) {
            return Check.fail("label", file + " has no Label (launchd refuses it)",
                    "add <key>Label</key><string>" + expected + "</string>" + (s.hephd() ? ", or run `heph start`"
                    : ""));
        }
        if (!label.get().equals(expected)) {
            return Check.fail("label", "Label " + label.get() + " does not match the file name " + file.getFileName()
                    + " (launchd loads it as " + label.get() + ", heph looks for " + s.label() + ")",
                    "set Label to " + expected + ", or rename the file to " + label.get() + ".plist");
        }
        return Check.ok("label", "Label " + label.get() + " matches the file name");
    }

    /**
     * A symlinked plist (how stow-style dotfiles install agents): heph writes only its own regular files, so start,
     * restart, apply and uninstall refuse it; launchd loads it on an explicit bootstrap but reportedly ignores it at
     * login on macOS 14+ (docs/facts/launchd-facts.md §11, unconfirmed). The fix is heph's way: the dotfile given with --plist,
     * installed as a copy that heph compares with the dotfile on every start.
     */
    static Check link(Subject s, Path file) {
        String target;
        try {
            target = file.toRealPath().toString();
        } catch (IOException e) {
            target = "a missing file";
            try {
                target = Files.readSymbolicLink(file) + " (missing)";
            } catch (IOException | UnsupportedOperationException ignored) {
                // keep "a missing file"
            }
        }
        String given = target.endsWith(" (missing)") || target.equals("a missing file") ? "FILE" : target;
        return Check.fail("plist-link", file + " is a symlink to " + target + ": heph writes only its own regular"
                + " files, so `heph start`, `restart`, `apply` and `uninstall` refuse it (and launchd reportedly"
                + " ignores symlinked agents at login on macOS 14+)", "`rm " + file + "`, then `heph start --plist "
                + given + "` (heph installs a copy and reloads it when the dotfile changes)");
    }

    /**
     * §11: owned by the loading user, not group/world-writable, else 122 (or 5 as user). A symlink's own mode is
     * always rwxrwxrwx and means nothing: its target's owner and mode are judged (the link itself: {@link #link}).
     */
    static Check permissions(Path file, int uid) {
        try {
            boolean link = Files.isSymbolicLink(file);
            if (link && !Files.exists(file)) {
                return Check.fail("plist-owner", file + " is a symlink to a missing file", "`rm " + file + "`");
            }
            LinkOption[] how = link ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
            Path shown = link ? file.toRealPath() : file;
            int owner = (Integer) Files.getAttribute(file, "unix:uid", how);
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, how);
            String mode = java.nio.file.attribute.PosixFilePermissions.toString(perms);
            if (link) {
                file = shown; // messages and fixes name the file whose mode counts
            }
            if (owner != uid) {
                return Check.fail("plist-owner", file + " is owned by uid " + owner + ", not by you (uid " + uid
                        + "); launchd refuses it (122, or 5 as a user)", "`chown $(id -un) " + file + "`");
            }
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                return Check.fail("plist-owner", file + " is group/world-writable (" + mode + "); launchd refuses it"
                        + " (122, or 5 as a user)", "`chmod 644 " + file + "`");
            }
            return Check.ok("plist-owner", "yours, mode " + mode);
        } catch (IOException | UnsupportedOperationException e) {
            return Check.warn("plist-owner", "cannot read the owner and mode of " + file + ": " + e.getMessage(), "");
        }
    }

    /** hephd's fixes go through {@code heph start --hephd}; another agent's are edits of its plist. */
    static Check program(Subject s, NSDictionary plist) {
        List<String> args = LaunchdPlist.programArguments(plist);
        String program = LaunchdPlist.string(plist, "Program").orElse(args.isEmpty() ? "" : args.get(0));
        boolean hephd = s.hephd();
        String edit = "Program/ProgramArguments of " + s.plist();
        if (program.isEmpty()) {
            return Check.fail("program", "the plist names no program (no Program, no ProgramArguments)",
                    hephd ? "run `heph start --hephd /path/to/hephd`" : "set " + edit);
        }
        if (!Path.of(program).isAbsolute()) {
            return Check.fail("program", "program " + program + " is not an absolute path (launchd does not search"
                    + " PATH the way your shell does)", hephd ? "run `heph start --hephd $(command -v " + program
                    + ")`" : "make " + edit + " start with its absolute path (`command -v " + program + "`)");
        }
        Path p = Path.of(program);
        if (!Files.exists(p)) {
            return Check.fail("program", "program " + program + " does not exist (bootstrap answers 5, or the spawn"
                    + " fails with 78: EX_CONFIG)", hephd ? "install hephd there, or run `heph start --hephd"
                    + " /path/to/hephd`" : "install it there, or point " + edit + " at it");
        }
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            return Check.fail("program", "program " + program + " is not an executable file",
                    "`chmod +x " + program + "`" + (hephd ? ", or run `heph start --hephd /path/to/hephd`" : ""));
        }
        return Check.ok("program", program + " exists and is executable");
    }

    /** §11, §13: launchd needs both log paths writable, else the spawn fails with 78 EX_CONFIG. */
    static List<Check> logs(Subject s, NSDictionary plist) {
        List<Check> out = new ArrayList<>();
        for (String key : new String[] {"StandardOutPath", "StandardErrorPath"}) {
            String value = LaunchdPlist.string(plist, key).orElse("");
            String name = key.equals("StandardOutPath") ? "stdout-log" : "stderr-log";
            if (value.isBlank()) {
                out.add(Check.warn(name, "no " + key + ": launchd discards what " + s.who() + " writes there",
                        s.hephd() ? "`heph start` sets it to ~/Library/Logs/heph/" : "add " + key + " to its plist,"
                        + " then `heph restart --plist FILE`"));
                continue;
            }
            Path log = Path.of("/").resolve(value).normalize();
            Path folder = log.getParent();
            String spawn = " (launchd fails the spawn with 78: EX_CONFIG)";
            if (folder != null && !Files.isDirectory(folder)) {
                out.add(Files.exists(folder)
                        ? Check.fail(name, "the folder of " + log + " is a file" + spawn, "remove " + folder
                        + ", or set another " + key)
                        : Check.warn(name, "the folder of " + log + " does not exist; launchd may not create it"
                        + spawn, "`" + s.heph("start") + "` creates it (or `mkdir -p " + folder + "`)"));
            } else if (folder != null && (!Files.isWritable(folder) || !Files.isExecutable(folder))) {
                out.add(Check.fail(name, "the folder of " + log + " is not writable" + spawn,
                        "`chmod u+rwx " + folder + "`, or set another " + key));
            } else if (Files.isDirectory(log)) {
                out.add(Check.fail(name, log + " is a folder" + spawn, "set " + key + " to a file path"));
            } else if (Files.exists(log) && !Files.isWritable(log)) {
                out.add(Check.fail(name, log + " is not writable" + spawn, "`chmod u+w " + log + "`"));
            } else {
                out.add(Check.ok(name, log + " is writable"));
            }
        }
        return out;
    }
}
