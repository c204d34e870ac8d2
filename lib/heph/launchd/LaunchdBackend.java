package heph.launchd;

import heph.launchd.plist.AgentPlist;
import heph.launchd.plist.PlistDefinition;
import heph.launchd.plist.LaunchdPlist;
import com.dd.plist.NSDictionary;
import heph.HephException;
import heph.config.FlagOverrides;
import heph.fs.AtomicFile;
import heph.fs.Owner;
import heph.fs.SetAside;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import heph.service.Backend;
import heph.service.CriticalSection;
import heph.service.DefinitionSource;
import heph.service.Outcome;
import heph.service.ServiceStatus;
import heph.service.Settings;
import heph.service.SocketProbe;
import heph.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * hephd, or any other LaunchAgent ({@link DefinitionSource}: hephd's plist is baked from its flags, another agent's
 * is its file as given), in gui/&lt;uid&gt;. start and restart converge on the desired plist:
 * <ul>
 * <li>not loaded: write the plist, enable, bootstrap-with-retry, verify running;</li>
 * <li>loaded and unchanged: start does nothing; restart runs {@code kickstart -k} (in place, no race);</li>
 * <li>loaded and changed: write the plist, bootout, wait-until-unloaded, enable, bootstrap-with-retry, verify;
 * if the new definition fails, the previous one is put back ({@link Reload}).</li>
 * </ul>
 * "Unchanged" means launchd runs the desired plist: it equals heph's copy of the plist it last loaded
 * ({@link LoadedCopy}; compared as parsed dictionaries, never bytes) and what {@code launchctl print} shows of the job matches
 * it (arguments, environment, log paths, working directory). Without a copy (first run after an upgrade), the file
 * on disk stands in for it.
 */
public final class LaunchdBackend implements Backend {
    private final Settings s;
    private final Launchctl launchctl;
    private final LaunchdPrimitives primitives;
    private final JobVerifier verifier;
    private final String domain;
    private final String target;
    private final Path plist;
    private final Clock clock;
    private final LoadedCopy loadedCopy;
    private final Reload reload;
    private final BootoutWait bootouts; // bootout --wait where it exists
    private final DefinitionSource source;
    private final String who; // "hephd", or the agent's label, in messages
    private final OtherDomain elsewhere; // one instance across gui/<uid> and user/<uid>

    /** hephd, its flags baked. */
    public LaunchdBackend(Settings settings, ProcessRunner runner, Clock clock) {
        this(settings, runner, clock, DefinitionSource.HEPHD);
    }

    /** hephd, or the agent {@code settings.label()} as {@code source} says. */
    public LaunchdBackend(Settings settings, ProcessRunner runner, Clock clock, DefinitionSource source) {
        this.s = settings;
        this.source = source;
        this.who = source.who(settings.label());
        // Inside the reload's critical section, a launchctl call killed by the deferred Ctrl-C is run again.
        this.launchctl = new Launchctl(CriticalSection.rerunKilledCalls(runner, settings), settings.launchctl(),
                settings.commandTimeout());
        this.primitives = new LaunchdPrimitives(launchctl, clock);
        this.verifier = new JobVerifier(launchctl, primitives, clock, settings, who);
        this.domain = Launchctl.domain(settings);
        this.target = Launchctl.target(settings);
        // an agent named by --label alone may be installed under another file name (a hand install)
        this.plist = source.hephd() || source.file() != null ? settings.plistPath()
                : LaunchdStatus.installedPlist(settings, true);
        this.clock = clock;
        this.loadedCopy = new LoadedCopy(settings);
        this.bootouts = new BootoutWait(launchctl, primitives, clock, settings);
        this.reload = new Reload(settings, launchctl, primitives, verifier, loadedCopy, bootouts, clock, who, plist);
        this.elsewhere = new OtherDomain(settings, launchctl, source.hephd());
    }

    /**
     * The plist the agent {@code s.label()} is installed as: {@code <Label>.plist}, else the one file of
     * ~/Library/LaunchAgents carrying that Label (a hand install under another file name); quietly.
     */
    public static java.nio.file.Path installedPlist(Settings s) {
        return LaunchdStatus.installedPlist(s, false);
    }

    /** The plist this backend works on (resolved once, when made: still named after an uninstall removed it). */
    public java.nio.file.Path plist() {
        return plist;
    }

    @Override
    public String name() {
        return "launchd";
    }

    @Override
    public Outcome start(FlagOverrides flags) {
        elsewhere.requireNotElsewhere("start");
        return bootouts.annotate(converge("start", flags));
    }

