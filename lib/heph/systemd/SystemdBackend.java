package heph.systemd;

import heph.config.FlagOverrides;
import heph.fs.AtomicFile;
import heph.fs.SetAside;
import heph.fs.Owner;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import heph.service.Backend;
import heph.service.Outcome;
import heph.service.ServiceStatus;
import heph.service.Settings;
import heph.service.SocketProbe;
import heph.time.Clock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * hephd as the systemd user unit heph.service. start and restart converge on the desired unit file:
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
 * Every failed systemctl call becomes {@link SystemctlErrors#failure} (exit 1).
 */
public final class SystemdBackend implements Backend {
    private final Settings s;
    private final Systemctl systemctl;
    private final UnitVerifier verifier;
    private final String unitName;
    private final Path unit;
    private final Clock clock;

    public SystemdBackend(Settings settings, ProcessRunner runner, Clock clock) {
        this.s = settings;
        this.systemctl = new Systemctl(runner, settings.systemctl(), settings.commandTimeout(),
                settings.jobTimeout());
        this.verifier = new UnitVerifier(this::show, clock, settings);
        this.unitName = settings.unit();
        this.unit = settings.unitPath();
        this.clock = clock;
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
        List<String> warnings = new ArrayList<>();
        SetAside aside = new SetAside();
        UnitDefinition.OnDisk onDisk = UnitDefinition.readForWrite(unit, aside);
        AtomicFile.removeStaleTemps(unit); // of a heph killed while writing it
        String desired = UnitDefinition.desired(onDisk, flags, s, unit);
        boolean fileChanged = onDisk == null || !UnitFile.sameUnit(desired, onDisk.text());
        UnitState st = show();
        boolean reload = fileChanged || st.needDaemonReload() || !st.installed();
        boolean enabled = st.unitFileState().equals("enabled");
        Long oldPid = st.running() ? st.mainPid() : null;
        if (action.equals("start") && oldPid != null && !reload && enabled) {
            return new Outcome(action, "none", false, oldPid, oldPid, 0, 0,
                    "hephd is already running (pid " + oldPid + ") with this configuration", warnings);
        }
        if (fileChanged) {
            aside.apply(s::say, warnings);
            AtomicFile.write(unit, desired.getBytes(StandardCharsets.UTF_8));
        }
        if (reload) {
            ok(systemctl.daemonReload());
        }
        if (st.activeState().equals("failed")) {
            // e.g. a crash loop that hit the start limit: systemd refuses start/restart until it is reset
            ok(systemctl.resetFailed(unitName));
        }
        if (oldPid == null) {
            return startStopped(action, desired, enabled, fileChanged, warnings);
        }
        if (!enabled) {
            startJob(() -> systemctl.enableNow(unitName));
            if (action.equals("start") && !reload) {
                long pid = verifier.verifyRunning(null);
                awaitReady(desired);
                return new Outcome(action, "start", false, oldPid, pid, 0, 0, "hephd is already running (pid "
                        + pid + "); enabled " + unitName + " so it starts at login", warnings);
            }
        }
        startJob(() -> systemctl.restart(unitName));
        long pid = verifier.verifyRunning(oldPid);
        awaitReady(desired);
        String what = reload ? "reloaded with the new definition" : "restarted (systemctl --user restart)";
        return new Outcome(action, reload ? "reload" : "restart", fileChanged, oldPid, pid, 0, 0,
                "hephd " + what + ", pid " + pid + " (was " + oldPid + ")", warnings);
    }

    /** hephd is not running: {@code start} when enabled, else {@code enable --now}; path "start". */
    private Outcome startStopped(String action, String desired, boolean enabled, boolean fileChanged,
                                 List<String> warnings) {
        startJob(() -> enabled ? systemctl.start(unitName) : systemctl.enableNow(unitName));
        long pid = verifier.verifyRunning(null);
        awaitReady(desired);
        return new Outcome(action, "start", fileChanged, null, pid, 0, 0, "hephd started, pid " + pid, warnings);
    }

    @Override
    public Outcome stop() {
        UnitState st = show();
        if (stopped(st)) {
            return new Outcome("stop", "none", false, null, null, 0, 0, "hephd is already stopped", List.of());
        }
        Long oldPid = st.running() ? st.mainPid() : null;
        ExecResult r = systemctl.stop(unitName);
        if (!r.ok() && SystemctlErrors.classify(r) != SystemctlErrors.Kind.UNIT_NOT_FOUND) {
            throw SystemctlErrors.failure(r, unitName);
        }
        String was = oldPid == null ? "" : " (was pid " + oldPid + ")";
        return new Outcome("stop", "stop", false, oldPid, null, 0, 0, "hephd stopped" + was, List.of());
    }

    @Override
    public Outcome uninstall() {
        Owner.requireOwnRegularFile(unit);
        boolean file = Files.exists(unit, LinkOption.NOFOLLOW_LINKS);
        UnitState st = show();
        if (!file && !st.installed()) {
            return new Outcome("uninstall", "none", false, null, null, 0, 0, "hephd is not installed; nothing to do",
                    List.of());
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
        ok(systemctl.daemonReload());
        String msg = "hephd uninstalled" + (removed ? " (removed " + unit + ")" : "");
        return new Outcome("uninstall", "uninstall", removed, oldPid, null, 0, 0, msg, List.of());
    }

    @Override
    public ServiceStatus status() {
        return new SystemdStatus(s, this::showRaw).read();
    }

    /** Not installed, or installed and inactive/failed: nothing for stop to do. */
    private static boolean stopped(UnitState st) {
        return !st.installed() || st.activeState().equals("inactive") || st.activeState().equals("failed");
    }

    private ExecResult showRaw() {
        return ok(systemctl.show(unitName));
    }

    private UnitState show() {
        return UnitState.parse(showRaw().stdout());
    }

    /** --wait-ready: hephd's socket (baked --socket, else hephd's default) must accept a connection. */
    /** --wait-ready; the unit text is parsed for the baked --socket only when it is asked for. */
    private void awaitReady(String desired) {
        if (s.readyTimeout() != null) {
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
