package heph.sim.race;

import java.util.List;

/**
 * One measured restart of the race experiment: heph's (start, kickstart, reload) or the naive
 * {@code bootout; bootstrap} of the broken tools.
 *
 * @param kind       start, kickstart, reload or naive
 * @param index      1-based within its kind
 * @param ok         heph: the call returned an outcome; naive: bootstrap exited 0
 * @param path       heph's path (start, kickstart, reload), or "bootout+bootstrap"
 * @param oldPid     the daemon's pid before, or null
 * @param newPid     the daemon's pid after (naive: after the uncounted recovery), or null
 * @param millis     heph: duration of the restart call; naive: duration of the two launchctl calls
 * @param waitedMs   heph: wait-until-unloaded; naive: 0
 * @param attempts   bootstrap attempts (naive: 1)
 * @param exitCode   naive: bootstrap's exit code; heph: 0, or heph's exit code on failure
 * @param error      the first line of the failure (heph's message, launchctl's stderr), or ""
 * @param interval   the --self-update-interval-secs this cycle asked for, or null (naive)
 * @param argv       the daemon's own argv from daemon.info after the cycle (empty when it did not answer)
 * @param argvOk     argv shows {@code interval} (naive: true)
 * @param flagsKept  argv still has the other baked flags
 * @param socketOk   the new daemon answered daemon.info on its socket
 * @param shutdownMs the shutdown time of the daemon that was stopped (the sample daemon's knob)
 * @param lagMs      the cleanup lag launchd kept the label for after the reap
 */
public record RaceCycle(String kind, int index, boolean ok, String path, Long oldPid, Long newPid, long millis,
                        long waitedMs, int attempts, int exitCode, String error, Long interval, List<String> argv,
                        boolean argvOk, boolean flagsKept, boolean socketOk, long shutdownMs, long lagMs) {
    public RaceCycle {
        argv = List.copyOf(argv);
        error = error == null ? "" : error;
    }

    /** The step as the table names it: "reload 3". */
    public String step() {
        return kind + " " + index;
    }

    /** Everything heph promises held: the restart worked, the new flag and the old ones are live, the socket answers. */
    public boolean healthy() {
        return ok && argvOk && flagsKept && socketOk;
    }

    /** The new daemon is a different process from the old one. */
    public boolean freshPid() {
        return newPid != null && !newPid.equals(oldPid);
    }
}
