package heph.doctor;

import com.dd.plist.NSDictionary;
import heph.HephException;
import heph.launchd.Launchctl;
import heph.launchd.LaunchctlErrors;
import heph.launchd.PrintInfo;
import heph.launchd.plist.LaunchdPlist;
import heph.proc.ExecResult;
import heph.service.Settings;
import heph.service.SocketProbe;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * doctor's launchd probes, in order: the domain exists (gui/&lt;uid&gt; needs a GUI login session, docs/facts/launchd-facts.md §1,
 * §13), the label is not disabled (§5, §6), the plist ({@link PlistProbes}), what launchd says of the job (loaded,
 * draining, crash loop, the last exit and its meaning; §3, §13), and, for hephd only, whether its socket answers
 * (another agent has no hephd socket; one with neither a plist nor a loaded job does not exist). Every launchctl
 * call is bounded by the settings' timeout; a call that fails or hangs becomes a failed check, never an exception.
 */
final class LaunchdProbes {

    private LaunchdProbes() {
    }

    static List<Check> run(Settings s, Subject subj, Launchctl lc) {
        List<Check> out = new ArrayList<>();
        Check domain = guard("domain", () -> domain(subj, lc.print(subj.domain())));
        out.add(domain);
        out.add(guard("label-enabled", () -> enabled(subj, lc.printDisabled(subj.domain()))));
        PlistProbes.Result plist = PlistProbes.run(subj, s.uid());
        out.addAll(plist.checks());
        heph.launchd.OtherDomain other = new heph.launchd.OtherDomain(s, lc, subj.hephd());
        if (domain.status() == Check.Status.FAIL) {
            // nothing loaded here can be asked about; over ssh the label may well be loaded in user/<uid>
            heph.launchd.OtherDomain.Answer there = other.ask();
            if (there.loaded() != null) {
                out.add(otherDomain(other, there, subj, false));
            }
            return out;
        }
        PrintInfo[] info = {null};
        Check loaded = guard("loaded", () -> {
            info[0] = lc.printInfo(subj.target());
            return loaded(subj, info[0], plist.plist().isPresent());
        });
        heph.launchd.OtherDomain.Answer there = other.ask(); // one print of the other domain, for both checks
        boolean loadedHere = info[0] != null && info[0].loaded();
        out.add(there.loaded() != null && !loadedHere && loaded.fix() != null && !loaded.fix().isEmpty()
                ? new Check(loaded.name(), loaded.status(), loaded.message(), elsewhereFix(other, subj)) : loaded);
        out.add(otherDomain(other, there, subj, loadedHere));
        if (subj.hephd()) {
            out.add(socket(s, info[0], plist.plist()));
        }
        return out;
    }

    /** A probe whose launchctl call failed to run (timeout, missing executable) is a failed check. */
    static Check guard(String name, Supplier<Check> probe) {
        try {
            return probe.get();
        } catch (HephException e) {
            return Check.fail(name, e.getMessage(), "check --launchctl / HEPH_LAUNCHCTL and --timeout");
        }
    }

    /** {@code print <domain>}: 0 = present; 112/125 = no such domain (no GUI login session for gui/). */
    static Check domain(Subject subj, ExecResult r) {
        String kind = subj.domainKind();
        if (r.ok()) {
            return kind.equals("user")
                    ? Check.warn("domain", subj.domain() + " exists (--domain user): agents loaded there are not"
                    + " restored at the next login", "once logged in at the console, `" + subj.heph("--domain gui"
                    + " restart") + "`")
                    : Check.ok("domain", subj.domain() + " exists (a GUI login session)");
        }
        boolean unrecognized = LaunchctlErrors.unrecognizedDomain(r.exitCode(), r.stderr()); // err-51: 64
        if (r.exitCode() == 112 || r.exitCode() == 125 || unrecognized) {
            String seen = subj.domain() + " is missing (launchctl print answers " + r.exitCode() + ": "
                    + (unrecognized ? LaunchctlErrors.UNRECOGNIZED_DOMAIN : LaunchctlErrors.meaning(r.exitCode()))
                    + ")";
            return kind.equals("gui")
                    ? Check.fail("domain", seen + ": no GUI login session for this user (over ssh, or a headless"
                    + " Mac)", "log in at the Mac's console, or use `heph --domain user <verb>`: user/"
                    + subj.domain().substring(4) + " works over ssh, but launchd does not restore it at the next"
                    + " login")
                    : Check.fail("domain", seen, "run heph as the user who owns the agent, not under sudo");
        }
        return Check.fail("domain", "launchctl print " + subj.domain() + " failed: "
                + LaunchctlErrors.explain("print", r.exitCode(), r.stderr(), subj.label()), "");
    }

