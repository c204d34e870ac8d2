package heph.service;

import heph.config.FlagOverrides;

/**
 * One service manager (launchd or systemd --user) driving hephd. Every verb is idempotent. The mutating verbs
 * expect the caller to hold the per-label lock ({@link heph.Heph} does).
 */
public interface Backend {
    String name();

    /** Installs and starts hephd with the baked flags plus {@code flags}; a no-op when already running unchanged. */
    Outcome start(FlagOverrides flags);

    /** Restarts hephd: in place when nothing changed, else reloads the new definition. Starts it when stopped. */
    Outcome restart(FlagOverrides flags);

    /** Stops hephd and returns only once the service manager has let go of it. "Already stopped" is success. */
    Outcome stop();

    /** Stops hephd and removes its plist/unit. Nothing installed is success. */
    Outcome uninstall();

    ServiceStatus status();

    /** {@link #status} without asking launchd's other per-user domain (heph's own checks that need only this one). */
    default ServiceStatus statusHere() {
        return status();
    }

    /**
     * Refuses (exit 1, nothing changed) when {@code verb} would make or act on a second instance of the label
     * (launchd: loaded in the other per-user domain, or that domain's answer unreadable); a no-op elsewhere. The
     * verbs check again inside the lock; this is for a caller that hands the work off first.
     */
    default void requireOneInstance(String verb) {
    }

    /**
     * What {@code action} (start, restart, stop or uninstall; {@code flags} for the first two) would do, decided as
     * the real verb decides, with nothing changed: no file written or moved aside, no state file, no mutating
     * launchctl/systemctl call (only {@code print}, {@code show}). Needs no lock. Validation is the real verb's.
     */
    heph.plan.DryRun dryRun(String action, FlagOverrides flags);
}
