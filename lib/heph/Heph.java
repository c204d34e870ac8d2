package heph;

import heph.agents.AgentFolder;
import heph.agents.ApplyReport;
import heph.config.FlagOverrides;
import heph.config.FlagValidation;
import heph.fs.LabelLock;
import heph.plan.DryRun;
import heph.launchd.LaunchdBackend;
import heph.proc.ProcessRunner;
import heph.proc.ZtExecRunner;
import heph.service.Backend;
import heph.service.DefinitionSource;
import heph.service.Outcome;
import heph.service.ServiceStatus;
import heph.service.Settings;
import heph.systemd.SystemdBackend;
import heph.time.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * heph's scripting API: the same calls the CLI makes, for JShell and ops scripts.
 * <pre>
 * var heph = Heph.fromEnvironment();
 * heph.restart();                 // kickstart -k when nothing changed, else a race-free reload
 * heph.status().running();
 * </pre>
 * Any other LaunchAgent or user unit, as its file says: {@code heph.forFile(Path.of("dotfiles/org.me.sync.plist"))
 * .restart()}, {@code heph.forLabel("org.me.sync").stop()}, {@code heph.apply(Path.of("dotfiles/agents"), false)},
 * {@code heph.list()}.
 * Every mutating call takes the per-label lock, so concurrent callers serialize; {@link #status} never does.
 */
public final class Heph {
    private final Settings settings;
    private final Backend backend;
    private final ProcessRunner runner;
    private final Clock clock;
    private final DefinitionSource source;
    private final Heph hephd; // hephd's Heph, which agents are named from; this for hephd itself

    private Heph(Settings settings, ProcessRunner runner, Clock clock, DefinitionSource source, Heph hephd) {
        this.hephd = hephd == null ? this : hephd;
        this.settings = settings;
        this.runner = runner;
        this.clock = clock;
        this.source = source;
        this.backend = settings.backend().equals("systemd")
                ? new SystemdBackend(settings, runner, clock, source)
                : new LaunchdBackend(settings, runner, clock, source);
    }

    /** Backend, label and executables from HEPH_* variables (or the OS), paths rooted at $HOME. */
    public static Heph fromEnvironment() {
        return create(new HephOptions().toSettings(System.getenv(), Path.of("").toAbsolutePath()));
    }

    public static Heph create(Settings settings) {
        return create(settings, new ZtExecRunner(), Clock.SYSTEM);
    }

    /** hephd's Heph: its label (HEPH_LABEL or the default) and unit, its flags baked. */
    public static Heph create(Settings settings, ProcessRunner runner, Clock clock) {
        return new Heph(settings, runner, clock, DefinitionSource.HEPHD, null);
    }

    /**
     * The installed agent {@code name}: a launchd label (its {@code ~/Library/LaunchAgents/<name>.plist}) or a
     * systemd user unit ({@code foo.service}, or {@code foo}), managed as its file says. hephd's own label or unit
     * gives hephd (flags baked). A name launchd or systemd would not accept is a usage error.
     */
    public Heph forLabel(String name) {
        Settings h = hephd.settings;
        if (systemd()) {
            String unit = AgentFolder.unitName(name);
            return unit.equals(h.unit()) ? hephd : agent(h.withUnit(unit), DefinitionSource.installed());
        }
        FlagValidation.label("--label", name);
        return name.equals(h.label()) ? hephd : agent(h.withLabel(name), DefinitionSource.installed());
    }

    /**
     * The agent defined by {@code file} (a plist, or a .service unit file), used as given: validated now (a usage
     * error naming the file), installed as {@code ~/Library/LaunchAgents/<Label>.plist} or into the user unit
     * folder by start and restart. A file naming hephd's own label or unit is a usage error: hephd is managed by its
     * flags, never from a file as given.
     */
    public Heph forFile(Path file) {
        Path f = file.toAbsolutePath().normalize();
        String name = systemd() ? AgentFolder.unitOf(f) : AgentFolder.labelOf(f);
        Settings h = hephd.settings;
        // hephd's label/unit given as a file would be installed as given, and a later bare restart would replace it
        // with hephd's baked definition: hephd is managed by its flags only
        if (!systemd() && name.equals(h.label())) {
            throw HephException.usage(file + " has Label " + name + ", which is hephd's: manage hephd with heph's own"
                    + " flags (no --plist), or give the agent another Label");
        }
        if (systemd() && name.equals(h.unit())) {
            throw HephException.usage(file + " is " + name + ", which is hephd's unit: manage hephd with heph's own"
                    + " flags (no --unit-file), or give the unit file another name");
        }
        return agent(systemd() ? h.withUnit(name) : h.withLabel(name), DefinitionSource.file(f));
    }

    private Heph agent(Settings s, DefinitionSource source) {
        return new Heph(s, runner, clock, source, hephd);
    }

    /** Every agent in ~/Library/LaunchAgents (on systemd: every unit in the user unit folder), sorted by name. */
    public List<ServiceStatus> list() {
        return AgentFolder.list(hephd, hephd.settings);
    }

    /**
     * Converges every {@code *.plist} (on systemd {@code *.service}) of {@code dir}: new → installed and started,
     * changed → reloaded, unchanged and running → nothing ({@code restart}: restarted in place). One result per
     * file; a failure does not stop the others.
     */
    public ApplyReport apply(Path dir, boolean restart) {
        return apply(dir, restart, false);
    }

    /**
     * {@link #apply}; with {@code prune} also stops and removes, race-free, each agent an earlier apply of
     * {@code dir} installed whose file {@code dir} no longer has (how "removed"; its last file is kept in
     * ~/.local/state/heph/pruned/). Without it such agents are only named (how "dropped").
     */
    public ApplyReport apply(Path dir, boolean restart, boolean prune) {
        return AgentFolder.apply(hephd, hephd.settings, dir, restart, false, prune);
    }

    /** {@link #apply} as a dry run: one plan per file ({@link ApplyReport.Result#plan}), nothing changed. */
    public ApplyReport applyDryRun(Path dir, boolean restart) {
        return applyDryRun(dir, restart, false);
    }

    /** {@link #apply(Path, boolean, boolean)} as a dry run: what prune would stop and remove, with the calls. */
    public ApplyReport applyDryRun(Path dir, boolean restart, boolean prune) {
        return AgentFolder.apply(hephd, hephd.settings, dir, restart, true, prune);
    }

    /** Whether this Heph manages hephd (flags baked) rather than another agent (its file as given). */
    public boolean isHephd() {
        return source.hephd();
    }

    /**
     * The file this Heph's service is installed as, the one every verb works on: the unit file; the plist given;
     * hephd's plist; or for an agent named by label, {@code <Label>.plist} or the plist carrying that Label.
     */
    public java.nio.file.Path installedFile() {
        if (systemd()) {
            return settings.unitPath();
        }
        return ((LaunchdBackend) backend).plist();
    }

    /** The launchd label or systemd unit this Heph manages. */
    public String name() {
        return systemd() ? settings.unit() : settings.label();
    }

    private boolean systemd() {
        return settings.backend().equals("systemd");
    }

    public Outcome start() {
        return start(FlagOverrides.none());
    }

    public Outcome start(FlagOverrides flags) {
        return locked(() -> backend.start(flags));
    }

    public Outcome restart() {
        return restart(FlagOverrides.none());
    }

    public Outcome restart(FlagOverrides flags) {
        return locked(() -> backend.restart(flags));
    }

    public Outcome stop() {
        return locked(backend::stop);
    }

    public Outcome uninstall() {
        return locked(backend::uninstall);
    }

    public ServiceStatus status() {
        return backend.status();
    }

    /** {@link Backend#statusHere}: the status without asking launchd's other per-user domain. */
    public ServiceStatus statusHere() {
        return backend.statusHere();
    }

    /** {@link Backend#requireOneInstance}: the cross-domain refusal of {@code verb}, before a hand-off. */
    public void requireOneInstance(String verb) {
        backend.requireOneInstance(verb);
    }

    /**
     * What {@code action} (start, restart, stop, uninstall) would do, with nothing changed and no lock taken: the
     * path, the launchctl/systemctl argv in order, the plist/unit diff ({@code heph <verb> --dry-run}).
     */
    public DryRun dryRun(String action) {
        return dryRun(action, FlagOverrides.none());
    }

    public DryRun dryRun(String action, FlagOverrides flags) {
        if (!List.of("start", "restart", "stop", "uninstall").contains(action)) {
            throw HephException.usage("dry run of '" + action + "': expected start, restart, stop or uninstall");
        }
        return backend.dryRun(action, flags);
    }

    public Settings settings() {
        return settings;
    }

    /** The backend itself, for heph's own batch work (heph apply on systemd); the caller holds {@link #lock}. */
    public Backend backend() {
        return backend;
    }

    /** Takes this agent's per-label lock (waiting at most the lock wait); close it to release. */
    public LabelLock lock() {
        return LabelLock.acquire(settings.stateDir(), settings.label(), settings.lockWait(), settings::say);
    }

    private Outcome locked(Supplier<Outcome> verb) {
        try (LabelLock lock = lock()) {
            return verb.get();
        }
    }
}
