package heph.launchd;

import heph.launchd.plist.AgentPlist;
import heph.launchd.plist.LaunchdPlist;
import com.dd.plist.NSDictionary;
import heph.ExitCode;
import heph.HephException;
import heph.fs.AtomicFile;
import heph.fs.SetAside;
import heph.proc.ExecResult;
import heph.service.CriticalSection;
import heph.service.Outcome;
import heph.service.Settings;
import heph.service.SocketProbe;
import heph.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The reload path: the only one that unloads the label, hence the one that needs every primitive. Write the plist,
 * bootout, wait-until-unloaded, enable, bootstrap-with-retry, verify. Once bootout went through, any failure of
 * the new definition (it does not unload in time, does not load, does not spawn, or does not stay up through
 * verification) puts the previous definition back: written to the plist, loaded and verified, and both are
 * reported (exit 1, hephd running the previous definition). Every failure message says where hephd stands.
 */
final class Reload {
    /** One reload: what to load, what ran before, and how long the old job may take to go. */
    record Plan(String action, NSDictionary desired, byte[] desiredBytes, boolean writeFile, byte[] previous,
                LoadedJob before, Duration unloadBound, String why,
                java.util.Set<java.nio.file.attribute.PosixFilePermission> mode) {
    }

    private final Settings s;
    private final Launchctl launchctl;
    private final LaunchdPrimitives primitives;
    private final JobVerifier verifier;
    private final LoadedCopy copy;
    private final BootoutWait bootouts;
    private final Clock clock;
    private final String domain;
    private final String target;
    private final Path plist;
    private final String who;

    Reload(Settings s, Launchctl launchctl, LaunchdPrimitives primitives, JobVerifier verifier, LoadedCopy copy,
           BootoutWait bootouts, Clock clock, String who) {
        this(s, launchctl, primitives, verifier, copy, bootouts, clock, who, s.plistPath());
    }

    /** As above, for the plist at {@code plist} (an agent found by its Label under another file name). */
    Reload(Settings s, Launchctl launchctl, LaunchdPrimitives primitives, JobVerifier verifier, LoadedCopy copy,
           BootoutWait bootouts, Clock clock, String who, Path plist) {
        this.s = s;
        this.who = who;
        this.bootouts = bootouts;
        this.launchctl = launchctl;
        this.primitives = primitives;
        this.verifier = verifier;
        this.copy = copy;
        this.clock = clock;
        this.domain = Launchctl.domain(s);
        this.target = Launchctl.target(s);
        this.plist = plist;
    }

    Outcome run(Plan p, SetAside aside, List<String> warnings) {
        Long oldPid = p.before().pid().isPresent() ? p.before().pid().getAsLong() : null;
        LogFolders.prepare(p.desired(), who); // launchd may not create them: before anything is unloaded
        return CriticalSection.run(s, who, () -> {
            if (p.writeFile()) {
                aside.apply(s::say, warnings);
                AtomicFile.write(plist, p.desiredBytes(), p.mode());
            }
            BootoutWait.Sent sent = bootout(p);
            LaunchdPrimitives.Waited waited;
            try {
                waited = bootouts.confirm(sent, target, p.unloadBound());
            } catch (HephException e) {
                throw putBack(e, p, false);
            }
            LaunchdPrimitives.Bootstrapped boot;
            Long pid;
            try {
                launchctlOk(launchctl.enable(target), "enable");
                boot = primitives.bootstrapWithRetry(domain, plist.toString(), target,
                        LaunchdPrimitives.BOOTSTRAP_DEADLINE);
            } catch (HephException e) {
                throw putBack(e, p, false);
            }
            try {
                pid = verifier.verify(target, JobVerifier.Before.fresh(oldPid), JobVerifier.VERIFY_BOUND,
                        AgentPlist.expect(p.desired()));
            } catch (HephException e) {
                throw putBack(e, p, true);
            }
            if (who.equals("hephd")) {
                try { // --wait-ready is part of verification: a new hephd that died meanwhile is put back too
                    SocketProbe.awaitReady(s, LaunchdPlist.programArguments(p.desired()), clock);
                } catch (HephException e) {
                    LoadedJob now = launchctl.probe(target);
                    if (now.info().running() || now.transitional()) {
                        copy.saveLoaded(plist, p.desired(), s::say, warnings);
                        throw e; // running, only slow to open its socket: the new definition stays
                    }
                    throw putBack(HephException.failed("the new hephd stopped running while heph waited for its"
                            + " socket (state = " + now.info().state() + ", " + now.lastEnd() + ")"), p, true);
                }
            }
            copy.saveLoaded(plist, p.desired(), s::say, warnings);
            // changed: launchd runs another definition now, whether or not heph wrote the file (a hand edit)
            return new Outcome(p.action(), "reload", true, oldPid, pid, waited.millis(), boot.attempts(),
                    who + " reloaded with the new definition (" + p.why() + "), " + JobVerifier.ran(pid)
                            + (oldPid == null ? "" : " (was " + oldPid + ")"), warnings); // a job between runs had none
        });
    }