    @Override
    public Outcome restart(FlagOverrides flags) {
        elsewhere.requireNotElsewhere("restart");
        return bootouts.annotate(converge("restart", flags));
    }

    /**
     * probe → draining? → not loaded: fresh start; loaded and launchd runs the desired definition: nothing /
     * kickstart; else the reload. "Runs the desired definition" is judged against heph's copy of what it loaded and
     * against what print shows ({@link #drift}), never against the file alone: launchd ignores edits to the file.
     * The decision is {@link #decide}, which a dry run shares.
     */
    private Outcome converge(String action, FlagOverrides flags) {
        Decision d = decide(action, flags, false);
        AtomicFile.removeStaleTemps(plist); // of a heph killed while writing it
        switch (d.path()) {
            case "start":
                return freshStart(action, d.desired(), d.bytes(), d.writeFile(), d.aside(), d.warnings());
            case "none":
            case "kickstart":
                if (d.writeFile()) { // the file was missing or unreadable, but launchd runs exactly this definition
                    d.aside().apply(s::say, d.warnings());
                    AtomicFile.write(plist, d.bytes(), installMode(d.desired()));
                }
                boolean enabled = enableIfDisabled(); // launchd would not load it at next login
                Outcome o = unchanged(action, d.desired(), d.job(), d.writeFile(), d.warnings());
                return enabled ? reenabled(o) : o;
            default:
                return reload.run(reloadPlan(d), d.aside(), d.warnings());
        }
    }

    /** The reload {@link #decide} chose, with what to put back if it fails and how long the old job may take. */
    private Reload.Plan reloadPlan(Decision d) {
        byte[] previous = previous(d.onDisk(), d.copied(), d.job(), d.writeFile());
        // the file written, new or put back, is as private as the more private of the two definitions
        java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = installMode(d.desired());
        for (NSDictionary before : new NSDictionary[] {d.copied(), d.onDisk()}) {
            if (before != null) {
                mode.retainAll(installMode(before));
            }
        }
        return new Reload.Plan(d.action(), d.desired(), d.bytes(), d.writeFile(), previous, d.job(),
                unloadBound(s, d.job(), d.copied() != null ? d.copied() : d.onDisk(), who).bound(), d.why(), mode);
    }

    /**
     * What start/restart decided, before anything is written, unloaded or started.
     *
     * @param path     start (not loaded), none or kickstart (launchd runs the desired definition), or reload
     * @param bytes    what the plist would hold: an agent's file byte for byte, hephd's rendered
     * @param why      for a reload, why the definition is not what launchd runs; else null
     * @param drainedFrom for a dry run over a job launchd is still tearing down, its state (the real run waits
     *                    for it to go, then starts); else null
     */
    record Decision(String action, String path, NSDictionary desired, byte[] bytes, boolean writeFile,
                    SetAside aside, List<String> warnings, LoadedJob job, NSDictionary onDisk, NSDictionary copied,
                    String why, String drainedFrom) {
    }

