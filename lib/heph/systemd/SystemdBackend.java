package heph.systemd;

import heph.ExitCode;
import heph.HephException;
import heph.agents.AgentUnit;
import heph.config.FlagOverrides;
import heph.fs.AtomicFile;
import heph.fs.SetAside;
import heph.fs.Owner;
import heph.plan.SystemdDryRuns;
import heph.proc.CommandTimeoutException;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import heph.service.Backend;
import heph.service.CriticalSection;
import heph.service.DefinitionSource;
import heph.service.LoadedText;
import heph.service.Outcome;
import heph.service.ServiceStatus;
import heph.service.Settings;
import heph.service.SocketProbe;
import heph.time.Clock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * hephd as the systemd user unit heph.service, or any other user unit ({@link DefinitionSource}: hephd's unit is
 * baked from its flags, another unit's is its file as given). start and restart converge on the desired unit file:
 * <ul>
 * <li>the unit is written only when its parsed content differs ({@link UnitFile#sameUnit}), and
 * {@code daemon-reload} runs only then, or when systemd says {@code NeedDaemonReload=yes} or does not know the
 * unit yet;</li>
 * <li>not running: {@code enable --now} (or {@code start} when already enabled), verify — path {@code start};</li>
 * <li>running and unchanged: start does nothing (path {@code none}); restart runs {@code systemctl --user restart}
 * (synchronous inside the manager, so there is no bootout race to work around) — path {@code restart};</li>
 * <li>running and changed: {@code daemon-reload}, then {@code restart} — path {@code reload}.</li>
 * </ul>
 * A running but not enabled unit is enabled first ({@code enable --now}; start reports that as path
 * {@code start}). stop's paths are {@code stop} and {@code none}; uninstall's {@code uninstall} and {@code none}.
 * Every failed systemctl call becomes {@link SystemctlErrors#failure} (exit 1). A reload whose new definition does
 * not start and stay up is put back (the previous unit written, reloaded, restarted, verified; exit 1 naming both).
 * With no usable unit file, flags come from the loaded unit ({@code show -p ExecStart}), never silently from
 * defaults; the unit's location is checked against the manager's ({@link UnitLocation}).
 */
public final class SystemdBackend implements Backend {
    private final Settings s;
    private final Systemctl systemctl;
    private final UnitVerifier verifier;
    private final String unitName;
    private final Clock clock;
    private final DefinitionSource source;
    private final String who; // "hephd", or the unit's name, in messages
    private final LoadedText loaded; // heph's copy of the unit it last loaded and saw run

    /** hephd, its flags baked. */
    public SystemdBackend(Settings settings, ProcessRunner runner, Clock clock) {
        this(settings, runner, clock, DefinitionSource.HEPHD);
    }

    /** hephd, or the unit {@code settings.unit()} as {@code source} says. */
    public SystemdBackend(Settings settings, ProcessRunner runner, Clock clock, DefinitionSource source) {
        this.s = settings;
        // a systemctl call killed by a Ctrl-C to the process group, inside the reload, is run again
        this.systemctl = new Systemctl(CriticalSection.rerunKilledCalls(runner, settings), settings.systemctl(), settings.commandTimeout(),
                settings.jobTimeout());
        this.source = source;
        this.who = source.who(settings.unit());
        this.verifier = new UnitVerifier(this::show, clock, settings, who);
        this.unitName = settings.unit();
        this.clock = clock;
        this.loaded = new LoadedText(settings, settings.unit());
    }

    @Override
    public String name() {
        return "systemd";
    }

    @Override
    public Outcome start(FlagOverrides flags) {
        return converge("start", flags);
    }

    @Override
    public Outcome restart(FlagOverrides flags) {
        return converge("restart", flags);
    }

    private Outcome converge(String action, FlagOverrides flags) {
        Plan p = plan(action, flags);
        if (p.route.path().equals("none") && !p.fileChanged) {
            narrow(p.unit, installMode(p.desired), p.warnings);
            return finish(p);
        }
        // from writing the unit through daemon-reload, restart, verification and put-back: a SIGINT/SIGTERM/SIGHUP
        // is held until the reload is finished, so hephd is not left down or on a broken definition
        return CriticalSection.run(s, who, () -> {
            write(p);
            if (p.reload()) {
                ok(systemctl.daemonReload());
            }
            return finish(p);
        });
    }

    /**
     * One converge as decided before anything is written: the unit file, the text heph wants there, what is there
     * now, systemd's view, and whether the file changes and daemon-reload is due. {@code heph apply} plans every
     * unit, writes them, runs one daemon-reload, then finishes each.
     */
    public static final class Plan {
        final String action;
        final Path unit;
        final String desired;
        final UnitDefinition.OnDisk onDisk;
        final SetAside aside;
        final UnitState st;
        final boolean fileChanged;
        final boolean reload;
        final boolean stale;
        final List<String> warnings;
        final Route route;

        Plan(String action, Path unit, String desired, UnitDefinition.OnDisk onDisk, SetAside aside, UnitState st,
             boolean fileChanged, boolean reload, boolean stale, List<String> warnings) {
            this.route = route(action, st, reload || stale, installable(desired));
            this.stale = stale;
            this.action = action;
            this.unit = unit;
            this.desired = desired;
            this.onDisk = onDisk;
            this.aside = aside;
            this.st = st;
            this.fileChanged = fileChanged;
            this.reload = reload;
            this.warnings = warnings;
        }

        /** Whether the unit file changes. */
        public boolean fileChanged() {
            return fileChanged;
        }

        /** Whether daemon-reload is due: the file changed, systemd asks for it, or does not know the unit yet. */
        public boolean reload() {
            return reload;
        }

        /** The path {@link #finish} will take (start, restart, reload, none). */
        public String path() {
            return route.path();
        }
    }

    /**
     * What {@link #finish} does after the write and daemon-reload, decided from systemd's view alone (a dry run
     * prints it).
     *
     * @param path        none, start, restart or reload (the --json path)
     * @param resetFailed {@code reset-failed} first: a failed unit refuses start and restart
     * @param enableFirst {@code enable --now} before the restart: running but not enabled
     * @param job         the job that starts it: {@code start}, {@code enable --now}, {@code restart}, or null
     */
    public record Route(String path, boolean resetFailed, boolean enableFirst, String job) {
    }

    /**
     * Running, unchanged and enabled: start does nothing. Not running: {@code start} when enabled, else
     * {@code enable --now}. Running but not enabled: {@code enable --now} (all a start of an unchanged unit does).
     * Otherwise {@code restart} — path reload when daemon-reload ran before it.
     */
    static Route route(String action, UnitState st, boolean reload, boolean installable) {
        // a unit without an [Install] section (UnitFileState=static) cannot be enabled: it is only ever started
        boolean enabled = st.unitFileState().equals("enabled") || !installable;
        boolean failed = st.activeState().equals("failed");
        if (action.equals("start") && st.running() && !reload && enabled) {
            return new Route("none", false, false, null);
        }
        if (!st.running()) {
            return new Route("start", failed, false, enabled ? "start" : "enable --now");
        }
        if (!enabled && action.equals("start") && !reload) {
            return new Route("start", failed, false, "enable --now");
        }
        return new Route(reload ? "reload" : "restart", failed, !enabled, "restart");
    }

    /**
     * Whether {@code systemctl enable} can do anything for the unit: it has an [Install] section with WantedBy=,
     * RequiredBy=, UpheldBy=, Alias= or Also= (else systemd calls it static and enable only prints a hint).
     */
    static boolean installable(String unitText) {
        try {
            UnitFile.Parsed p = UnitFile.parse(unitText, "unit");
            return List.of("WantedBy", "RequiredBy", "UpheldBy", "Alias", "Also").stream()
                    .anyMatch(k -> p.values("Install", k).stream().anyMatch(v -> !v.isBlank()));
        } catch (UnitParseException e) {
            return true;
        }
    }

    /** Validates and reads; writes nothing and changes nothing (only {@code show} calls). */
    public Plan plan(String action, FlagOverrides flags) {
        if (!source.hephd() && !flags.isEmpty()) {
            throw HephException.usage(who + " is not hephd: its unit file is used as given, so hephd's flags do"
                    + " not apply; expected none");
        }
        AgentUnit given = source.file() != null ? AgentUnit.read(source.file()) : null;
        List<String> warnings = new ArrayList<>();
        Owner.requireOwnRegularFile(s.unitPath()); // a symlink or another user's file: refused before any call
        UnitState st = show();
        Path unit = location(st, warnings);
        AgentUnit agent = source.hephd() || given != null ? given : installedUnit(unit);
        SetAside aside = new SetAside();
        List<String> problems = new ArrayList<>();
        UnitDefinition.OnDisk onDisk = UnitDefinition.readForWrite(unit, aside, problems);
        String desired = agent != null ? agent.text() : onDisk != null ? UnitDefinition.desired(onDisk, flags, s, unit)
                : desiredWithoutFile(st, unit, problems, flags, warnings);
        boolean fileChanged = onDisk == null || !UnitFile.sameUnit(desired, onDisk.text());
        boolean reload = fileChanged || st.needDaemonReload() || !st.installed();
        boolean stale = !reload && st.running() && predates(onDisk);
        if (stale) {
            warn(warnings, who + " (pid " + st.mainPid() + ") predates the unit systemd has loaded: " + unit
                    + " differs from the unit heph last loaded (" + loaded.file() + ") and was loaded without a"
                    + " restart; restarting it");
        }
        Plan p = new Plan(action, unit, desired, onDisk, aside, st, fileChanged, reload, stale, warnings);
        if (!p.route.path().equals("none") || fileChanged) {
            requireProgram(desired, given != null ? given.source().toString() : unit.toString());
        }
        return p;
    }

    /**
     * The program ExecStart runs exists and is executable ({@link heph.service.ProgramCheck}): checked before the
     * unit is written or daemon-reloaded, and in a dry run (it shares {@link #plan}).
     */
    private void requireProgram(String desired, String source) {
        List<String> values;
        try {
            values = UnitFile.parse(desired, source).values("Service", "ExecStart");
        } catch (UnitParseException e) {
            return; // refused elsewhere, naming the line
        }
        for (int i = values.size() - 1; i >= 0; i--) {
            String v = values.get(i).strip();
            if (!v.isEmpty()) {
                String first = v.split("\\s+", 2)[0];
                if (!first.startsWith("\"") && !first.startsWith("'")) {
                    heph.service.ProgramCheck.systemd(who, first, s.home().toString(), source);
                }
                return;
            }
        }
    }

    /**
     * Whether the running process predates the loaded definition: systemd has the file loaded (no reload due), but
     * it differs from heph's copy of the unit it last loaded and saw run — a hand edit followed by a hand
     * {@code daemon-reload} but no restart, or a heph killed between its daemon-reload and its restart. (After a
     * change done wholly by hand, edit, reload and restart, this costs one restart, after which the copy is the
     * file again.) No copy: no evidence, nothing predates.
     */
    private boolean predates(UnitDefinition.OnDisk onDisk) {
        Optional<String> copy = loadedCopy();
        return onDisk != null && copy.isPresent() && !UnitFile.sameUnit(copy.get(), onDisk.text());
    }

    /** An agent managed by its installed unit ({@code --unit}): it must exist and be valid. */
    private AgentUnit installedUnit(Path unit) {
        Owner.requireOwnRegularFile(unit);
        if (!Files.exists(unit, LinkOption.NOFOLLOW_LINKS)) {
            throw HephException.usage("--unit " + unitName + ": no unit file at " + unit + "; expected an installed"
                    + " unit (give --unit-file FILE to install one)");
        }
        return AgentUnit.read(unit);
    }

    /** {@code systemctl --user daemon-reload}; heph apply runs one for all the units it wrote. */
    public void daemonReload() {
        ok(systemctl.daemonReload());
    }

    /** Writes the planned unit when it changed (an unparseable one moved aside first). */
    public void write(Plan p) {
        AtomicFile.removeStaleTemps(p.unit); // of a heph killed while writing it
        if (p.fileChanged) {
            p.aside.apply(s::say, p.warnings);
            AtomicFile.write(p.unit, p.desired.getBytes(StandardCharsets.UTF_8), installMode(p.desired));
        } else {
            narrow(p.unit, installMode(p.desired), p.warnings);
        }
    }

    /** An unchanged unit more readable than {@code want} is narrowed in place: same content, no reload needed. */
    private void narrow(Path unit, java.util.Set<java.nio.file.attribute.PosixFilePermission> want,
                        List<String> warnings) {
        heph.fs.PrivateFiles.narrow(unit, want).ifPresent(m -> warn(warnings, unit + " was more readable than it"
                + " should be (its source's mode, 0600 with Environment= values): " + m));
    }

    /** The mode to install a unit with: as private as the agent's own file, 0600 with Environment= values. */
    private java.util.Set<java.nio.file.attribute.PosixFilePermission> installMode(String text) {
        boolean env;
        try {
            env = !UnitFile.parse(text, unitName).environment().isEmpty();
        } catch (UnitParseException e) {
            env = true; // unreadable: assume the worst
        }
        return heph.fs.PrivateFiles.installed(source.file(), env);
    }

    /** After {@link #write} and, when {@link Plan#reload}, a daemon-reload: start, restart or nothing; verify. */
    public Outcome finish(Plan p) {
        String action = p.action;
        UnitState st = p.st;
        Path unit = p.unit;
        String desired = p.desired;
        UnitDefinition.OnDisk onDisk = p.onDisk;
        boolean fileChanged = p.fileChanged || p.stale; // stale: what runs changes
        boolean reload = p.reload || p.stale;
        List<String> warnings = p.warnings;
        Route route = p.route;
        Long oldPid = st.running() ? st.mainPid() : null;
        if (route.path().equals("none")) {
            return new Outcome(action, "none", false, oldPid, oldPid, 0, 0,
                    who + " is already running (pid " + oldPid + ") with this configuration", warnings);
        }
        if (route.resetFailed()) {
            // e.g. a crash loop that hit the start limit: systemd refuses start/restart until it is reset
            ok(systemctl.resetFailed(unitName));
        }
        if (oldPid == null) {
            boolean brandNew = !st.installed() && p.fileChanged; // systemd did not know it: heph just wrote it
            return startStopped(action, unit, desired, route.job().equals("start"), fileChanged, warnings, brandNew);
        }
        if (route.path().equals("start")) { // running, unchanged, not enabled: enabling it is all start does
            startJob(() -> systemctl.enableNow(unitName));
            long pid = verifier.verifyRunning(null, restartSec(desired));
            loaded.saveAfterChange(desired, s::say, warnings);
            awaitReady(unit, desired);
            // changed: enabling it changes what happens at the next login
            return new Outcome(action, "start", true, oldPid, pid, 0, 0, who + " is already running (pid "
                    + pid + "); enabled " + unitName + " so it starts at login", warnings);
        }
        if (route.enableFirst()) {
            startJob(() -> systemctl.enableNow(unitName));
        }
        // put back on failure: heph's copy of the unit it last loaded, else (no copy yet) the file it replaced
        Optional<String> copy = loadedCopy();
        String previous = copy.orElse(fileChanged && onDisk != null ? onDisk.text() : null);
        boolean handEdit = copy.isPresent() && onDisk != null && !UnitFile.sameUnit(onDisk.text(), copy.get());
        long pid = previous != null && !UnitFile.sameUnit(previous, desired)
                ? restartOrPutBack(unit, previous, handEdit, oldPid, desired)
                : restartAndVerify(oldPid, desired);
        loaded.saveAfterChange(desired, s::say, warnings);
        awaitReady(unit, desired);
        String what = reload ? "reloaded with the new definition" : "restarted (systemctl --user restart)";
        return new Outcome(action, reload ? "reload" : "restart", fileChanged, oldPid, pid, 0, 0,
                who + " " + what + ", pid " + pid + " (was " + oldPid + ")", warnings);
    }

    /**
     * The desired unit when there is no usable file (missing, unreadable or unparseable). A bare restart must not
     * drop hephd's flags, so while systemd still has the unit loaded they are read from its definition
     * ({@code show -p ExecStart}), and heph says so; it refuses rather than fall back to defaults silently.
     */
    private String desiredWithoutFile(UnitState st, Path unit, List<String> problems, FlagOverrides flags,
                                      List<String> warnings) {
        String file = "unit file " + (problems.isEmpty() ? "missing" : problems.get(0)) + " (" + unit + ")";
        if (!st.installed()) {
            if (st.running()) {
                List<String> cmd = LoadedUnit.cmdline(st.mainPid());
                warn(warnings, file + " and systemd no longer has " + unitName + " loaded, though hephd still runs"
                        + " (pid " + st.mainPid() + (cmd.isEmpty() ? "" : ": " + String.join(" ", cmd)) + "):"
                        + " its flags cannot be read from systemd; the unit is rebuilt from defaults and the flags"
                        + " given");
            } else if (!problems.isEmpty() && !problems.get(0).equals("unparseable")) {
                warn(warnings, file + " and not loaded by systemd: the unit is rebuilt from defaults and the flags"
                        + " given");
            }
            return UnitDefinition.desired(null, List.of(), flags, s, unit, unit.toString());
        }
        ExecResult r = ok(systemctl.showExecStart(unitName));
        Optional<String> text = LoadedUnit.execStartText(r.stdout());
        if (text.isEmpty()) {
            throw HephException.failed(file + ", and systemd's loaded " + unitName + " shows no ExecStart to read"
                    + " hephd's flags from; heph will not rebuild it from defaults (that would drop flags): run"
                    + " heph uninstall, then heph start with hephd's flags");
        }
        List<String> argv = LoadedUnit.words(text.get(),
                st.running() ? LoadedUnit.cmdline(st.mainPid()) : List.of());
        warn(warnings, "flags read from the loaded unit, " + file);
        return UnitDefinition.desired(null, argv, flags, s, unit, "the loaded " + unitName);
    }

    /** hephd is not running: {@code start} when enabled, else {@code enable --now}; path "start". */
    private Outcome startStopped(String action, Path unit, String desired, boolean enabled, boolean fileChanged,
                                 List<String> warnings, boolean brandNew) {
        long pid;
        try {
            try {
                startJob(() -> enabled ? systemctl.start(unitName) : systemctl.enableNow(unitName));
            } catch (HephException e) {
                throw withOneshotEnd(e);
            }
            pid = verifier.verifyRunning(null, restartSec(desired));
        } catch (HephException e) {
            if (!brandNew) {
                throw e;
            }
            throw new HephException(e.exitCode(), e.getMessage() + "; " + backToNotInstalled(unit), e.detail());
        }
        loaded.saveAfterChange(desired, s::say, warnings);
        awaitReady(unit, desired);
        String note = installable(desired) ? "" : " (" + unitName + " has no [Install] section, so it cannot be"
                + " enabled to start at login: started only)";
        String what = pid == 0 ? " ran and exited 0 (Type=oneshot)" : " started, pid " + pid;
        return new Outcome(action, "start", fileChanged, null, pid == 0 ? null : pid, 0, 0, who + what + note,
                warnings);
    }

    /** A failed start job of a Type=oneshot unit: its failure said with how the command ended. */
    private HephException withOneshotEnd(HephException e) {
        try {
            UnitState st = show();
            if (st.oneshot() && st.activeState().equals("failed")) {
                return new HephException(e.exitCode(), e.getMessage() + "; " + who + " (Type=oneshot) failed: "
                        + UnitVerifier.oneshotEnd(st), e.detail());
            }
        } catch (HephException again) {
            // no state to add: the job's own failure stands
        }
        return e;
    }

    /**
     * A unit that systemd did not know before this run and that did not come up: put back to "not installed"
     * rather than left enabled and failing. Disabled and stopped, its file moved to
     * {@code <state>/failed/<name>.failed-<timestamp>} for inspection, one daemon-reload. Returns what to add to the
     * start's failure (one line): what was undone and where the file went, or why undoing failed.
     */
    private String backToNotInstalled(Path unit) {
        try {
            ExecResult r = systemctl.disableNow(unitName);
            if (!r.ok() && SystemctlErrors.classify(r) != SystemctlErrors.Kind.UNIT_NOT_FOUND) {
                throw SystemctlErrors.failure(r, unitName);
            }
            systemctl.resetFailed(unitName); // best effort: its failed state would outlive the file otherwise
            String kept = "";
            if (Files.exists(unit, LinkOption.NOFOLLOW_LINKS)) {
                Path folder = heph.fs.PrivateFiles.dir(s.stateDir().resolve("failed"));
                Path aside = folder.resolve(unit.getFileName() + ".failed-" + java.time.LocalDateTime.now()
                        .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
                for (int i = 1; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); i++) {
                    aside = aside.resolveSibling(aside.getFileName() + "-" + i);
                }
                Files.move(unit, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                kept = "; its unit file is kept for inspection as " + aside;
            }
            ok(systemctl.daemonReload());
            return "it was not installed before, so heph disabled and stopped it and removed " + unit + kept;
        } catch (HephException | java.io.IOException e) {
            return "putting it back to not installed failed too: " + e.getMessage();
        }
    }

    private long restartAndVerify(long oldPid, String desired) {
        startJob(() -> systemctl.restart(unitName));
        return verifier.verifyRunning(oldPid, restartSec(desired));
    }

    /**
     * The unit's RestartSec (systemd's default 100 ms when unset), which the verification outlasts: a daemon that
     * dies and is restarted by Restart=always shows as a new MainPID or a grown NRestarts only after it. A value
     * heph does not read (e.g. "1min 30s") counts as long: the watch is then its maximum.
     */
    static Duration restartSec(String unitText) {
        Optional<String> v;
        try {
            v = UnitFile.parse(unitText, "unit").value("Service", "RestartSec");
        } catch (UnitParseException e) {
            return null;
        }
        if (v.isEmpty() || v.get().isBlank()) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|msec|s|sec|min|m)?")
                .matcher(v.get().strip());
        if (!m.matches()) {
            return UnitVerifier.WATCH_MAX;
        }
        double n = Double.parseDouble(m.group(1));
        String unitSuffix = m.group(2) == null ? "s" : m.group(2);
        double ms = switch (unitSuffix) {
            case "ms", "msec" -> n;
            case "min", "m" -> n * 60_000;
            default -> n * 1000;
        };
        return Duration.ofMillis((long) Math.min(ms, 86_400_000));
    }

    /**
     * The reload of a changed unit over a running hephd. When the new definition fails to start or does not stay up
     * through verification, heph writes the previous unit back, reloads, restarts and verifies it, and fails
     * (exit 1) naming both: hephd is left running the old definition, not down.
     */
    private long restartOrPutBack(Path unit, String previous, boolean handEdit, long oldPid, String desired) {
        try {
            return restartAndVerify(oldPid, desired);
        } catch (CommandTimeoutException e) {
            throw e; // systemd may still be running the job: writing and reloading under it would race it
        } catch (HephException e) {
            if (e.exitCode() != ExitCode.FAILED) {
                throw e;
            }
            throw putBack(unit, previous, handEdit, e);
        }
    }

    private HephException putBack(Path unit, String previous, boolean handEdit, HephException cause) {
        String failed = "the new definition of " + unitName + " did not start and stay up (" + cause.getMessage()
                + ")";
        s.say(failed + "; putting the previous unit back");
        String kept = "";
        try {
            if (handEdit && Files.exists(unit, LinkOption.NOFOLLOW_LINKS)) {
                // a hand edit that fails: keep it for the user to fix rather than overwrite it
                kept = "; kept the refused " + unit.getFileName() + " as " + AtomicFile.moveAside(unit, "refused");
                s.say(kept.substring(2));
            }
            AtomicFile.write(unit, previous.getBytes(StandardCharsets.UTF_8), installMode(previous));
            ok(systemctl.daemonReload());
            ok(systemctl.resetFailed(unitName)); // the failed start counts against the start limit
            startJob(() -> systemctl.restart(unitName));
            long pid = verifier.verifyRunning(null, restartSec(previous));
            loaded.save(previous);
            return HephException.failed(failed + kept + "; put the previous unit back (" + unit + ", from "
                    + loaded.file() + "): " + who + " runs the previous definition again, pid " + pid, cause.detail());
        } catch (HephException again) {
            return HephException.failed(failed + kept + "; putting the previous unit back failed too: "
                    + again.getMessage(), again.detail());
        }
    }

    @Override
    public Outcome stop() {
        UnitState st = show();
        if (stopped(st)) {
            return new Outcome("stop", "none", false, null, null, 0, 0, who + " is already stopped", List.of());
        }
        Long oldPid = st.running() ? st.mainPid() : null;
        ExecResult r = systemctl.stop(unitName);
        if (!r.ok() && SystemctlErrors.classify(r) != SystemctlErrors.Kind.UNIT_NOT_FOUND) {
            throw SystemctlErrors.failure(r, unitName);
        }
        String was = oldPid == null ? "" : " (was pid " + oldPid + ")";
        return new Outcome("stop", "stop", false, oldPid, null, 0, 0, who + " stopped" + was, List.of());
    }

    @Override
    public Outcome uninstall() {
        return uninstall(true);
    }

    /** uninstall; {@code reload} false leaves the daemon-reload to the caller (heph apply --prune: one per run). */
    public Outcome uninstall(boolean reload) {
        Owner.requireOwnRegularFile(s.unitPath());
        UnitState st = show();
        List<String> warnings = new ArrayList<>();
        Path unit = location(st, warnings);
        Owner.requireOwnRegularFile(unit);
        boolean file = Files.exists(unit, LinkOption.NOFOLLOW_LINKS);
        if (!file && !st.installed()) {
            return new Outcome("uninstall", "none", false, null, null, 0, 0, who + " is not installed; nothing to do",
                    warnings);
        }
        Long oldPid = st.running() ? st.mainPid() : null;
        ExecResult r = systemctl.disableNow(unitName);
        if (!r.ok()) {
            if (SystemctlErrors.classify(r) != SystemctlErrors.Kind.UNIT_NOT_FOUND) {
                throw SystemctlErrors.failure(r, unitName);
            }
            // The file is gone but systemd still has the unit loaded: nothing to disable, still something to stop.
            if (!stopped(st)) {
                ExecResult out = systemctl.stop(unitName);
                if (!out.ok() && SystemctlErrors.classify(out) != SystemctlErrors.Kind.UNIT_NOT_FOUND) {
                    throw SystemctlErrors.failure(out, unitName);
                }
            }
        }
        boolean removed = AtomicFile.delete(unit);
        if (reload) {
            ok(systemctl.daemonReload());
        }
        loaded.forget();
        String msg = who + " uninstalled" + (removed ? " (removed " + unit + ")" : "");
        return new Outcome("uninstall", "uninstall", removed, oldPid, null, 0, 0, msg, warnings);
    }

    @Override
    public heph.plan.DryRun dryRun(String action, FlagOverrides flags) {
        return switch (action) {
            case "stop" -> {
                UnitState st = show();
                yield stopped(st) ? SystemdDryRuns.nothing("stop", unitName, who + " is already stopped")
                        : SystemdDryRuns.stop(systemctl, unitName, st);
            }
            case "uninstall" -> {
                Owner.requireOwnRegularFile(s.unitPath());
                UnitState st = show();
                List<String> warnings = new ArrayList<>();
                Path unit = location(st, warnings);
                Owner.requireOwnRegularFile(unit);
                boolean file = Files.exists(unit, LinkOption.NOFOLLOW_LINKS);
                yield !file && !st.installed()
                        ? SystemdDryRuns.nothing("uninstall", unitName, who + " is not installed")
                        : SystemdDryRuns.uninstall(systemctl, unitName, unit, file, st, !stopped(st), warnings);
            }
            default -> dryRun(plan(action, flags));
        };
    }

    /** A converge {@link Plan} as a dry run: nothing written; heph apply --dry-run renders each unit's plan. */
    public heph.plan.DryRun dryRun(Plan p) {
        return SystemdDryRuns.converge(systemctl, unitName, who, p.action, p.unit, p.desired,
                p.onDisk == null ? null : p.onDisk.text(), p.aside, p.st, p.fileChanged, p.reload, p.route,
                p.warnings);
    }

    @Override
    public ServiceStatus status() {
        ExecResult raw = showRaw(); // asked once: status reads the same answer
        Path unit = location(UnitState.parse(raw.stdout()), new ArrayList<>());
        return new SystemdStatus(s, unit, () -> raw, source).read();
    }

    /** Where the unit file is, checked against the user manager ({@link UnitLocation}); warnings are said. */
    private Path location(UnitState st, List<String> warnings) {
        return UnitLocation.resolve(s, st, systemctl::showUnitPath, m -> warn(warnings, m));
    }

    private void warn(List<String> warnings, String message) {
        s.say(message);
        warnings.add(message);
    }

    /** Not installed, or installed and inactive/failed: nothing for stop to do. */
    private static boolean stopped(UnitState st) {
        return !st.installed() || st.activeState().equals("inactive") || st.activeState().equals("failed");
    }

    /** heph's copy of the unit it last loaded, when there is one and it parses (else it is no evidence). */
    private Optional<String> loadedCopy() {
        return loaded.read().filter(text -> {
            try {
                UnitFile.parse(text, loaded.file().toString());
                return true;
            } catch (UnitParseException e) {
                return false;
            }
        });
    }

    private ExecResult showRaw() {
        return ok(systemctl.show(unitName));
    }

    private UnitState show() {
        return UnitState.parse(showRaw().stdout());
    }

    /** --wait-ready; the unit text is parsed for the baked --socket only when it is asked for. */
    private void awaitReady(Path unit, String desired) {
        if (s.readyTimeout() != null && source.hephd()) {
            SocketProbe.awaitReady(s, UnitFile.parse(desired, unit.toString()).execStart(), clock);
        }
    }

    /**
     * A job that starts hephd. systemd's start limit (5 starts in 10 s by default) counts manual starts too, so a
     * burst of deliberate restarts can be refused ("the start of the service was attempted too often"); the user
     * asked for this one, so heph resets the limiter ({@code reset-failed}) and tries once more.
     */
    private void startJob(java.util.function.Supplier<ExecResult> job) {
        ExecResult r = job.get();
        if (!r.ok() && SystemctlErrors.classify(r) == SystemctlErrors.Kind.START_FAILED
                && r.stderr().contains("attempted too often")) {
            s.say("systemd's start limit refused " + unitName + "; resetting it (reset-failed) and trying once more");
            ok(systemctl.resetFailed(unitName));
            r = job.get();
        }
        ok(r);
    }

    private ExecResult ok(ExecResult r) {
        if (!r.ok()) {
            throw SystemctlErrors.failure(r, unitName);
        }
        return r;
    }
}
