package heph.agents;

import heph.Heph;
import heph.HephException;
import heph.launchd.plist.AgentPlist;
import heph.launchd.plist.LaunchdPlist;
import heph.service.Outcome;
import heph.service.ServiceStatus;
import heph.service.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Folders of agents: {@code heph list} (every agent installed in ~/Library/LaunchAgents, or every unit of the user
 * unit folder) and {@code heph apply DIR} (every agent file of a dotfiles folder, converged one by one through the
 * same verbs as {@code --plist}/{@code --unit-file}, each under its own lock; one failure does not stop the others).
 */
public final class AgentFolder {
    private AgentFolder() {
    }

    /** The label of the plist {@code file}, validated ({@link AgentPlist#read}). */
    public static String labelOf(Path file) {
        return AgentPlist.read(file).label();
    }

    /** The unit of the unit file {@code file}, validated ({@link AgentUnit#read}). */
    public static String unitOf(Path file) {
        return AgentUnit.read(file).unit();
    }

    /** A service unit name from {@code --unit NAME} ({@code sync} → {@code sync.service}). */
    public static String unitName(String name) {
        return AgentUnit.unitName(name, "--unit");
    }

    /** What the agent folder holds, each with its status (one print / show per agent). */
    public static List<ServiceStatus> list(Heph hephd, Settings s) {
        boolean systemd = s.backend().equals("systemd");
        Path folder = systemd ? s.unitPath().getParent() : s.home().resolve("Library/LaunchAgents");
        List<ServiceStatus> out = new ArrayList<>();
        for (Path file : files(folder, systemd ? ".service" : ".plist", true)) {
            String stem = file.getFileName().toString();
            String notAFile = notARegularFile(file);
            if (notAFile != null) { // never opened (a FIFO would block), and shown rather than passed over
                out.add(invalid(s, systemd ? stem : stem.replaceFirst("\\.plist$", ""), file, notAFile));
                continue;
            }
            String unreadable = systemd ? null : unparseable(file);
            String name = systemd ? stem : unreadable != null ? stem.replaceFirst("\\.plist$", "")
                    : LaunchdPlist.label(quietly(file)).orElse(stem.replaceFirst("\\.plist$", ""));
            try {
                ServiceStatus st = hephd.forLabel(name).status();
                if (unreadable != null && !st.loaded()) { // loaded from an earlier file: launchd's state stands
                    st = invalid(s, name, file, unreadable);
                } else if (!systemd && !name.equals(stem.replaceFirst("\\.plist$", ""))) {
                    st = misnamed(st, file); // launchd knows it by its Label; heph --label looks for <Label>.plist
                }
                out.add(st);
            } catch (RuntimeException | Error e) { // one bad file is reported in its row; the others are listed
                out.add(new ServiceStatus(s.backend(), name, true, false, "unknown", null, null, null, null,
                        List.of(), file.toString(), null, null, null, problem(file, e).getMessage()));
            }
        }
        return out;
    }

    /** A row for a file that is not an agent heph can read: state "invalid", the one-line reason as its hint. */
    static ServiceStatus invalid(Settings s, String name, Path file, String why) {
        return new ServiceStatus(s.backend(), name, false, false, "invalid", null, null, null, null, List.of(),
                file.toString(), null, null, null, why.replaceAll("\\s*[\\r\\n]+\\s*", " "));
    }

    /** Why the folder entry {@code file} is no agent file (a FIFO, a folder, a device, a dangling link), or null. */
    static String notARegularFile(Path file) {
        if (Files.isRegularFile(file)) {
            return null;
        }
        boolean link = Files.isSymbolicLink(file);
        if (link && !Files.exists(file)) {
            return "a link to a missing file";
        }
        String what = Files.isDirectory(file) ? "a folder" : fifo(file) ? "a FIFO" : "not a regular file (a device"
                + " or socket)";
        return (link ? "a link to " : "") + what + ", not an agent file";
    }