    /**
     * Validates, reads and probes ({@code launchctl print} only), and decides the path. Writes nothing. A job still
     * being torn down is waited for ({@code print} polled), except in a dry run, which says so instead.
     */
    Decision decide(String action, FlagOverrides flags, boolean dryRun) {
        if (!source.hephd() && !flags.isEmpty()) {
            throw HephException.usage(who + " is not hephd: its plist is used as given, so hephd's flags do not"
                    + " apply; expected none");
        }
        AgentPlist agent = source.hephd() ? null : agentPlist(); // validated before anything is touched
        List<String> warnings = new ArrayList<>();
        if (agent != null && agent.source().equals(loadedCopy.file())) {
            String note = plist + " is missing; installing it again from heph's copy of the plist it loaded ("
                    + loadedCopy.file() + ")";
            s.say(note);
            warnings.add(note);
        }
        SetAside aside = new SetAside();
        NSDictionary onDisk = PlistDefinition.readForWrite(plist, aside);
        LoadedJob job = probe();
        String drainedFrom = null;
        if (job.info().draining()) {
            // A bootout is still in flight (someone else's, or a heph that was killed): let it finish first.
            if (dryRun) {
                drainedFrom = job.info().state();
                job = LoadedJob.parse(113, "", "");
            } else {
                s.say("launchd is still tearing down " + target + " (state = " + job.info().state() + "); waiting");
                primitives.waitUntilUnloaded(target, unloadBound(s, job, onDisk, who).bound());
                job = probe();
            }
        }
        requireOurPlist(job);
        NSDictionary copied = loadedCopy.read().orElse(null);
        NSDictionary desired;
        if (agent != null) {
            desired = agent.dict();
        } else {
            Baking base = baking(onDisk, copied, job);
            desired = PlistDefinition.desired(base.plist(), flags, s, base.source());
            if (base.note() != null) { // only now: a usage error above leaves nothing said but the error
                s.say(base.note());
                warnings.add(base.note());
            }
        }
        // an agent's file is installed byte for byte as given; hephd's plist is rendered
        byte[] bytes = agent != null ? agent.bytes() : LaunchdPlist.toXml(desired);
        boolean writeFile = onDisk == null || !LaunchdPlist.sameJob(desired, onDisk);
        if (!writeFile && (agent == null || source.file() != null)) {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> want = installMode(desired);
            String mode = wrongMode(plist, want);
            if (mode != null) { // the same job, but launchd refuses a group/world-writable plist: install it again
                String note = plist + " has mode " + mode + ", not " + octal(want) + " (launchd refuses a group- or"
                        + " world-writable plist; " + (want.size() == 4 ? "heph installs it 0644"
                        : source.file() != null ? "never more readable than " + source.file()
                        : "it holds environment values") + "): writing it again, mode " + octal(want);
                s.say(note);
                warnings.add(note);
                writeFile = true;
            }
        }
        if (!job.loaded()) {
            preflight(desired, agent);
            return new Decision(action, "start", desired, bytes, writeFile, aside, warnings, job, onDisk, copied,
                    null, drainedFrom);
        }
        Optional<String> drift = drift(desired, copied, job, onDisk);
        String path = drift.isPresent() ? "reload" : unchangedPath(action, job, AgentPlist.expect(desired));
        if (!path.equals("none")) {
            preflight(desired, agent);
        }
        return new Decision(action, path, desired, bytes, writeFile, aside, warnings, job, onDisk, copied,
                drift.orElse(null), null);
    }

    /**
     * What the run would find only after bootstrap or kickstart, checked while nothing is changed yet (and in a dry
     * run, which shares {@link #decide}): the program exists and is executable ({@link heph.service.ProgramCheck}),
     * and launchd can write both log paths ({@link LogFolders#check}; the run then creates missing folders).
     */
    private void preflight(NSDictionary desired, AgentPlist agent) {
        List<String> argv = LaunchdPlist.programArguments(desired);
        java.util.Map<String, String> env = new java.util.HashMap<>();
        if (desired.get("EnvironmentVariables") instanceof NSDictionary e) {
            e.forEach((k, v) -> env.put(k, String.valueOf(v.toJavaObject())));
        }
        String source = agent != null ? agent.source().toString() : plist.toString();
        heph.service.ProgramCheck.launchd(who, LaunchdPlist.string(desired, "Program").orElse(null),
                argv.isEmpty() ? null : argv.get(0), env, LaunchdPlist.string(desired, "WorkingDirectory")
                        .orElse(null), source);
        LogFolders.check(desired, who);
    }

