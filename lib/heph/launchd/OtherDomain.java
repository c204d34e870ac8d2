package heph.launchd;

import heph.HephException;
import heph.proc.ExecResult;
import heph.service.ServiceStatus;
import heph.service.Settings;
import java.util.Optional;

/**
 * One instance across launchd's two per-user domains (launchd-facts §13). gui/&lt;uid&gt; and user/&lt;uid&gt; hold
 * separate jobs: a label loaded in one is "not found" in the other, so a heph told only about one would bootstrap a
 * second copy (a second hephd finds its store locked and crash-loops under KeepAlive), or remove the plist the
 * other copy is loaded from. Before a mutating verb heph asks the other domain too (one bounded {@code launchctl
 * print}) and refuses while the label is loaded there; status, list and doctor say where it is loaded.
 * <p>
 * Any non-zero answer of that print is "not loaded there": 113 (not loaded), 112 or 125 (no such domain: no GUI
 * session over ssh), 64 (an older launchctl that does not know the domain). A print that hangs is a failure like
 * any other hung launchctl call.
 */
public final class OtherDomain {
    private final Settings s;
    private final Launchctl launchctl;
    private final boolean hephd; // commands name another agent with --label

    public OtherDomain(Settings s, Launchctl launchctl, boolean hephd) {
        this.s = s;
        this.launchctl = launchctl;
        this.hephd = hephd;
    }

    /** "user" for "gui" and the other way round. */
    static String otherKind(String kind) {
        return kind.equals(Settings.GUI_DOMAIN) ? Settings.USER_DOMAIN : Settings.GUI_DOMAIN;
    }

    /** The other per-user domain, e.g. {@code user/501} when heph works in {@code gui/501}. */
    public String domain() {
        return otherKind(s.domain()) + "/" + s.uid();
    }

    /** Where the label is loaded in the other domain (its pid, null when not running), or empty. One print. */
    public Optional<ServiceStatus.Elsewhere> probe() {
        ExecResult r = launchctl.print(domain() + "/" + s.label());
        if (!r.ok()) {
            return Optional.empty();
        }
        PrintInfo info = PrintInfo.parse(r.exitCode(), r.stdout(), r.stderr());
        return Optional.of(new ServiceStatus.Elsewhere(domain(),
                info.running() && info.pid().isPresent() ? info.pid().getAsLong() : null));
    }

    /**
     * Before {@code verb} (start, restart, stop, uninstall, or their dry run): refuses (exit 1, nothing changed)
     * while the label is loaded in the other domain. One exception: {@code stop} of a label loaded in both domains
     * unloads it here (that is how one gets back to one instance); it says the other copy stays.
     */
    public void requireNotElsewhere(String verb) {
        Optional<ServiceStatus.Elsewhere> seen = probe();
        if (seen.isEmpty()) {
            return;
        }
        boolean loadedHere = launchctl.print(Launchctl.target(s)).ok();
        if (verb.equals("stop") && loadedHere) {
            s.say(s.label() + " is loaded in " + Launchctl.domain(s) + " and in " + seen.get().domain() + pid(
                    seen.get()) + ": stopping it in " + Launchctl.domain(s) + " only");
            return;
        }
        throw HephException.failed(refusal(seen.get(), loadedHere));
    }

    /**
     * "org.x is loaded in gui/501 (pid 123); you asked for user/501: stop it there first (`heph --domain gui stop`
     * at the console) or keep using gui/501".
     */
    String refusal(ServiceStatus.Elsewhere seen, boolean loadedHere) {
        String there = otherKind(s.domain());
        String msg = s.label() + " is loaded in " + seen.domain() + pid(seen) + "; you asked for "
                + Launchctl.domain(s) + ": stop it there first (`" + command(there, "stop") + "`"
                + (there.equals(Settings.GUI_DOMAIN) ? " at the console" : "") + ") or keep using " + seen.domain();
        if (loadedHere) {
            msg += " (it is loaded in " + Launchctl.domain(s) + " too: `" + command(s.domain(), "stop")
                    + "` unloads that copy)";
        }
        return msg;
    }

    /** For status: "loaded in user/501, pid N; you asked about gui/501 (`heph --domain user status`)". */
    public String note(ServiceStatus.Elsewhere seen, boolean loadedHere) {
        String where = where(seen);
        if (loadedHere) {
            return "also " + where + ": two copies; `" + command(otherKind(s.domain()), "stop") + "` unloads that one";
        }
        return where + "; you asked about " + Launchctl.domain(s) + " (`" + command(otherKind(s.domain()), "status")
                + "`)";
    }

    /** "loaded in user/501, pid 123", or "loaded in user/501, not running". */
    public static String where(ServiceStatus.Elsewhere seen) {
        return "loaded in " + seen.domain() + (seen.pid() != null ? ", pid " + seen.pid() : ", not running");
    }

    /** {@code heph --domain user stop} (with {@code --label L} for another agent): unloads it in the other domain. */
    public String stopThere() {
        return command(otherKind(s.domain()), "stop");
    }

    private static String pid(ServiceStatus.Elsewhere seen) {
        return seen.pid() != null ? " (pid " + seen.pid() + ")" : " (not running)";
    }

    /** {@code heph --domain gui stop}, with {@code --label L} for an agent other than hephd. */
    private String command(String kind, String verb) {
        return "heph --domain " + kind + " " + verb
                + (hephd ? "" : " --label " + s.label());
    }
}