    /**
     * bootout ({@code --wait} where it exists, {@link BootoutWait}); 3 (already gone) and 36 (older macOS: still in
     * progress) are fine, wait-until-unloaded follows. A refusal says that the new definition is already written.
     */
    private BootoutWait.Sent bootout(Plan p) {
        try {
            return bootouts.bootout(target, p.unloadBound());
        } catch (HephException e) {
            if (e.exitCode() == ExitCode.TIMEOUT) {
                throw e;
            }
            String written = p.writeFile() ? "the new definition is already written to " + plist
                    : plist + " already holds the new definition";
            throw amended(e, "; " + written + " but launchd still runs the previous one: run `heph restart` to"
                    + " retry the reload");
        }
    }

    /**
     * The new definition failed after bootout: unload it if it is loaded, write the previous definition back, load
     * it and verify it, and say both. Not after a timeout (launchctl is not answering, so another call would only
     * hang too) nor without a previous definition.
     */
    private HephException putBack(HephException e, Plan p, boolean newIsLoaded) {
        if (e.exitCode() == ExitCode.TIMEOUT || p.previous() == null) {
            return amended(e, "; " + who + " is not loaded now: run `heph start" + labelFlag() + "`"
                    + (e.exitCode() == ExitCode.TIMEOUT ? " once launchctl answers again" : ""));
        }
        String kept = "";
        try {
            if (newIsLoaded) {
                LoadedJob failing = launchctl.probe(target);
                Duration bound = LaunchdBackend.unloadBound(s, failing, p.desired(), who).bound();
                bootouts.confirm(bootout(p), target, bound);
            }
            if (!p.writeFile() && Files.exists(plist)) {
                // a hand edit launchd refused: keep it for the user to fix rather than overwrite it
                kept = "; kept the refused " + plist.getFileName() + " as " + AtomicFile.moveAside(plist, "refused");
            }
            AtomicFile.write(plist, p.previous(), p.mode());
            LogFolders.prepare(p.previous(), plist.toString(), who);
            launchctlOk(launchctl.enable(target), "enable");
            primitives.bootstrapWithRetry(domain, plist.toString(), target, LaunchdPrimitives.BOOTSTRAP_DEADLINE);
            Long pid = verifier.verify(target, JobVerifier.Before.fresh(null), JobVerifier.VERIFY_BOUND,
                    AgentPlist.expect(LaunchdPlist.parse(p.previous(), plist.toString())));
            copy.save(p.previous());
            return amended(e, kept + "; put the previous " + plist.getFileName() + " back and " + who + " runs it"
                    + " again (" + JobVerifier.ran(pid) + ")");
        } catch (HephException again) {
            return amended(e, kept + "; putting the previous " + plist.getFileName() + " back failed too ("
                    + again.getMessage() + "): " + who + " is not running now: run `heph start" + labelFlag() + "`");
        }
    }

    /** How to name this agent again on heph's command line: nothing for hephd. */
    private String labelFlag() {
        return who.equals("hephd") ? "" : " --label " + s.label();
    }

    private void launchctlOk(ExecResult r, String verb) {
        if (!r.ok()) {
            throw LaunchctlErrors.failure(verb, r, s.label(), "");
        }
    }

    static HephException amended(HephException e, String more) {
        return new HephException(e.exitCode(), e.getMessage() + more, e.detail());
    }
}
