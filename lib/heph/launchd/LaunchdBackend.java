package heph.launchd;

import com.dd.plist.NSDictionary;
import heph.ExitCode;
import heph.HephException;
import heph.config.FlagOverrides;
import heph.fs.AtomicFile;
import heph.fs.Owner;
import heph.fs.SetAside;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import heph.service.Backend;
import heph.service.Outcome;
import heph.service.ServiceStatus;
import heph.service.Settings;
import heph.service.SocketProbe;
import heph.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * hephd as a LaunchAgent in gui/&lt;uid&gt;. start and restart converge on the desired plist:
 * <ul>
 * <li>not loaded: write the plist, enable, bootstrap-with-retry, verify running;</li>
 * <li>loaded and unchanged: start does nothing; restart runs {@code kickstart -k} (in place, no race);</li>
 * <li>loaded and changed: write the plist, bootout, wait-until-unloaded, enable, bootstrap-with-retry, verify.</li>
 * </ul>
 * "Unchanged" means the desired plist equals the one on disk (parsed dictionaries, never bytes) and the loaded
 * job's program and arguments in {@code launchctl print} match it.
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
    private final BootoutWait bootouts; // simfidelity: bootout --wait where it exists (issue 8 item 4)

    public LaunchdBackend(Settings settings, ProcessRunner runner, Clock clock) {
        this.s = settings;
        // Inside the reload's critical section, a launchctl call killed by the deferred Ctrl-C is run again.
        this.launchctl = new Launchctl(CriticalSection.rerunKilledCalls(runner, settings), settings.launchctl(),
                settings.commandTimeout());
        this.primitives = new LaunchdPrimitives(launchctl, clock);
        this.verifier = new JobVerifier(launchctl, primitives, clock, settings);
        this.domain = Launchctl.domain(settings.uid());
        this.target = Launchctl.target(settings.uid(), settings.label());
        this.plist = settings.plistPath();
        this.clock = clock;
        this.bootouts = new BootoutWait(launchctl, primitives, clock, settings);
    }

    @Override
    public String name() {
        return "launchd";
    }

    @Override
    public Outcome start(FlagOverrides flags) {
        return bootouts.annotate(converge("start", flags));
    }

    @Override
    public Outcome restart(FlagOverrides flags) {
        return bootouts.annotate(converge("restart", flags));
    }

    private Outcome converge(String action, FlagOverrides flags) {
        List<String> warnings = new ArrayList<>();
        SetAside aside = new SetAside();
        NSDictionary onDisk = PlistDefinition.readForWrite(plist, aside);
        AtomicFile.removeStaleTemps(plist); // of a heph killed while writing it
        NSDictionary desired = PlistDefinition.desired(onDisk, flags, s, plist);
        List<String> desiredArgs = LaunchdPlist.programArguments(desired);
        PrintInfo info = probe();
        boolean fileChanged = onDisk == null || !LaunchdPlist.sameJob(desired, onDisk);
        if (info.draining()) {
            // A bootout is still in flight (someone else's, or a heph that was killed): let it finish first.
            s.say("launchd is still tearing down " + target + " (state = " + info.state() + "); waiting");
            primitives.waitUntilUnloaded(target, unloadBound(info, onDisk));
            info = probe();
        }
        if (!info.loaded()) {
            return freshStart(action, desired, fileChanged, aside, warnings);
        }
        Long oldPid = pid(info);
        if (!fileChanged && loadedMatches(info, desiredArgs)) {
            if (action.equals("start") && info.running()) {
                SocketProbe.awaitReady(s, desiredArgs, clock);
                return new Outcome(action, "none", false, oldPid, oldPid, 0, 0,
                        "hephd is already running (pid " + oldPid + ") with this configuration", warnings);
            }
            boolean kill = info.running();
            LogFolders.prepare(desired); // simfidelity: launchd may not create them (issue 8 item 3)
            primitives.kickstart(target, kill);
            long pid = verifier.verifyRunning(target, kill ? oldPid : null);
            SocketProbe.awaitReady(s, desiredArgs, clock);
            String what = kill ? "restarted in place (launchctl kickstart -k)" : "started (launchctl kickstart)";
            return new Outcome(action, "kickstart", false, oldPid, pid, 0, 0,
                    "hephd " + what + ", pid " + pid, warnings);
        }
        return reload(action, desired, info, onDisk, fileChanged, aside, warnings);
    }

    private Outcome freshStart(String action, NSDictionary desired, boolean fileChanged, SetAside aside,
                               List<String> warnings) {
        LogFolders.prepare(desired); // simfidelity: launchd may not create them (issue 8 item 3)
        if (fileChanged) {
            aside.apply(s::say, warnings);
            AtomicFile.write(plist, LaunchdPlist.toXml(desired));
        }
        launchctlOk(launchctl.enable(target), "enable");
        LaunchdPrimitives.Bootstrapped boot = primitives.bootstrapWithRetry(domain, plist.toString(), target,
                LaunchdPrimitives.BOOTSTRAP_DEADLINE);
        long pid = verifier.verifyRunning(target, null);
        SocketProbe.awaitReady(s, LaunchdPlist.programArguments(desired), clock);
        return new Outcome(action, "start", fileChanged, null, pid, 0, boot.attempts(),
                "hephd started, pid " + pid, warnings);
    }

    /**
     * The reload path: the only one that unloads the label, hence the one that needs every primitive. Once bootout
     * went through, a failure puts the previous plist back and bootstraps that; every failure message says where
     * hephd stands and how to repair it.
     */
    private Outcome reload(String action, NSDictionary desired, PrintInfo info, NSDictionary onDisk,
                           boolean fileChanged, SetAside aside, List<String> warnings) {
        Long oldPid = pid(info);
        Duration bound = unloadBound(info, desired);
        byte[] previous = fileChanged && onDisk != null ? PlistDefinition.readBytes(plist) : null;
        LogFolders.prepare(desired); // simfidelity: before anything is unloaded (issue 8 item 3)
        return CriticalSection.run(s, () -> {
            if (fileChanged) {
                aside.apply(s::say, warnings);
                AtomicFile.write(plist, LaunchdPlist.toXml(desired));
            }
            BootoutWait.Sent sent = bootouts.bootout(target, bound); // simfidelity: bootout [--wait]
            LaunchdPrimitives.Waited waited;
            try {
                waited = bootouts.confirm(sent, target, bound); // simfidelity: print -> 113
            } catch (HephException e) {
                throw amended(e, "; once launchd lets go of it hephd is not loaded: then run `heph start`");
            }
            LaunchdPrimitives.Bootstrapped boot;
            try {
                launchctlOk(launchctl.enable(target), "enable");
                boot = primitives.bootstrapWithRetry(domain, plist.toString(), target,
                        LaunchdPrimitives.BOOTSTRAP_DEADLINE);
            } catch (HephException e) {
                throw putBack(e, previous);
            }
            long pid = verifier.verifyRunning(target, oldPid);
            SocketProbe.awaitReady(s, LaunchdPlist.programArguments(desired), clock);
            return new Outcome(action, "reload", true, oldPid, pid, waited.millis(), boot.attempts(),
                    "hephd reloaded with the new definition, pid " + pid + " (was " + oldPid + ")", warnings);
        });
    }

    /**
     * Loading the new plist failed after bootout: put the previous plist back and bootstrap that, so hephd is not
     * left down. Not after a timeout (launchctl is not answering, so another call would only hang too).
     */
    private HephException putBack(HephException e, byte[] previous) {
        if (e.exitCode() == ExitCode.TIMEOUT || previous == null) {
            return amended(e, "; hephd is not loaded now: run `heph start`"
                    + (e.exitCode() == ExitCode.TIMEOUT ? " once launchctl answers again" : ""));
        }
        try {
            AtomicFile.write(plist, previous);
            LogFolders.prepare(previous, plist.toString()); // simfidelity (issue 8 item 3)
            primitives.bootstrapWithRetry(domain, plist.toString(), target, LaunchdPrimitives.BOOTSTRAP_DEADLINE);
            long pid = verifier.verifyRunning(target, null);
            return amended(e, "; put the previous " + plist.getFileName() + " back and hephd runs it again (pid "
                    + pid + ")");
        } catch (HephException again) {
            return amended(e, "; putting the previous " + plist.getFileName() + " back failed too ("
                    + again.getMessage() + "): hephd is not loaded now: run `heph start`");
        }
    }

    private static HephException amended(HephException e, String more) {
        return new HephException(e.exitCode(), e.getMessage() + more, e.detail());
    }

    @Override
    public Outcome stop() {
        PrintInfo info = probe();
        if (!info.loaded()) {
            return new Outcome("stop", "none", false, null, null, 0, 0, "hephd is already stopped", List.of());
        }
        Long oldPid = pid(info);
        Duration bound = unloadBound(info, PlistDefinition.readQuietly(plist).orElse(null));
        BootoutWait.Sent sent = bootouts.bootout(target, bound); // simfidelity: bootout [--wait]
        LaunchdPrimitives.Waited waited = bootouts.confirm(sent, target, bound);
        String was = oldPid == null ? "" : " (was pid " + oldPid + ")";
        return bootouts.annotate(new Outcome("stop", "stop", false, oldPid, null, waited.millis(), 0,
                "hephd stopped" + was, List.of()));
    }

    @Override
    public Outcome uninstall() {
        Owner.requireOwnRegularFile(plist); // refuse before stopping anything, not after
        Outcome stopped = stop();
        boolean removed = AtomicFile.delete(plist);
        boolean did = removed || !stopped.path().equals("none");
        String msg = did ? "hephd uninstalled" + (removed ? " (removed " + plist + ")" : "")
                : "hephd is not installed; nothing to do";
        return bootouts.annotate(new Outcome("uninstall", did ? "uninstall" : "none", removed, stopped.oldPid(),
                null, stopped.waitedMs(), 0, msg, List.of()));
    }

    @Override
    public ServiceStatus status() {
        return new LaunchdStatus(s, launchctl).read();
    }

    private PrintInfo probe() {
        ExecResult raw = launchctl.print(target);
        PrintInfo info = PrintInfo.parse(raw.exitCode(), raw.stdout(), raw.stderr());
        if (info.presence() == PrintInfo.Presence.NO_DOMAIN || info.presence() == PrintInfo.Presence.ERROR) {
            throw launchctlFailure(raw, "print");
        }
        return info;
    }

    private boolean loadedMatches(PrintInfo info, List<String> desiredArgs) {
        if (!info.arguments().isEmpty()) {
            return info.arguments().equals(desiredArgs);
        }
        // print is not API (launchd-facts §3): without an arguments block, compare what it does show.
        return info.program() != null && !desiredArgs.isEmpty() && info.program().equals(desiredArgs.get(0));
    }

    private Duration unloadBound(PrintInfo info, NSDictionary plistDict) {
        if (s.maxWait() != null) {
            return s.maxWait();
        }
        int secs = LaunchdPrimitives.DEFAULT_EXIT_TIMEOUT_SECS;
        if (info.exitTimeoutSecs().isPresent()) {
            secs = info.exitTimeoutSecs().getAsInt();
        } else if (plistDict != null && plistDict.get("ExitTimeOut") instanceof com.dd.plist.NSNumber n) {
            secs = n.intValue();
        }
        return LaunchdPrimitives.unloadBound(secs);
    }

    private static Long pid(PrintInfo info) {
        return info.pid().isPresent() ? info.pid().getAsLong() : null;
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
