package heph.launchd;

import heph.ExitCode;
import heph.HephException;
import heph.proc.ExecResult;
import heph.service.Outcome;
import heph.service.Settings;
import heph.time.Clock;
import java.time.Duration;

/**
 * bootout, then wait-until-unloaded, with {@code launchctl bootout --wait} where launchctl has it. macOS 26 lists
 * {@code --wait} in {@code launchctl help bootout} ("Waits for bootout to complete before returning … may block
 * indefinitely"); macOS 14/15 answer it with {@code Unrecognized target specifier.} + the bootout usage, exit 64,
 * having done nothing (docs/facts/launchd-facts.md §2, §13; real-launchctl err-05a/05b).
 *
 * <p>The probe is the call itself, once per heph run (one instance per backend): the first bootout of a run is
 * {@code bootout --wait}; a 64 answer means absent, and every later bootout of the run is plain. So a run makes no
 * failing {@code --wait} call where it exists and at most one where it does not, and no extra call in either case
 * ({@code launchctl help bootout} would cost one call on every OS). The {@code --wait} call is bounded by heph
 * itself: by the unload bound and by --timeout, whichever is shorter; if it does not answer in time it is killed and
 * heph falls back to polling (or, when launchd has not even started the teardown, reports the hung call, exit 124),
 * and does not use {@code --wait} again in that run. Either way {@code print} must answer 113 before anything is
 * bootstrapped: {@link #confirm} polls it, which after a returned {@code --wait} takes one call.
 */
public final class BootoutWait {
    /** Whether this launchctl has {@code bootout --wait}. */
    public enum Support { PRESENT, ABSENT, UNKNOWN }

    /** How the bootout went: {@code via} names the path, {@code waitMs} the time spent inside {@code --wait}. */
    public record Sent(String via, long waitMs) {
    }

    static final String VIA_WAIT = "bootout --wait";
    static final String VIA_POLL = "poll";
    static final String VIA_WAIT_TIMED_OUT = "bootout --wait timed out, then poll";

    private final Launchctl launchctl;
    private final LaunchdPrimitives primitives;
    private final Clock clock;
    private final Settings s;
    private Support support = Support.UNKNOWN; // until the first bootout of this run
    private int failedWaitCalls;
    private String lastVia;
    private int lastPolls;

    public BootoutWait(Launchctl launchctl, LaunchdPrimitives primitives, Clock clock, Settings s) {
        this.launchctl = launchctl;
        this.primitives = primitives;
        this.clock = clock;
        this.s = s;
    }

    /**
     * What one {@code bootout --wait} answer says about the option: 64 is launchctl's usage error (macOS 14/15 take
     * {@code --wait} for the target: {@code Unrecognized target specifier.}), so ABSENT; any other answer — 0, 3 (not
     * loaded), 36, or a real failure — came from a launchctl that parsed the option, so PRESENT.
     */
    public static Support fromWaitAnswer(ExecResult r) {
        return r.exitCode() == 64 ? Support.ABSENT : Support.PRESENT;
    }

    /** What this run learned so far (UNKNOWN: no bootout yet). */
    public Support support() {
        return support;
    }

    /** {@code bootout --wait} calls that answered 64 in this run (0 or 1). */
    public int failedWaitCalls() {
        return failedWaitCalls;
    }

    /**
     * Boots {@code target} out: {@code bootout --wait} where it exists, else plain {@code bootout}. Exit 3 (already
     * gone) and 36 (older macOS: still in progress) are fine; any other refusal fails with its meaning.
     */
    public Sent bootout(String target, Duration bound) {
        if (support != Support.ABSENT) {
            Duration callBound = bound.compareTo(s.commandTimeout()) < 0 ? bound : s.commandTimeout();
            long start = clock.millis();
            ExecResult r;
            try {
                r = launchctl.bootoutWait(target, callBound);
            } catch (HephException e) {
                if (e.exitCode() != ExitCode.TIMEOUT) {
                    throw e;
                }
                support = Support.ABSENT; // it hung once: never again in this run
                return timedOut(target, e, clock.millis() - start);
            }
            long took = clock.millis() - start;
            support = fromWaitAnswer(r);
            if (support == Support.ABSENT) { // macOS 14/15: `Unrecognized target specifier.` + usage (err-05a/05b)
                failedWaitCalls++;
            } else {
                accept(r);
                return new Sent(VIA_WAIT, took);
            }
        }
        accept(launchctl.bootout(target));
        return new Sent(VIA_POLL, 0);
    }

    /**
     * wait-until-unloaded after {@link #bootout}: polls {@code print} until 113 (one poll after a returned
     * {@code --wait}). The waited time includes the time inside {@code --wait}.
     */
    public LaunchdPrimitives.Waited confirm(Sent sent, String target, Duration bound) {
        LaunchdPrimitives.Waited w = primitives.waitUntilUnloaded(target, bound);
        lastVia = sent.via();
        lastPolls = w.polls();
        return new LaunchdPrimitives.Waited(w.millis() + sent.waitMs(), w.polls());
    }

    /**
     * The outcome with how this run waited for the unload, when it booted out: {@code unload_via}
     * ({@code bootout --wait}, {@code poll}, or {@code bootout --wait timed out, then poll}) and {@code print_polls}.
     */
    public Outcome annotate(Outcome o) {
        return lastVia == null ? o : o.with("unload_via", lastVia).with("print_polls", lastPolls);
    }

    /**
     * {@code bootout --wait} was killed at its bound. If launchd is tearing the job down (or is done), polling
     * takes over; if the job is still there untouched, launchctl never acted: the hung call is the error.
     */
    private Sent timedOut(String target, HephException e, long took) {
        PrintInfo info = launchctl.printInfo(target);
        if (info.loaded() && !info.draining()) {
            throw e;
        }
        s.say("launchctl bootout --wait did not return within " + took + " ms; polling launchctl print instead");
        return new Sent(VIA_WAIT_TIMED_OUT, took);
    }

    private void accept(ExecResult r) {
        if (!r.ok() && r.exitCode() != 3 && r.exitCode() != 36) {
            throw LaunchctlErrors.failure("bootout", r, s.label(), "");
        }
    }
}