    /** {@code print-disabled <domain>}: an entry {@code "label" => disabled} (or {@code => true}, older macOS). */
    static Check enabled(Subject subj, ExecResult r) {
        if (!r.ok()) {
            return Check.warn("label-enabled", "launchctl print-disabled " + subj.domain() + " failed: "
                    + LaunchctlErrors.meaning(r.exitCode()), "");
        }
        Optional<Boolean> disabled = disabled(r.stdout(), subj.label());
        if (disabled.orElse(false)) {
            return Check.fail("label-enabled", subj.label() + " is disabled in launchd's override database:"
                    + " bootstrap answers 5 (Input/output error) and launchd does not load it at login",
                    "`launchctl enable " + subj.target() + "`, or " + heph(subj, "start") + " (it enables before"
                    + " bootstrap)");
        }
        return Check.ok("label-enabled", subj.label() + (disabled.isPresent() ? " is enabled"
                : " has no override (enabled)"));
    }

    /** The label's entry in print-disabled output: true = disabled, false = enabled, empty = no entry. Pure. */
    static Optional<Boolean> disabled(String printDisabled, String label) {
        return PrintInfo.disabledOverride(printDisabled, label);
    }

    /**
     * The fix that runs {@code verb} on it, quoted: {@code `heph start --label L`}; for a symlinked installed plist,
     * which heph's verbs refuse, the plist-link fix instead (remove the link, start the dotfile as given).
     */
    static String heph(Subject subj, String verb) {
        if (Files.isSymbolicLink(subj.plist())) {
            return PlistProbes.link(subj, subj.plist()).fix();
        }
        return "`" + subj.heph(verb) + "`";
    }

    /** {@code print <domain>/<label>}: loaded, running, draining, crash loop, and how the last run ended. */
    static Check loaded(Subject subj, PrintInfo info, boolean installed) {
        switch (info.presence()) {
            case NOT_FOUND:
                if (!subj.hephd() && !Files.exists(subj.plist(), LinkOption.NOFOLLOW_LINKS)) {
                    return Check.fail("loaded", "no such agent: no " + subj.plist() + " and not loaded in "
                            + subj.domain(), "`heph list` shows the installed agents; `heph start --plist FILE`"
                            + " installs one");
                }
                return installed ? Check.warn("loaded", subj.label() + " is installed but not loaded in "
                        + subj.domain(), heph(subj, "start"))
                        : Check.warn("loaded", subj.label() + " is not loaded", subj.hephd() ? "`heph start`"
                        : "fix its plist, or install it again with `heph start --plist FILE`");
            case NO_DOMAIN:
                return Check.fail("loaded", "launchctl print " + subj.target() + " answers 112: no domain "
                        + subj.domain(), "see the domain check");
            case ERROR:
                return Check.fail("loaded", "launchctl print " + subj.target() + " failed", "retry with --verbose");
            default:
                break;
        }
        String runs = info.runs().isPresent() ? ", runs " + info.runs().getAsLong() : "";
        String last = lastExit(info);
        if (info.draining()) {
            return Check.warn("loaded", subj.label() + " is being unloaded (state = " + info.state() + "): launchd"
                    + " has not let go of it yet", "wait a few seconds; `" + subj.heph("status") + "`");
        }
        if (info.crashLoop()) {
            return Check.fail("loaded", "crash loop: state = " + info.state() + (info.jobState().isEmpty() ? ""
                    : ", job state = " + info.jobState()) + runs + last + (info.spawnFailed() ? "; launchd"
                    + " cannot start " + subj.who() + ", each spawn fails" : "; launchd keeps restarting "
                    + subj.who() + " and it keeps exiting"), "`" + subj.heph("logs") + "` shows why;"
                    + " then " + heph(subj, "restart"));
        }
        if (info.respawning()) {
            return Check.warn("loaded", "not running: it exited cleanly and launchd starts it again shortly"
                    + " (KeepAlive; " + info.crashSummary() + ")", "`" + subj.heph("status") + "` in a moment");
        }
        if (info.running()) {
            return Check.ok("loaded", "running, pid " + info.pid().getAsLong() + runs + last);
        }
        if (info.transitional()) {
            return Check.ok("loaded", "starting (state = " + info.state() + ")" + runs);
        }
        if (info.lastExitStatus().isPresent() && info.lastExitStatus().getAsInt() != 0 || !info.lastSignal().isEmpty()) {
            return Check.fail("loaded", "loaded but not running (state = " + info.state() + ")" + runs + last,
                    "`" + subj.heph("logs") + "`; then " + heph(subj, "restart"));
        }
        return Check.warn("loaded", "loaded but not running (state = " + info.state() + ")" + runs + last,
                heph(subj, "restart"));
    }