    private static boolean fifo(Path file) {
        try {
            return Files.getAttribute(file, "unix:mode") instanceof Integer m && (m & 0170000) == 0010000;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Why the plist {@code file} cannot be read (too large, not a plist), or null when it parses. */
    static String unparseable(Path file) {
        try {
            LaunchdPlist.read(file);
            return null;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return problem(file, e).getMessage();
        }
    }

    /**
     * A plist whose Label is not its file's name: launchd's view of the Label, but the real file, and a hint (heph's
     * {@code --label} looks for {@code <Label>.plist}, and a second file may carry the same Label).
     */
    static ServiceStatus misnamed(ServiceStatus st, Path file) {
        String hint = "Label " + st.name() + " does not match the file name " + file.getFileName() + ": launchd"
                + " loads it as " + st.name() + ", heph --label " + st.name() + " looks for " + st.name() + ".plist;"
                + " rename the file to " + st.name() + ".plist, or fix its Label";
        return new ServiceStatus(st.backend(), st.name(), true, st.loaded(), st.state(), st.pid(), st.lastExitCode(),
                st.runs(), st.program(), st.arguments(), file.toString(), st.stdoutLog(), st.stderrLog(), st.socket(),
                hint, st.lastSignal(), st.lastExitReason(), st.crashLoop(), st.starting(), st.otherDomain());
    }

    /** {@link Heph#apply}: every agent file of {@code dir}, in name order; with {@code dryRun} only planned. */
    public static ApplyReport apply(Heph hephd, Settings s, Path dir, boolean restart, boolean dryRun) {
        return apply(hephd, s, dir, restart, dryRun, false);
    }

    /** {@link #apply}, then the agents an earlier apply of {@code dir} installed and {@code dir} dropped: {@link Prune}. */
    public static ApplyReport apply(Heph hephd, Settings s, Path dir, boolean restart, boolean dryRun,
                                    boolean prune) {
        Path folder = s.cwd().resolve(dir).toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw HephException.usage("apply: " + folder + " is not a folder; expected a folder of "
                    + (s.backend().equals("systemd") ? "*.service unit files" : "*.plist files"));
        }
        boolean systemd = s.backend().equals("systemd");
        List<Path> files = files(folder, systemd ? ".service" : ".plist", true);
        try (Prune p = Prune.open(hephd, s, folder, files, prune, dryRun)) {
            return p.finish(systemd ? SystemdApply.run(hephd, s, folder, files, restart, dryRun, p)
                    : converge(hephd, folder, files, restart, dryRun));
        }
    }

    private static ApplyReport converge(Heph hephd, Path folder, List<Path> files, boolean restart, boolean dryRun) {
        List<ApplyReport.Result> results = new ArrayList<>();
        Map<String, Path> seen = new LinkedHashMap<>();
        for (Path file : files) {
            String label = null;
            try {
                Heph agent = hephd.forFile(file);
                label = agent.name();
                Path first = seen.putIfAbsent(label, file);
                if (first != null) {
                    throw HephException.usage(file + ": Label " + label + " is also the Label of " + first
                            + "; expected one file per agent");
                }
                String action = restart ? "restart" : "start";
                if (dryRun) {
                    results.add(planned(label, file, agent.dryRun(action)));
                    continue;
                }
                Outcome o = restart ? agent.restart() : agent.start();
                results.add(done(label, file, o));
            } catch (RuntimeException | Error e) { // whatever one file throws, it is reported and the rest go on
                results.add(failed(label, file, problem(file, e)));
            }
        }
        return new ApplyReport(folder, results, dryRun);
    }

    static ApplyReport.Result planned(String label, Path file, heph.plan.DryRun plan) {
        return new ApplyReport.Result(label, file.toString(), true, plan.changed(), plan.path(), plan.message(),
                plan);
    }

    static ApplyReport.Result done(String label, Path file, Outcome o) {
        return new ApplyReport.Result(label, file.toString(), true, o.changed(), o.path(), o.message());
    }

    /**
     * What one item of a batch threw, as a one-line {@link HephException}: heph's own as it is; anything else (a
     * StackOverflowError from a parser, an OutOfMemoryError, a bug) named with the file, so the batch goes on.
     */
    static HephException problem(Path file, Throwable t) {
        if (t instanceof HephException e) {
            return e;
        }
        String why = t instanceof StackOverflowError ? "is nested too deeply to read (StackOverflowError)"
                : t instanceof OutOfMemoryError ? "is too large to read (OutOfMemoryError)"
                : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return HephException.failed(file + ": " + why.replaceAll("\\s*[\\r\\n]+\\s*", " "));
    }

    static ApplyReport.Result failed(String label, Path file, HephException e) {
        return new ApplyReport.Result(label, file.toString(), false, false, "failed", e.getMessage());
    }

    /** The regular files (or links to them) of {@code folder} ending in {@code suffix}, not hidden, by name. */
    static List<Path> files(Path folder, String suffix) {
        return files(folder, suffix, false);
    }

    /**
     * Like {@link #files(Path, String)}; with {@code all} also what only has the name (a FIFO, a folder, a dangling
     * link named {@code x.plist}), so that {@code apply} reports it instead of passing it over in silence. Nothing
     * is opened here: the type is read from the folder entry.
     */
    static List<Path> files(Path folder, String suffix, boolean all) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(suffix) && !n.startsWith(".") && (all || Files.isRegularFile(p));
            }).sorted().toList();
        } catch (IOException e) {
            throw HephException.failed("cannot list " + folder + ": " + e.getMessage());
        }
    }

    private static com.dd.plist.NSDictionary quietly(Path file) {
        try {
            return LaunchdPlist.read(file);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return null;
        }
    }
}
