package heph.launchd;

import heph.HephException;
import heph.proc.ExecResult;
import heph.service.ServiceStatus;
import heph.service.Settings;
import java.util.Optional;

/**
 * One instance across launchd's two per-user domains (docs/facts/launchd-facts.md §13). gui/&lt;uid&gt; and user/&lt;uid&gt; hold
 * separate jobs: a label loaded in one is "not found" in the other, so a heph told only about one would bootstrap a
 * second copy (a second hephd finds its store locked and crash-loops under KeepAlive), or remove the plist the
 * other copy is loaded from. Before a mutating verb heph asks the other domain too (one bounded {@code launchctl
 * print}, inside the per-label lock) and refuses while the label is loaded there; status, list and doctor say where
 * it is loaded.
 * <p>
 * Only the answers that mean "no such service or domain" are "not loaded there": 113 (not loaded), 112 or 125 (no
 * such domain: no GUI session over ssh), 64 with {@code Unrecognized domain-target specifier.} (a domain launchctl
 * does not know). Anything else (another exit status, a print killed by a signal or by the timeout, an exit 0
 * whose output is not a service block) is "unknown": a mutating verb stops (exit 1, nothing changed), status says
 * "unknown" instead of guessing.
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

    /**
     * What the other domain answered: {@code loaded} where it is loaded there (else null); {@code unknown} what went
     * wrong when the answer says neither "loaded" nor "not loaded" (else null). Both null: not loaded there.
     */
    public record Answer(ServiceStatus.Elsewhere loaded, String unknown) {
        public boolean notLoaded() {
            return loaded == null && unknown == null;
        }
    }

    /** "user" for "gui" and the other way round. */
    static String otherKind(String kind) {
        return kind.equals(Settings.GUI_DOMAIN) ? Settings.USER_DOMAIN : Settings.GUI_DOMAIN;
    }

    /** The other per-user domain, e.g. {@code user/501} when heph works in {@code gui/501}. */
    public String domain() {
        return otherKind(s.domain()) + "/" + s.uid();
    }

    /**
     * The other domain's answer, one print (not cached: a mutating verb asks inside the lock, and a Heph may live
     * across several verbs). Never throws: a print that fails to run or hangs is "unknown".
     */
    public Answer ask() {
        String target = domain() + "/" + s.label();
        ExecResult r;
        try {
            r = launchctl.print(target);
        } catch (heph.proc.CommandTimeoutException e) { // hung: killed at the timeout (124)
            return new Answer(null, "`launchctl print " + target + "` did not answer within the timeout"
                    + " and was killed (124)");
        } catch (HephException e) { // could not run
            return new Answer(null, "`launchctl print " + target + "` failed: " + e.getMessage());
        }
        int code = r.exitCode();
        if (code == 113 || code == 112 || code == 125 || LaunchctlErrors.unrecognizedDomain(code, r.stderr())) {
            return new Answer(null, null);
        }
        if (!r.ok()) {
            return new Answer(null, "`launchctl print " + target + "` failed: " + (code > 128 && code < 160
                    ? "exit " + code + " (killed by signal " + (code - 128) + "?)" : code + ": "
                    + LaunchctlErrors.meaning(code)) + firstLine(r.stderr()));
        }
        if (!PrintInfo.fields(r.stdout()).containsKey("state")) {
            return new Answer(null, "`launchctl print " + target + "` answered 0 but printed no service block"
                    + firstLine(r.stdout()));
        }
        PrintInfo info = PrintInfo.parse(code, r.stdout(), r.stderr());
        return new Answer(new ServiceStatus.Elsewhere(domain(),
                info.running() && info.pid().isPresent() ? info.pid().getAsLong() : null), null);
    }

    /** ` ("first line")`, at most 80 characters of it, control characters replaced; "" for no text. */
    private static String firstLine(String text) {
        String t = text == null ? "" : text.strip().lines().findFirst().orElse("").replaceAll("\\p{Cntrl}", "?");
        return t.isEmpty() ? "" : " (\"" + (t.length() > 80 ? t.substring(0, 80) + "..." : t) + "\")";
    }

    /** Where the label is loaded in the other domain (its pid, null when not running), or empty (not loaded, or unknown). */
    public Optional<ServiceStatus.Elsewhere> probe() {
        return Optional.ofNullable(ask().loaded());
    }

    /**
     * Before {@code verb} (start, restart, stop, uninstall, or their dry run): refuses (exit 1, nothing changed)
     * while the label is loaded in the other domain, or when heph cannot tell. One exception: {@code stop} of a
     * label loaded in both domains unloads it here (that is how one gets back to one instance); the returned note
     * says the other copy stays (a dry run words it as what would happen). Empty when there is nothing to say.
     */
    public Optional<String> requireNotElsewhere(String verb) {
        return requireNotElsewhere(verb, false);
    }

    /** {@link #requireNotElsewhere(String)}; with {@code dryRun} the note of stop says what would happen. */
    public Optional<String> requireNotElsewhere(String verb, boolean dryRun) {
        Answer a = ask();
        if (a.unknown() != null) {
            throw HephException.failed("cannot tell whether " + s.label() + " is loaded in " + domain() + ": "
                    + a.unknown() + "; nothing changed (heph keeps one instance across " + Launchctl.domain(s)
                    + " and " + domain() + "); retry, or raise --timeout");
        }
        if (a.loaded() == null) {
            return Optional.empty();
        }
        ServiceStatus.Elsewhere seen = a.loaded();
        boolean loadedHere = launchctl.print(Launchctl.target(s)).ok();
        if (verb.equals("stop") && loadedHere) {
            String note = s.label() + " is loaded in " + Launchctl.domain(s) + " and in " + seen.domain() + pid(seen)
                    + (dryRun ? ": the stop would unload it in " : ": stopping it in ") + Launchctl.domain(s) + " only"
                    + (dryRun ? " (the copy in " + seen.domain() + " would stay)" : "");
            if (!dryRun) {
                s.say(note);
            }
            return Optional.of(note);
        }
        throw HephException.refused(refusal(seen, loadedHere));
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
