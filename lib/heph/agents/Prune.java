package heph.agents;

import heph.Heph;
import heph.HephException;
import heph.fs.AtomicFile;
import heph.fs.FileNames;
import heph.fs.LabelLock;
import heph.fs.PrivateFiles;
import heph.fs.SetAside;
import heph.plan.DryRun;
import heph.service.Outcome;
import heph.service.Settings;
import heph.systemd.SystemdBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * changed since DIR installed it (someone else installed that label since) or is a link now, and one another
 * existing folder's record also claims. Forgotten, never uninstalled: one whose installed file is gone (uninstall
 * works by label; another program may load it from its own file). A record heph cannot parse is kept aside and
 * nothing is pruned from it; an entry naming another file than the label's own is ignored. Then the record is
 * written anew, adopting no agent this apply did not write.
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
    private final Set<String> refused = new HashSet<>(); // record entries heph did not write: ignored, then dropped
    private final Map<String, String> before = new HashMap<>(); // DIR's new labels: installed file's sha256 before
    private final List<ApplyReport.Result> results = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<LabelLock> locks = new ArrayList<>();
    private LabelLock folderLock;
    private boolean reloadForGone; // systemd: a recorded unit's file is gone; the run's daemon-reload lets go of it
    private List<ApplyRecord> others; // the other folders' records, read when first needed

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
            String name = "apply-" + ApplyRecord.sha256(real.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .substring(0, 16);
            folderLock = LabelLock.acquire(s.stateDir(), name, s.lockWait(),
                    w -> s.say(w.replace("working on " + name, "applying " + real)));
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
            if (label != null && read.record().entry(label).isEmpty()) {
                // installed before this apply: recorded only if this apply writes it (an agent started with
                // --plist/--unit-file from the same bytes is not DIR's to prune)
                Path installed = installedPath(label);
                before.put(label, installed == null ? null : ApplyRecord.sha256Of(installed));
            }
        }
    }

    /** Where heph installs {@code label} (its plist or unit file), or null for a name heph cannot install. */
    private Path installedPath(String label) {
        try {
            return systemd ? s.withUnit(label).unitPath() : s.withLabel(label).plistPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether a record entry names the label's own installed file, exactly (heph writes nothing else there). */
    private boolean ownFile(ApplyRecord.Entry e) {
        Path installed = installedPath(e.label());
        return installed != null && e.file().equals(installed.toString())
                && Arrays.stream(e.file().split("/")).noneMatch(p -> p.equals("..") || p.equals("."));
    }

    private void warn(String w) {
        s.say(w);
        warnings.add(w);
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
            if (dryRun) { // the real run says it once, when it keeps the file aside
                s.say(aside.pending().orElseThrow() + "; nothing is pruned from it");
            }
            return;
        }
        Set<String> stale = new HashSet<>();
        for (ApplyRecord.Entry e : read.record().agents()) {
            if (!ownFile(e)) {
                refused.add(e.label());
                forget.add(e.label());
                warn(read.file() + " names " + FileNames.prefix(e.file()) + " for " + FileNames.prefix(e.label())
                        + ", which is not where heph installs it; heph did not write that entry: ignored and dropped");
                continue;
            }
            if (labels.containsValue(e.label())) {
                continue; // still in DIR (perhaps under another file name)
            }
            if (labels.entrySet().stream().anyMatch(f -> f.getValue() == null
                    && f.getKey().getFileName().toString().equals(e.source()))) {
                continue; // its file is there but unreadable now: it may still be this agent
            }
            others = others != null ? others : ApplyRecord.others(s, read.record().dir());
            Optional<ApplyRecord> other = others.stream().filter(o -> o.entry(e.label()).isPresent())
                    .filter(o -> {
                        if (Files.isDirectory(Path.of(o.dir()))) {
                            return true;
                        }
                        if (stale.add(o.dir())) { // a folder renamed or deleted holds nothing back
                            warn("the record of " + o.dir() + ", which no longer exists, is ignored");
                        }
                        return false;
                    }).findFirst();
            String gone = e.label() + ": not in " + dir + " any more";
            if (other.isPresent()) {
                forget.add(e.label());
                results.add(kept(e, gone + ", but " + other.get().dir() + " installs it too; left alone"));
                continue;
            }
            ApplyReport.Result notOurs = notOurs(e, gone, " (installed by hand or by another program); left alone:"
                    + " heph uninstall " + (systemd ? "--unit " : "--label ") + e.label() + " removes it");
            if (notOurs != null) {
                forget.add(e.label());
                results.add(notOurs);
                // its file gone (by hand, or heph removed it and the daemon-reload then failed): one reload lets
                // systemd forget it too; a reload stops and removes nothing
                reloadForGone |= systemd && prune && !dryRun && notOurs.how().equals("none");
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

    /**
     * Why {@code e} is no longer heph's to remove, as what to report (the entry is then forgotten), or null when its
     * installed file is, byte for byte, the one DIR installed. An absent file is forgotten, never uninstalled:
     * uninstalling works by label, and another program may have loaded that label from its own file since.
     */
    private ApplyReport.Result notOurs(ApplyRecord.Entry e, String gone, String changedTail) {
        Path f = Path.of(e.file());
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            return said(e, "none", gone + " and " + f + " is no longer installed; forgotten, nothing uninstalled");
        }
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return kept(e, gone + ", but " + f + " is " + (Files.isSymbolicLink(f) ? "a symlink" : "no regular file")
                    + " now, not the file " + dir + " installed; left alone and forgotten");
        }
        String now = ApplyRecord.sha256Of(f);
        if (now == null || !now.equals(e.sha256())) {
            return kept(e, gone + ", but " + f + " changed since " + dir + " installed it" + changedTail);
        }
        return null;
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
        return any || reloadForGone;
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
            ApplyReport.Result notOurs = notOurs(e, gone, "; left alone"); // again: someone may have been quicker
            if (notOurs != null) {
                forget.add(e.label());
                results.add(notOurs);
                return false;
            }
            Path copy = keepAside(e);
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
        List<String> w = new ArrayList<>(converged.warnings());
        w.addAll(warnings);
        return new ApplyReport(converged.dir(), all, converged.dryRun(), w);
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
            Path installed = installedPath(label);
            if (installed == null) {
                continue;
            }
            Optional<ApplyRecord.Entry> recorded = old.entry(label).filter(b -> !refused.contains(label));
            try {
                Optional<byte[]> mine = ApplyRecord.readBounded(f.getKey());
                Optional<byte[]> there = ApplyRecord.readBounded(installed);
                if (mine.isPresent() && there.isPresent() && Arrays.equals(mine.get(), there.get())) {
                    String sha = ApplyRecord.sha256(there.get());
                    if (recorded.isPresent() || !sha.equals(before.get(label)) || appliedElsewhere(label, installed,
                            sha)) {
                        next.add(new ApplyRecord.Entry(label, source, installed.toString(), sha));
                    } // else installed before with these very bytes, not by an apply: not DIR's to prune
                    continue;
                }
            } catch (IOException e) {
                // not comparable now: keep what was recorded
            }
            recorded.ifPresent(b -> next.add(new ApplyRecord.Entry(label, source, b.file(), b.sha256())));
        }
        for (ApplyRecord.Entry e : old.agents()) {
            if (!seen.contains(e.label()) && !forget.contains(e.label())) {
                next.add(e); // dropped but not pruned (yet), or its file unreadable now
            }
        }
        ApplyRecord fresh = new ApplyRecord(old.dir(), next);
        try {
            if (read.problem() != null) {
                aside.apply(w -> warn(w + "; nothing is pruned from it"), new ArrayList<>());
            } else if (fresh.equals(old) || (next.isEmpty() && !Files.exists(read.file()))) {
                return;
            }
            fresh.write(s);
        } catch (RuntimeException e) {
            // the services converged and the pruning is done: only the bookkeeping failed, which the next apply
            // of DIR retries (an agent it did not record is never pruned, so nothing foreign is at risk)
            warn("cannot record what " + dir + " installed: " + message(e));
        }
    }

    /**
     * Whether another folder's record (one that exists or not: a folder renamed) holds {@code label} installed at
     * {@code installed} with these very bytes: an apply installed it, so DIR, applying the same file, shares it.
     */
    private boolean appliedElsewhere(String label, Path installed, String sha) {
        if (others == null) {
            others = ApplyRecord.others(s, read.record().dir());
        }
        return others.stream().anyMatch(o -> o.entry(label).filter(x -> sha.equals(x.sha256())
                && x.file().equals(installed.toString())).isPresent());
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
