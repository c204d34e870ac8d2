package heph.agents;

import heph.Heph;
import heph.HephException;
import heph.fs.AtomicFile;
import heph.fs.LabelLock;
import heph.fs.PrivateFiles;
import heph.fs.SetAside;
import heph.plan.DryRun;
import heph.service.Outcome;
import heph.service.Settings;
import heph.systemd.SystemdBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agents a folder dropped: {@code heph apply DIR} compares DIR with its {@link ApplyRecord} (what earlier applies
 * of DIR installed). An agent DIR installed whose file is no longer there is said ("not in DIR any more; --prune
 * removes it"); with {@code --prune} it is uninstalled race-free (under its lock, as {@code heph uninstall} does) and
 * its last installed file kept in {@code <state>/pruned/} for inspection. On systemd the units are removed before the
 * one daemon-reload of the whole run ({@link SystemdApply}). Left alone, and said: an agent whose installed file
 * changed since DIR installed it (someone else installed that label since) and one another folder's record also
 * claims. A record heph cannot parse is kept aside and nothing is pruned from it. Then the record is written anew.
 */
final class Prune implements AutoCloseable {
    static final String REMOVED = "removed";
    static final String DROPPED = "dropped";
    static final String KEPT = "kept";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Heph hephd;
    private final Settings s;
    private final Path dir;
    private final boolean prune;
    private final boolean dryRun;
    private final boolean systemd;
    private final ApplyRecord.Read read;
    private final SetAside aside = new SetAside();
    private final Map<Path, String> labels = new LinkedHashMap<>(); // each file of DIR: its label, null if unreadable
    private final List<ApplyRecord.Entry> candidates = new ArrayList<>();
    private final Set<String> forget = new HashSet<>(); // record entries that go: pruned, or left alone for good
    private final List<ApplyReport.Result> results = new ArrayList<>();
    private final List<LabelLock> locks = new ArrayList<>();
    private LabelLock folderLock;

    private Prune(Heph hephd, Settings s, Path dir, List<Path> files, boolean prune, boolean dryRun) {
        this.hephd = hephd;
        this.s = s;
        this.dir = dir;
        this.prune = prune;
        this.dryRun = dryRun;
        this.systemd = s.backend().equals("systemd");
        String real;
        try {
            real = dir.toRealPath().toString();
        } catch (IOException e) {
            throw HephException.failed("cannot resolve " + dir + ": " + e.getMessage());
        }
        if (!dryRun) { // two applies of one folder: one at a time, so neither loses the other's record
            folderLock = LabelLock.acquire(s.stateDir(), "apply-" + ApplyRecord.sha256(real.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16), s.lockWait(), s::say);
        }
        this.read = ApplyRecord.read(s, real);
        for (Path f : files) {
            String label;
            try {
                label = systemd ? AgentFolder.unitOf(f) : AgentFolder.labelOf(f);
            } catch (RuntimeException e) {
                label = null; // converging reports why; here it only means: this file may still be any agent
            }
            labels.put(f, label);
        }
    }

    /** Reads DIR's record and decides; the real run holds DIR's lock until {@link #close}. */
    static Prune open(Heph hephd, Settings s, Path dir, List<Path> files, boolean prune, boolean dryRun) {
        Prune p = new Prune(hephd, s, dir, files, prune, dryRun);
        try {
            p.decide();
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void decide() {
        if (read.problem() != null) {
            aside.mark(read.file(), read.problem());
            String w = dryRun ? aside.pending().orElseThrow() + "; nothing is pruned from it"
                    : "could not parse " + read.file() + " (" + read.problem() + "); nothing is pruned from it";
            s.say(w);
            return;
        }
        List<ApplyRecord> others = null;
        for (ApplyRecord.Entry e : read.record().agents()) {
            if (labels.containsValue(e.label())) {
                continue; // still in DIR (perhaps under another file name)
            }
            if (labels.entrySet().stream().anyMatch(f -> f.getValue() == null
                    && f.getKey().getFileName().toString().equals(e.source()))) {
                continue; // its file is there but unreadable now: it may still be this agent
            }
            others = others != null ? others : ApplyRecord.others(s, read.record().dir());
            Optional<ApplyRecord> other = others.stream().filter(o -> o.entry(e.label()).isPresent()).findFirst();
            String gone = e.label() + ": not in " + dir + " any more";
            if (other.isPresent()) {
                forget.add(e.label());
                results.add(kept(e, gone + ", but " + other.get().dir() + " installs it too; left alone"));
                continue;
            }
            String now = ApplyRecord.sha256Of(Path.of(e.file()));
            if (changedSince(e, now)) {
                forget.add(e.label());
                results.add(kept(e, gone + ", but " + e.file() + " changed since " + dir + " installed it (installed"
                        + " by hand or by another program); left alone: heph uninstall " + (systemd ? "--unit "
                        : "--label ") + e.label() + " removes it"));
                continue;
            }
            if (!prune) {
                results.add(said(e, DROPPED, gone + "; --prune removes it"));
            } else if (dryRun) {
                results.add(planned(e, gone));
            } else {
                candidates.add(e);
            }
        }
    }

    private static boolean changedSince(ApplyRecord.Entry e, String now) {
        return e.sha256() != null && now != null && !now.equals(e.sha256());
    }

    private ApplyReport.Result kept(ApplyRecord.Entry e, String message) {
        return said(e, KEPT, message);
    }

    /** An agent prune names but does not touch; in a dry run with its (empty) plan, as every dry-run entry. */
    private ApplyReport.Result said(ApplyRecord.Entry e, String how, String message) {
        return new ApplyReport.Result(e.label(), sourceOf(e), true, false, how, message, !dryRun ? null
                : new DryRun("prune", e.label(), how, false, List.of(), "", message, List.of()));
    }

    /** --dry-run --prune: uninstall's own plan (its calls, the file's removal as a diff), nothing touched. */
    private ApplyReport.Result planned(ApplyRecord.Entry e, String gone) {
        try {
            DryRun d = hephd.forLabel(e.label()).dryRun("uninstall");
            List<String> warnings = new ArrayList<>(d.warnings());
            if (d.changed() && Files.exists(Path.of(e.file()))) {
                warnings.add("the real run keeps a copy of " + e.file() + " as " + asideName(e, "<timestamp>"));
            }
            String how = d.changed() ? REMOVED : "none";
            DryRun p = new DryRun("prune", d.name(), how, d.changed(), d.commands(), d.diff(),
                    gone + "; prune: " + d.message(), warnings);
            return new ApplyReport.Result(e.label(), sourceOf(e), true, d.changed(), how, p.message(), p);
        } catch (RuntimeException x) {
            return new ApplyReport.Result(e.label(), sourceOf(e), false, false, "failed", "cannot plan pruning "
                    + e.label() + ": " + message(x));
        }
    }

    /**
     * systemd, inside {@link SystemdApply}'s critical section: each dropped unit is locked, stopped, disabled and
     * its file removed, without a daemon-reload. Returns whether one was removed (the caller then reloads once).
     */
    boolean removeUnits() {
        boolean any = false;
        for (ApplyRecord.Entry e : candidates) {
            any |= remove(e, agent -> ((SystemdBackend) agent.backend()).uninstall(false), true);
        }
        candidates.clear();
        return any;
    }

    /** systemd: the one daemon-reload of the run failed; the units removed before it are reported failed. */
    void reloadFailed(HephException e) {
        for (int i = 0; i < results.size(); i++) {
            ApplyReport.Result r = results.get(i);
            if (r.how().equals(REMOVED)) {
                forget.remove(r.label()); // still recorded: the next --prune makes sure systemd let go of it
                results.set(i, new ApplyReport.Result(r.label(), r.path(), false, true, "failed", "pruning "
                        + r.label() + " failed: daemon-reload failed after removing it: " + e.getMessage() + " ("
                        + r.message() + ")"));
            }
        }
    }

    private boolean remove(ApplyRecord.Entry e, java.util.function.Function<Heph, Outcome> uninstall,
                           boolean holdLock) {
        String gone = e.label() + ": not in " + dir + " any more";
        LabelLock lock = null;
        try {
            Heph agent = hephd.forLabel(e.label());
            lock = agent.lock();
            String now = ApplyRecord.sha256Of(Path.of(e.file()));
            if (changedSince(e, now)) { // installed again by someone else while we waited for the lock
                forget.add(e.label());
                results.add(kept(e, gone + ", but " + e.file() + " changed since " + dir + " installed it; left"
                        + " alone"));
                return false;
            }
            Path copy = now == null ? null : keepAside(e);
            Outcome o = uninstall.apply(agent);
            forget.add(e.label());
            boolean changed = o.changed() || !o.path().equals("none");
            String msg = !changed ? gone + " and no longer installed; forgotten"
                    : gone + "; " + o.message() + (copy == null ? "" : "; its last file is kept as " + copy);
            results.add(new ApplyReport.Result(e.label(), sourceOf(e), true, changed, changed ? REMOVED : "none", msg));
            return changed;
        } catch (RuntimeException x) {
            results.add(new ApplyReport.Result(e.label(), sourceOf(e), false, false, "failed", "pruning " + e.label()
                    + " failed: " + message(x)));
            return false;
        } finally {
            if (lock != null) {
                if (holdLock) {
                    locks.add(lock); // held until close, after the daemon-reload
                } else {
                    lock.close();
                }
            }
        }
    }

    private Path asideName(ApplyRecord.Entry e, String stamp) {
        String name = Path.of(e.file()).getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return s.stateDir().resolve("pruned").resolve(base + "." + stamp + ext);
    }

    private Path keepAside(ApplyRecord.Entry e) {
        byte[] bytes;
        try {
            bytes = ApplyRecord.readBounded(Path.of(e.file())).orElse(null);
            PrivateFiles.dir(s.stateDir().resolve("pruned"));
        } catch (IOException x) {
            throw HephException.failed("cannot keep a copy of " + e.file() + ": " + x.getMessage());
        }
        if (bytes == null) {
            return null;
        }
        String stamp = LocalDateTime.now().format(STAMP);
        Path copy = asideName(e, stamp);
        for (int i = 1; Files.exists(copy); i++) {
            copy = asideName(e, stamp + "-" + i);
        }
        AtomicFile.write(copy, bytes, PosixFilePermissions.fromString("rw-------"));
        return copy;
    }

    /**
     * The run's report with what prune said and did (launchd: pruning now, each agent under its own lock), and,
     * in a real run, DIR's record written anew: every agent of DIR whose installed file is DIR's file byte for byte,
     * the agents still to prune (without --prune, or whose pruning failed), and those whose file is unreadable.
     */
    ApplyReport finish(ApplyReport converged) {
        if (!dryRun && !systemd) {
            for (ApplyRecord.Entry e : candidates) {
                remove(e, agent -> agent.backend().uninstall(), false);
            }
            candidates.clear();
        }
        if (!dryRun) {
            writeRecord();
        }
        List<ApplyReport.Result> all = new ArrayList<>(converged.results());
        all.addAll(results);
        return new ApplyReport(converged.dir(), all, converged.dryRun());
    }

    private void writeRecord() {
        ApplyRecord old = read.record();
        List<ApplyRecord.Entry> next = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<Path, String> f : labels.entrySet()) {
            String label = f.getValue();
            if (label == null || !seen.add(label)) {
                continue;
            }
            String source = f.getKey().getFileName().toString();
            Path installed = systemd ? s.withUnit(label).unitPath() : s.withLabel(label).plistPath();
            Optional<ApplyRecord.Entry> before = old.entry(label);
            try {
                Optional<byte[]> mine = ApplyRecord.readBounded(f.getKey());
                Optional<byte[]> there = ApplyRecord.readBounded(installed);
                if (mine.isPresent() && there.isPresent() && Arrays.equals(mine.get(), there.get())) {
                    next.add(new ApplyRecord.Entry(label, source, installed.toString(),
                            ApplyRecord.sha256(there.get())));
                    continue;
                }
            } catch (IOException e) {
                // not comparable now: keep what was recorded
            }
            before.ifPresent(b -> next.add(new ApplyRecord.Entry(label, source, b.file(), b.sha256())));
        }
        for (ApplyRecord.Entry e : old.agents()) {
            if (!seen.contains(e.label()) && !forget.contains(e.label())) {
                next.add(e); // dropped but not pruned (yet), or its file unreadable now
            }
        }
        ApplyRecord fresh = new ApplyRecord(old.dir(), next);
        try {
            if (read.problem() != null) {
                List<String> said = new ArrayList<>();
                aside.apply(s::say, said);
            } else if (fresh.equals(old) || (next.isEmpty() && !Files.exists(read.file()))) {
                return;
            }
            fresh.write(s);
        } catch (RuntimeException e) {
            results.add(new ApplyReport.Result(null, read.file().toString(), false, false, "failed",
                    "cannot record what " + dir + " installed: " + message(e)));
        }
    }

    private static String message(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Where the dropped agent's file was in DIR (an entry's {@code source} in JSON; {@code file} is the installed one). */
    private String sourceOf(ApplyRecord.Entry e) {
        return dir.resolve(e.source()).toString();
    }

    /** Whether {@code r} is prune's (a dropped agent) rather than one of the folder's files. */
    static boolean isPrunes(ApplyReport.Result r) {
        return !r.ok() ? r.message().startsWith("pruning ") || r.message().startsWith("cannot plan pruning ")
                || r.message().startsWith("cannot record what ")
                : List.of(REMOVED, DROPPED, KEPT).contains(r.how())
                || r.label() != null && r.message().startsWith(r.label() + ": not in ");
    }

    @Override
    public void close() {
        for (int i = locks.size() - 1; i >= 0; i--) {
            locks.get(i).close();
        }
        locks.clear();
        if (folderLock != null) {
            folderLock.close();
            folderLock = null;
        }
    }
}
