package heph.sim.race;

import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import java.time.Duration;
import java.util.List;

/**
 * The restart sequences other tools use (docs/facts/launchd-facts.md §10, docs/facts/hephd.md §6, anchors: home-manager), replayed call
 * for call with plain argv lists (not heph's library), so the benchmark compares sequences, not implementations:
 * <ul>
 * <li>naive: bootout; bootstrap at once.</li>
 * <li>Homebrew {@code brew services restart}: bootout; while {@code print} still finds the label: sleep 1 s and
 *     bootout again; then {@code enable} and one {@code bootstrap} (no retry). Bounded here at 60 s.</li>
 * <li>home-manager before macOS 26: bootout; {@code sleep 1}; one bootstrap.</li>
 * <li>the seed's Rust fix (hephaestus PR #13): bootout; poll {@code print} every 100 ms, at most 50 times (5 s);
 *     bootstrap, retried up to 5 times 200 ms apart. The 100 ms poll is the common Rust shape of
 *     {@code wait_until_unloaded}; the PR text only gives the 5 s bound.</li>
 * </ul>
 */
final class OtherRestarts {
    static final Duration HOMEBREW_MAX_WAIT = Duration.ofSeconds(60);

    private final ProcessRunner runner;
    private final String launchctl;
    private final Duration timeout;
    private final String domain;
    private final String target;
    private final String plist;

    OtherRestarts(ProcessRunner runner, String launchctl, Duration timeout, String domain, String label,
                  String plist) {
        this.runner = runner;
        this.launchctl = launchctl;
        this.timeout = timeout;
        this.domain = domain;
        this.target = domain + "/" + label;
        this.plist = plist;
    }

    /** bootout, then bootstrap at once: the race. */
    NaiveRestart.Attempt naive() {
        long start = System.nanoTime();
        int out = call("bootout", target).exitCode();
        return attempt(out, call("bootstrap", domain, plist), start);
    }

    NaiveRestart.Attempt homebrew() {
        long start = System.nanoTime();
        int out = call("bootout", target).exitCode();
        long deadline = start + HOMEBREW_MAX_WAIT.toNanos();
        while (call("print", target).exitCode() == 0 && System.nanoTime() < deadline) {
            sleep(1000);
            call("bootout", target);
        }
        call("enable", target);
        ExecResult in = call("bootstrap", domain, plist);
        return attempt(out, in, start);
    }

    NaiveRestart.Attempt homeManager() {
        long start = System.nanoTime();
        int out = call("bootout", target).exitCode();
        sleep(1000);
        return attempt(out, call("bootstrap", domain, plist), start);
    }

    NaiveRestart.Attempt rustFix() {
        long start = System.nanoTime();
        int out = call("bootout", target).exitCode();
        for (int i = 0; i < 50 && call("print", target).exitCode() == 0; i++) {
            sleep(100);
        }
        ExecResult in = call("bootstrap", domain, plist);
        for (int retry = 1; retry < 5 && in.exitCode() != 0; retry++) {
            sleep(200);
            in = call("bootstrap", domain, plist);
        }
        return attempt(out, in, start);
    }

    private ExecResult call(String... args) {
        List<String> argv = new java.util.ArrayList<>();
        argv.add(launchctl);
        argv.addAll(List.of(args));
        return runner.run(argv, timeout);
    }

    private static NaiveRestart.Attempt attempt(int bootout, ExecResult bootstrap, long start) {
        return new NaiveRestart.Attempt(bootout, bootstrap.exitCode(), bootstrap.stderr(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a restart sequence", e);
        }
    }
}