    /**
     * The label in the other per-user domain (gui/ and user/ hold separate jobs): loaded in both is a failure (two
     * copies: a second hephd crash-loops on the locked store); loaded only there is worth knowing (heph's verbs here
     * refuse until it is stopped there).
     */
    static Check otherDomain(heph.launchd.OtherDomain other, Subject subj, boolean loadedHere) {
        return otherDomain(other, other.ask(), subj, loadedHere);
    }

    /** {@link #otherDomain(heph.launchd.OtherDomain, Subject, boolean)} for the answer {@code there}. */
    static Check otherDomain(heph.launchd.OtherDomain other, heph.launchd.OtherDomain.Answer there, Subject subj,
                             boolean loadedHere) {
        if (there.unknown() != null) {
            return Check.fail("other-domain", "cannot tell whether " + subj.label() + " is loaded in "
                    + other.domain() + ": " + there.unknown(), "retry; heph's start, restart, stop and uninstall"
                    + " refuse until " + other.domain() + " answers");
        }
        var seen = Optional.ofNullable(there.loaded());
        if (seen.isEmpty()) {
            return Check.ok("other-domain", "not loaded in " + other.domain());
        }
        String where = heph.launchd.OtherDomain.where(seen.get());
        if (loadedHere) {
            return Check.fail("other-domain", "also " + where + ": " + subj.label() + " is loaded in both "
                    + subj.domain() + " and " + other.domain(), "`" + other.stopThere() + "` unloads that copy");
        }
        return Check.warn("other-domain", where + "; you asked about " + subj.domain(), "use `heph --domain "
                + other.domain().substring(0, other.domain().indexOf('/')) + " <verb>" + (subj.hephd() ? ""
                : " " + subj.option()) + "`, or stop it there first (`"
                + other.stopThere() + "`)");
    }

    /**
     * The fix of the loaded check when the label is loaded only in the other domain: `heph start` here would be
     * refused, so it points there.
     */
    static String elsewhereFix(heph.launchd.OtherDomain other, Subject subj) {
        String kind = other.domain().substring(0, other.domain().indexOf('/'));
        return "it is loaded in " + other.domain() + ": `heph --domain " + kind + " status" + (subj.hephd() ? ""
                : " " + subj.option()) + "`; to run it in " + subj.domain() + ", stop it there first (`"
                + other.stopThere() + "`)";
    }

    /** ", last exit code 78: EX_CONFIG (meaning)" or the signal / reason launchd prints instead; "" when none. */
    static String lastExit(PrintInfo info) {
        String said = info.lastExit();
        if (said.isEmpty()) {
            return "";
        }
        String meaning = info.lastExitStatus().isPresent() ? ExitMeanings.of(info.lastExitStatus().getAsInt())
                : info.exitReasonMeaning();
        if (!meaning.isEmpty() && !info.lastExitName().isEmpty() && meaning.startsWith(info.lastExitName())) {
            meaning = meaning.substring(info.lastExitName().length()).replaceFirst("^:\\s*", "");
        }
        return ", " + said + (meaning.isEmpty() ? "" : " (" + meaning + ")");
    }

    private static Check socket(Settings s, PrintInfo info, Optional<NSDictionary> plist) {
        List<String> argv = plist.map(LaunchdPlist::programArguments).orElse(List.of());
        if (argv.isEmpty() && info != null) {
            argv = info.arguments();
        }
        return socketCheck(Path.of(s.socketFor(argv)), info != null && info.running());
    }

    /** hephd answers when its unix socket accepts a connection. */
    static Check socketCheck(Path socket, boolean running) {
        if (SocketProbe.accepts(socket)) {
            return Check.ok("socket", socket + " accepts connections");
        }
        return running ? Check.fail("socket", "hephd runs but " + socket + " does not accept connections",
                "`heph logs` shows why; `heph restart`")
                : Check.warn("socket", socket + " does not answer (hephd is not running)", "`heph start`");
    }
}