    /**
     * The installed plist's mode (e.g. 0664) when it is group/world-writable (launchd refuses it) or more readable
     * than {@code want}, else null: 0600 and 0640 are fine when {@code want} allows them.
     */
    static String wrongMode(Path file, java.util.Set<java.nio.file.attribute.PosixFilePermission> want) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(file,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            boolean writable = mode.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    || mode.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
            if (!writable && want.containsAll(mode)) {
                return null;
            }
            return octal(mode);
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static String octal(java.util.Set<java.nio.file.attribute.PosixFilePermission> mode) {
        int bits = 0;
        for (java.nio.file.attribute.PosixFilePermission p : mode) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("0%o", bits);
    }

    /**
     * The mode to install the plist with: as private as the agent's own file, 0600 with environment values (for
     * hephd: values other than the HEPH_QUICKADD and PATH heph itself puts there).
     */
    private java.util.Set<java.nio.file.attribute.PosixFilePermission> installMode(NSDictionary desired) {
        boolean env = desired.get("EnvironmentVariables") instanceof NSDictionary e && java.util.Arrays.stream(
                e.allKeys()).anyMatch(k -> !source.hephd() || !(k.equals("HEPH_QUICKADD") || k.equals("PATH")));
        return heph.fs.PrivateFiles.installed(source.file(), env);
    }

    /**
     * Loaded with the desired definition: start does nothing when it runs, or when it is loaded but not meant to
     * run all the time; otherwise (restart, a start of a stopped keep-alive job, or of a run-at-load job whose last
     * run failed) kickstart. A run-at-load job that ended with a non-zero exit or a signal is not "fine": start
     * runs it once more and verifies it, so it either runs now or start fails naming the exit again.
     */
    static String unchangedPath(String action, LoadedJob job, AgentPlist.Expect expect) {
        if (action.equals("start") && job.info().running()) {
            return "none";
        }
        if (action.equals("start") && expect == AgentPlist.Expect.RUNS_AT_LOAD && !job.transitional()
                && lastRunFailed(job)) {
            return "kickstart";
        }
        if (action.equals("start") && expect != AgentPlist.Expect.KEEPS_RUNNING && !job.transitional()) {
            return "none";
        }
        return "kickstart";
    }

    /** Its last run ended with a non-zero exit code or a signal (not "never exited", not exit 0). */
    static boolean lastRunFailed(LoadedJob job) {
        if (!job.endRecorded()) {
            return false;
        }
        return job.info().lastExitStatus().orElse(0) != 0 || !job.lastSignal().isEmpty();
    }

    /**
     * A job launchd runs as desired, but whose label is disabled in launchd's override database
     * ({@code launchctl disable}, or a {@code Disabled} key launchd imported): it keeps running now, yet launchd
     * will not load it at the next login. start/restart/apply are meant to leave it installed, so one
     * {@code enable}. Returns whether it was disabled; a print-disabled that fails is no evidence (nothing done).
     */
    private boolean enableIfDisabled() {
        if (!labelDisabled()) {
            return false;
        }
        launchctlOk(launchctl.enable(target), "enable");
        return true;
    }

    private boolean labelDisabled() {
        ExecResult r = launchctl.printDisabled(domain);
        return r.ok() && PrintInfo.disabledOverride(r.stdout(), s.label()).orElse(false);
    }

    private static final String REENABLED = " (launchctl enable: it was disabled, so launchd would not have loaded"
            + " it at the next login)";

    /** The outcome of an unchanged start/restart that had to enable the label: a change, said in the message. */
    private Outcome reenabled(Outcome o) {
        String path = o.path().equals("none") ? "enable" : o.path();
        String msg = o.path().equals("none") ? who + " enabled" + REENABLED + "; " + o.message() : o.message()
                + "; enabled" + REENABLED;
        return new Outcome(o.action(), path, true, o.oldPid(), o.newPid(), o.waitedMs(), o.attempts(), msg,
                o.warnings(), o.details());
    }

    /** The dry run of {@link #enableIfDisabled}: the enable call it would send, counted as a change. */
    private heph.plan.DryRun reenabled(heph.plan.DryRun d) {
        if (!(d.path().equals("none") || d.path().equals("kickstart")) || !labelDisabled()) {
            return d;
        }
        List<heph.plan.DryRun.Command> commands = new ArrayList<>();
        commands.add(heph.plan.DryRun.Command.of(launchctl.argv("enable", target)));
        commands.addAll(d.commands());
        String path = d.path().equals("none") ? "enable" : d.path();
        String message = d.path().equals("none") ? d.action() + " would enable " + s.label() + REENABLED + "; "
                + d.message() : d.message() + "; and enable it" + REENABLED;
        return new heph.plan.DryRun(d.action(), d.name(), path, true, commands, d.diff(), message, d.warnings());
    }

    /** start or restart (or stop, uninstall) as a {@link heph.plan.DryRun}: decided, nothing changed. */
    @Override
    public heph.plan.DryRun dryRun(String action, FlagOverrides flags) {
        LaunchdDryRun render = new LaunchdDryRun(s, launchctl, loadedCopy, who);
        // the real run would refuse: so does its dry run
        Optional<String> both = elsewhere.requireNotElsewhere(action, true);
        return switch (action) {
            case "stop" -> both.map(n -> withNote(render.stop(probe()), n)).orElseGet(() -> render.stop(probe()));
            case "uninstall" -> {
                Owner.requireOwnRegularFile(plist);
                yield render.uninstall(probe());
            }
            default -> reenabled(render.converge(decide(action, flags, true)));
        };
    }

    /** A dry run of stop with the note that the label is loaded in both domains and only this copy would go. */
    private static heph.plan.DryRun withNote(heph.plan.DryRun d, String note) {
        List<String> warnings = new ArrayList<>(d.warnings());
        warnings.add(note);
        return new heph.plan.DryRun(d.action(), d.name(), d.path(), d.changed(), d.commands(), d.diff(),
                d.message() + "; " + note, warnings);
    }

    /**
     * Another agent's plist: the file given (installed as {@code <Label>.plist}), or the installed one, which must
     * exist, carry the label it is named after and not be writable by others (launchd would refuse it).
     */
    private AgentPlist agentPlist() {
        if (source.file() != null) {
            AgentPlist given = AgentPlist.read(source.file());
            if (!given.label().equals(s.label())) {
                throw HephException.usage(source.file() + ": Label is " + given.label() + "; expected "
                        + s.label());
            }
            return given;
        }
        Owner.requireOwnRegularFile(plist);
        if (!Files.exists(plist) && loadedCopy.bytes().isPresent()) {
            // deleted while launchd runs it: heph's copy of what it loaded is that agent (as hephd is baked from it)
            AgentPlist copy = AgentPlist.parse(loadedCopy.bytes().get(), loadedCopy.file());
            if (copy.label().equals(s.label())) {
                return copy;
            }
        }
        if (!Files.exists(plist)) {
            throw HephException.usage("--label " + s.label() + ": no plist at " + plist + "; expected an installed"
                    + " agent (give --plist FILE to install one)");
        }
        AgentPlist installed = AgentPlist.read(plist);
        if (!installed.label().equals(s.label())) {
            throw HephException.usage(plist + ": Label is " + installed.label() + "; expected " + s.label()
                    + " (the file's name): launchd would load it under the other label");
        }
        AgentPlist.requireNotWritableByOthers(plist);
        return installed;
    }

    /** Loaded, and launchd runs the desired definition: start does nothing, restart is {@code kickstart -k}. */
    private Outcome unchanged(String action, NSDictionary desired, LoadedJob job, boolean wrote,
                              List<String> warnings) {
        List<String> argv = LaunchdPlist.programArguments(desired);
        Long oldPid = job.pid().isPresent() ? job.pid().getAsLong() : null;
        AgentPlist.Expect expect = AgentPlist.expect(desired);
        if (unchangedPath(action, job, expect).equals("none")) {
            if (job.info().running()) {
                awaitReady(argv);
            }
            return new Outcome(action, "none", wrote, job.info().running() ? oldPid : null,
                    job.info().running() ? oldPid : null, 0, 0, alreadyMessage(job, expect), warnings);
        }
        boolean kill = job.info().running() || job.transitional();
        LogFolders.prepare(desired, who); // launchd may not create them
        primitives.kickstart(target, kill);
        // kickstart -k sends SIGTERM and waits up to ExitTimeOut for the old process (print-07): bound accordingly
        Bound unload = unloadBound(s, job, desired, who);
        Duration bound = unload.bound().compareTo(JobVerifier.VERIFY_BOUND) > 0 ? unload.bound()
                : JobVerifier.VERIFY_BOUND;
        // a kickstart runs the job whatever starts it otherwise
        AgentPlist.Expect after = expect == AgentPlist.Expect.ON_DEMAND ? AgentPlist.Expect.RUNS_AT_LOAD : expect;
        Long pid = verifier.verify(target, JobVerifier.Before.of(job), bound, after);
        awaitReady(argv);
        String what = kill ? "restarted in place (launchctl kickstart -k)" : "started (launchctl kickstart)";
        if (!kill && action.equals("start") && expect == AgentPlist.Expect.RUNS_AT_LOAD) {
            what = "run again (launchctl kickstart: its last run ended with " + job.lastEnd() + ")";
        }
        return new Outcome(action, "kickstart", wrote, oldPid, pid, 0, 0, who + " " + what + ", "
                + JobVerifier.ran(pid), warnings);
    }

    /** What start says when launchd already runs (or holds) the desired definition. */
    String alreadyMessage(LoadedJob job, AgentPlist.Expect expect) {
        return alreadyMessage(who, job, expect);
    }

    static String alreadyMessage(String who, LoadedJob job, AgentPlist.Expect expect) {
        if (job.info().running()) {
            String pid = job.pid().isPresent() ? String.valueOf(job.pid().getAsLong()) : "?";
            return who + " is already running (pid " + pid + ") with this configuration";
        }
        // not meant to run all the time (no KeepAlive): loaded with this definition is all start wants
        return who + " is already loaded with this definition (not running now: " + JobVerifier.describe(expect)
                + "; `heph restart` runs it)";
    }

    private Outcome freshStart(String action, NSDictionary desired, byte[] bytes, boolean fileChanged,
                               SetAside aside, List<String> warnings) {
        LogFolders.prepare(desired, who); // launchd may not create them
        boolean brandNew = !Files.exists(plist, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (fileChanged) {
            aside.apply(s::say, warnings);
            AtomicFile.write(plist, bytes, installMode(desired));
        }
        launchctlOk(launchctl.enable(target), "enable");
        LaunchdPrimitives.Bootstrapped boot = primitives.bootstrapWithRetry(domain, plist.toString(), target,
                LaunchdPrimitives.BOOTSTRAP_DEADLINE);
        Long pid;
        try { // loaded: a new agent that does not come up is not left loaded in a spawn loop
            pid = verifier.verify(target, JobVerifier.Before.fresh(null), JobVerifier.VERIFY_BOUND,
                    AgentPlist.expect(desired));
        } catch (HephException e) {
            if (brandNew) {
                throw new HephException(e.exitCode(), e.getMessage() + "; " + backToNotInstalled(desired),
                        e.detail());
            }
            throw e;
        }
        loadedCopy.saveLoaded(plist, desired, s::say, warnings);
        awaitReady(LaunchdPlist.programArguments(desired));
        // changed: heph loaded a definition into launchd (the file may have been in place already)
        return new Outcome(action, "start", true, null, pid, 0, boot.attempts(),
                who + " started, " + JobVerifier.ran(pid), warnings);
    }

    /**
     * A definition that was not installed before this run and did not come up: put back to "not installed" rather
     * than left loaded in a spawn loop. Booted out, and its installed plist moved to
     * {@code <state>/failed/<Label>.plist.failed-<timestamp>} for inspection. Returns what to add to the start's
     * failure (one line): what was undone and where the plist went, or why undoing failed.
     */
    private String backToNotInstalled(NSDictionary desired) {
        try {
            LoadedJob job = probe();
            if (job.loaded()) {
                Duration bound = unloadBound(s, job, desired, who).bound();
                bootouts.confirm(bootouts.bootout(target, bound), target, bound);
            }
            String kept = "";
            if (Files.exists(plist, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Path folder = heph.fs.PrivateFiles.dir(s.stateDir().resolve("failed"));
                Path aside = folder.resolve(plist.getFileName() + ".failed-" + java.time.LocalDateTime.now()
                        .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
                for (int i = 1; Files.exists(aside, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
                    aside = aside.resolveSibling(aside.getFileName() + "-" + i);
                }
                Files.move(plist, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                kept = "; its plist is kept for inspection as " + aside;
            }
            return "it was not installed before, so heph booted it out and removed " + plist + kept;
        } catch (HephException | java.io.IOException e) {
            return "putting it back to not installed failed too: " + e.getMessage();
        }
    }

    /** --wait-ready: hephd's socket (never another agent's: it has none heph knows). */
    private void awaitReady(List<String> argv) {
        if (source.hephd()) {
            SocketProbe.awaitReady(s, argv, clock);
        }
    }

    /** Where hephd's flags are baked from, how messages name it, and what to tell the user (or null). */
    private record Baking(NSDictionary plist, String source, String note) {
    }

    /**
     * The file; when it is missing or unreadable and the job is loaded, heph's copy of what it loaded (if print
     * agrees), else what print shows; never silently the defaults. Says which.
     */
    private Baking baking(NSDictionary onDisk, NSDictionary copied, LoadedJob job) {
        if (onDisk != null) {
            return new Baking(onDisk, plist.toString(), null);
        }
        String why = plist + (Files.exists(plist) ? " is unreadable" : " is missing");
        List<String> printed = job.info().arguments();
        if (copied != null && (!job.loaded() || printed.isEmpty()
                || printed.equals(LaunchdPlist.programArguments(copied)))) {
            return new Baking(copied, loadedCopy.file().toString(), why + "; baking hephd's flags from heph's copy"
                    + " of the definition it loaded (" + loadedCopy.file() + ")");
        }
        if (job.loaded() && (!printed.isEmpty() || !job.info().program().isEmpty())) {
            return new Baking(job.toPlist(s.label()), "the loaded job (launchctl print " + target + ")",
                    why + "; baking hephd's flags from the loaded job (launchctl print): "
                            + String.join(" ", printed.isEmpty() ? List.of(job.info().program()) : printed));
        }
        String note = job.loaded() || Files.exists(plist)
                ? why + (job.loaded() ? " and launchctl print shows no arguments" : "") + "; using hephd's default"
                        + " flags" : null;
        return new Baking(null, plist.toString(), note);
    }

    /**
     * Why the loaded job is not the desired definition, or empty when it is. With heph's copy of what it loaded:
     * any difference from it (a hand edit to the file is one). Always: what print shows (arguments, environment,
     * log paths, working directory). Without a copy (heph upgraded, or a hand install heph adopts): also a file on
     * disk that differs from the desired one, unless print shows the desired definition where it differs from the
     * file (the file was edited after launchd loaded it: only the file is written). A missing or unreadable file is
     * no evidence: the definition was baked from what launchd runs.
     */
    private static Optional<String> drift(NSDictionary desired, NSDictionary copied, LoadedJob job,
                                          NSDictionary onDisk) {
        boolean fileDiffers = onDisk != null && !LaunchdPlist.sameJob(desired, onDisk);
        if (copied != null && !LaunchdPlist.sameJob(desired, copied)) {
            return Optional.of(fileDiffers || onDisk == null ? "the definition changed"
                    : "the plist was edited since heph loaded it");
        }
        Optional<String> shown = job.differsFrom(desired);
        if (shown.isPresent() || copied != null) {
            return shown;
        }
        shown = job.numbersDifferFrom(desired); // no copy of what heph loaded: a hand edit of ExitTimeOut & co.
        if (shown.isPresent()) {
            return shown;
        }
        if (fileDiffers && job.differsFrom(onDisk).isPresent()) {
            // print shows the desired definition and not the file: the installed copy was edited after launchd
            // loaded it (a hand install heph adopts). launchd runs what is desired; writing the file is all it takes
            return Optional.empty();
        }
        return fileDiffers ? Optional.of("the definition changed") : Optional.empty();
    }

    /** What to put back if the new definition fails: what heph loaded, else the old file, else what print shows. */
    private byte[] previous(NSDictionary onDisk, NSDictionary copied, LoadedJob job, boolean writeFile) {
        byte[] original = onDisk == null ? null : PlistDefinition.readBytes(plist);
        if (copied != null) {
            // the bytes heph loaded, as they were (an agent's own file with its comments), never re-serialized
            return loadedCopy.bytes().orElseGet(() -> LaunchdPlist.toXml(copied));
        }
        if (writeFile && original != null) {
            return original;
        }
        if (!job.info().arguments().isEmpty()) {
            return LaunchdPlist.toXml(job.toPlist(s.label()));
        }
        return null;
    }

    /** A job loaded from another plist (print's path) is not heph's to replace. */
    private void requireOurPlist(LoadedJob job) {
        String path = job.path();
        if (job.loaded() && job.info().submitted()) { // print-43: `path = (submitted by smd.553)`, no file
            throw HephException.failed(target + " was registered by an app through SMAppService (launchctl print:"
                    + " submitted by " + job.info().submittedBy() + "), not loaded from a plist; heph will not"
                    + " replace it. Turn it off in System Settings > General > Login Items, or use another label");
        }
        if (!job.loaded() || path.isEmpty() || samePath(path, plist)) {
            return;
        }
        String stop = source.hephd() ? "heph stop" : "heph stop --label " + s.label();
        String start = source.hephd() ? "heph start"
                : "heph start --plist " + (source.file() != null ? source.file().toString() : "FILE");
        throw HephException.failed(target + " is loaded from " + path + ", not from " + plist + " (launchctl print"
                + " path); heph will not replace a job it did not load. Unload it first (`" + stop + "`, or"
                + " `launchctl bootout " + target + "`), then run `" + start + "`");
    }

    private static boolean samePath(String shown, Path plist) {
        if (shown.equals(plist.toString())) {
            return true;
        }
        try {
            Path p = Path.of(shown);
            return p.isAbsolute() && (p.normalize().equals(plist.toAbsolutePath().normalize())
                    || (Files.exists(p) && Files.exists(plist) && Files.isSameFile(p, plist)));
        } catch (RuntimeException | java.io.IOException e) {
            return false;
        }
    }

    @Override
    public Outcome stop() {
        Optional<String> both = elsewhere.requireNotElsewhere("stop"); // loaded in both: this copy goes
        Outcome o = unload();
        if (both.isEmpty()) {
            return o;
        }
        List<String> warnings = new ArrayList<>(o.warnings());
        warnings.add(both.get());
        return new Outcome(o.action(), o.path(), o.changed(), o.oldPid(), o.newPid(), o.waitedMs(), o.attempts(),
                o.message() + "; the copy in " + elsewhere.domain() + " stays", warnings, o.details());
    }

    private Outcome unload() {
        LoadedJob job = probe();
        if (!job.loaded()) {
            loadedCopy.forget();
            return new Outcome("stop", "none", false, null, null, 0, 0, who + " is already stopped", List.of());
        }
        Long oldPid = job.pid().isPresent() ? job.pid().getAsLong() : null;
        Duration bound = unloadBound(s, job, PlistDefinition.readQuietly(plist).orElse(null), who).bound();
        BootoutWait.Sent sent = bootouts.bootout(target, bound); // bootout [--wait]
        LaunchdPrimitives.Waited waited = bootouts.confirm(sent, target, bound); // print -> 113
        loadedCopy.forget();
        String was = oldPid == null ? "" : " (was pid " + oldPid + ")";
        return bootouts.annotate(new Outcome("stop", "stop", false, oldPid, null, waited.millis(), 0,
                who + " stopped" + was, List.of()));
    }

    @Override
    public Outcome uninstall() {
        Owner.requireOwnRegularFile(plist); // refuse before stopping anything, not after
        elsewhere.requireNotElsewhere("uninstall"); // the plist may be what the other domain's job is loaded from
        Outcome stopped = unload();
        boolean removed = AtomicFile.delete(plist);
        boolean did = removed || !stopped.path().equals("none");
        String msg = did ? who + " uninstalled" + (removed ? " (removed " + plist + ")" : "")
                : who + " is not installed; nothing to do";
        return bootouts.annotate(new Outcome("uninstall", did ? "uninstall" : "none", removed, stopped.oldPid(),
                null, stopped.waitedMs(), 0, msg, List.of()));
    }

    @Override
    public ServiceStatus status() {
        return new LaunchdStatus(s, launchctl, source, plist).read();
    }

    @Override
    public ServiceStatus statusHere() {
        return new LaunchdStatus(s, launchctl, source, plist).readHere();
    }

    @Override
    public void requireOneInstance(String verb) {
        elsewhere.requireNotElsewhere(verb, true); // says nothing: the detached heph says it, inside the lock
    }

    private LoadedJob probe() {
        ExecResult raw = launchctl.print(target);
        LoadedJob job = LoadedJob.of(raw);
        PrintInfo.Presence presence = job.info().presence();
        if (presence == PrintInfo.Presence.NO_DOMAIN || presence == PrintInfo.Presence.ERROR) {
            throw launchctlFailure(raw, "print");
        }
        return job;
    }

    /** How long launchd may take to let go of the job, and whether its ExitTimeOut is 0 (no limit). */
    record Bound(Duration bound, boolean unlimited) {
    }

    /**
     * --max-wait, else from the job's ExitTimeOut (print's {@code exit timeout}, else the plist's key, else 5 s):
     * ExitTimeOut + launchd's cleanup, at least 5 s. ExitTimeOut = 0 means no limit (launchd.plist(5)): launchd
     * waits as long as the daemon takes, so heph waits up to {@link LaunchdPrimitives#NO_LIMIT_WAIT} and says so.
     */
    static Bound unloadBound(Settings s, LoadedJob job, NSDictionary plistDict, String who) {
        int secs = LaunchdPrimitives.DEFAULT_EXIT_TIMEOUT_SECS;
        if (job.info().exitTimeoutSecs().isPresent()) {
            secs = job.info().exitTimeoutSecs().getAsInt();
        } else if (plistDict != null && plistDict.get("ExitTimeOut") instanceof com.dd.plist.NSNumber n) {
            secs = n.intValue();
        }
        boolean unlimited = secs == 0;
        Duration bound = s.maxWait() != null ? s.maxWait() : LaunchdPrimitives.unloadBound(secs);
        if (unlimited) {
            s.say(who + "'s ExitTimeOut is 0 (no limit: launchd waits as long as " + who + " takes to exit);"
                    + " waiting up to " + bound.toSeconds() + " s"
                    + (s.maxWait() != null ? " (--max-wait)" : " (raise it with --max-wait)"));
        }
        return new Bound(bound, unlimited);
    }

    private void launchctlOk(ExecResult r, String verb) {
        if (!r.ok()) {
            throw launchctlFailure(r, verb);
        }
    }

    private HephException launchctlFailure(ExecResult r, String verb) {
        return LaunchctlErrors.failure(verb, r, s.label(), "");
    }
}
