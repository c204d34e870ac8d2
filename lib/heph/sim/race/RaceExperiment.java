package heph.sim.race;

import heph.Heph;
import heph.HephException;
import heph.HephOptions;
import heph.config.FlagOverrides;
import heph.launchd.LaunchdPrimitives;
import heph.proc.ZtExecRunner;
import heph.service.Outcome;
import heph.service.Settings;
import heph.sim.SimOptions;
import heph.sim.Simulator;
import heph.sim.Spawn;
import heph.sim.daemon.DaemonRpc;
import heph.sim.daemon.SampleDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The bootout race, measured (docs/facts/launchd-facts.md §1 transitional row, §9, §10): heph's restarts through the library
 * against the naive {@code bootout; bootstrap}, on a running {@link Simulator}. Before every cycle one seeded
 * {@link Random} draws the cleanup lag launchd keeps the label for and the shutdown time of the daemon the cycle
 * starts (the sample daemon reads it when it starts, so a cycle stops a daemon whose shutdown time was drawn one
 * cycle earlier). Pure orchestration: the soak test, the benchmark and {@code heph demo} share it.
 * <pre>{@code
 * try (Simulator sim = Simulator.start(SimOptions.in(dir))) {
 *     RaceExperiment x = new RaceExperiment(sim, RaceExperiment.Params.defaults(7), msg -> { });
 *     x.install();
 *     RaceResult heph = x.run("reload", 30, c -> { });
 *     RaceResult naive = x.run("naive", 30, c -> { });
 * }
 * }</pre>
 */
public final class RaceExperiment {
    public static final String LABEL = Settings.DEFAULT_LABEL;
    public static final long FIRST_INTERVAL = 300;
    public static final long SECOND_INTERVAL = 600;
    public static final String INTERVAL_FLAG = "--self-update-interval-secs";
    /** Baked at install; every later restart must keep them (docs/facts/hephd.md §5: a bare restart never drops config). */
    public static final List<List<String>> KEPT_FLAGS = List.of(List.of("--self-update"),
            List.of("--hub-url", "http://127.0.0.1:9"), List.of("--oidc-client-id", "heph-race"));
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    static final Duration READY_BOUND = Duration.ofSeconds(20);

    /** Seed and ranges (ms, inclusive) of the daemon's shutdown time and launchd's cleanup lag. */
    public record Params(long seed, long shutdownMinMs, long shutdownMaxMs, long lagMinMs, long lagMaxMs) {
        public Params {
            if (shutdownMinMs < 0 || shutdownMaxMs < shutdownMinMs || lagMinMs < 0 || lagMaxMs < lagMinMs) {
                throw new IllegalArgumentException("race ranges: expected 0 <= min <= max for shutdown "
                        + shutdownMinMs + "-" + shutdownMaxMs + " ms and lag " + lagMinMs + "-" + lagMaxMs + " ms");
            }
        }

        /**
         * Shutdown 0–1500 ms and cleanup lag 300–3000 ms: the label then stays registered for 0.3–4.5 s after
         * bootout, the settle windows measured on real Macs (3–5 s, docs/facts/launchd-facts.md §9).
         */
        public static Params defaults(long seed) {
            return new Params(seed, 0, 1500, 300, 3000);
        }
    }

    private final Simulator sim;
    private final Params params;
    private final Random random;
    private final Heph heph;
    private final Path socket;
    private final NaiveRestart naive;
    private final String backend;
    private final String spawnLabel;
    private final Path unitPath;
    private long interval = FIRST_INTERVAL;
    private long runningShutdownMs;
    private long nextShutdownMs;

    public RaceExperiment(Simulator sim, Params params, Consumer<String> progress) {
        this(sim, params, progress, "launchd");
    }

    /**
     * @param backend "launchd" (the bootout race) or "systemd" (the systemctl fake; its naive cycle is the Linux
     *                pitfall: edit the unit and {@code systemctl --user restart} without {@code daemon-reload})
     */
    public RaceExperiment(Simulator sim, Params params, Consumer<String> progress, String backend) {
        this.sim = sim;
        this.params = params;
        this.backend = backend;
        this.random = new Random(params.seed());
        HephOptions o = new HephOptions();
        o.progress = progress;
        o.commandTimeout = CALL_TIMEOUT;
        Settings settings = o.toSettings(env(sim, backend), sim.dir());
        this.spawnLabel = backend.equals("systemd") ? settings.unit() : LABEL;
        this.unitPath = settings.unitPath();
        this.heph = Heph.create(settings);
        this.socket = Path.of(settings.defaultSocket());
        this.naive = new NaiveRestart(new ZtExecRunner(), sim.launchctl().toString(), CALL_TIMEOUT, sim.domain(),
                LABEL, settings.plistPath().toString());
    }

    /** The environment heph runs with against {@code sim} (as a shell user would export it). */
    public static Map<String, String> env(Simulator sim) {
        return env(sim, "launchd");
    }

    /** The same for {@code backend}: systemd adds HEPH_SYSTEMCTL and the fake's XDG_RUNTIME_DIR. */
    public static Map<String, String> env(Simulator sim, String backend) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", sim.home().toString());
        env.put("HEPH_BACKEND", backend);
        env.put("HEPH_LAUNCHCTL", sim.launchctl().toString());
        env.put("HEPH_SYSTEMCTL", sim.bin("systemctl").toString());
        env.put("HEPH_HEPHD", sim.hephd().toString());
        env.put("PATH", "/usr/bin:/bin");
        if (backend.equals("systemd")) {
            env.put("XDG_RUNTIME_DIR", sim.systemd().runtimeDir().toString());
        }
        return env;
    }

    /** The path heph takes for a bare restart: kickstart on launchd, a plain restart on systemd. */
    public String inPlacePath() {
        return backend.equals("systemd") ? "restart" : "kickstart";
    }

    /** heph start with the interval {@value #FIRST_INTERVAL} and {@link #KEPT_FLAGS} baked. */
    public RaceCycle install() {
        FlagOverrides flags = FlagOverrides.builder(sim.dir()).selfUpdate(true)
                .selfUpdateIntervalSecs(Long.toString(interval)).hubUrl(KEPT_FLAGS.get(1).get(1))
                .oidcClientId(KEPT_FLAGS.get(2).get(1)).build();
        return viaHeph("start", 1, flags);
    }

    /** A bare heph restart: the plist is unchanged, so heph takes the kickstart -k path. */
    public RaceCycle kickstart(int index) {
        return viaHeph(inPlacePath(), index, FlagOverrides.none());
    }

    /** heph restart with the other interval (300 ↔ 600): the plist changes, so heph takes the reload path. */
    public RaceCycle reload(int index) {
        interval = interval == FIRST_INTERVAL ? SECOND_INTERVAL : FIRST_INTERVAL;
        return viaHeph("reload", index, FlagOverrides.builder(sim.dir())
                .selfUpdateIntervalSecs(Long.toString(interval)).build());
    }

    /** The naive bootout + bootstrap; a failure is recovered (not counted) so the next cycle finds the job loaded. */
    public RaceCycle naive(int index) {
        if (backend.equals("systemd")) {
            return naiveSystemd(index);
        }
        long lag = randomize();
        long stopped = runningShutdownMs;
        Long oldPid = runningPid();
        NaiveRestart.Attempt a = naive.run();
        if (!a.ok()) {
            naive.recover(LaunchdPrimitives.unloadBound(sim.options().defaultExitTimeOutSec()));
        }
        runningShutdownMs = nextShutdownMs;
        Long newPid = awaitNewPid(oldPid);
        String error = a.ok() ? "" : a.bootoutCode() != 0 ? "bootout exit " + a.bootoutCode() : a.firstLine();
        return observed("naive", index, a.ok(), "bootout+bootstrap", oldPid, newPid, a.millis(), 0, 1,
                a.bootstrapCode(), error, null, stopped, lag);
    }

    /**
     * One restart by another tool's sequence (docs/facts/launchd-facts.md §10), measured like {@link #naive}: a failure is
     * recovered with heph's primitives (not counted) so the next cycle finds the job loaded and running.
     */
    RaceCycle foreign(String kind, int index, java.util.function.Supplier<NaiveRestart.Attempt> sequence) {
        long lag = randomize();
        long stopped = runningShutdownMs;
        Long oldPid = runningPid();
        NaiveRestart.Attempt a = sequence.get();
        if (!a.ok()) {
            naive.recover(LaunchdPrimitives.unloadBound(sim.options().defaultExitTimeOutSec()));
        }
        runningShutdownMs = nextShutdownMs;
        Long newPid = awaitNewPid(oldPid);
        String error = a.ok() ? "" : a.bootoutCode() != 0 ? "bootout exit " + a.bootoutCode() : a.firstLine();
        return observed(kind, index, a.ok(), kind, oldPid, newPid, a.millis(), 0, 1, a.bootstrapCode(), error, null,
                stopped, lag);
    }

    /**
     * The Linux pitfall (docs/facts/launchd-facts.md §12): the unit file is edited to the other interval, then
     * {@code systemctl --user restart} runs without {@code daemon-reload}: systemd warns and restarts the OLD
     * definition, so the new flag is not live. ok = the daemon's argv shows the new interval.
     */
    private RaceCycle naiveSystemd(int index) {
        long lag = randomize();
        long stopped = runningShutdownMs;
        Long oldPid = runningPid();
        long wanted = interval == FIRST_INTERVAL ? SECOND_INTERVAL : FIRST_INTERVAL;
        long start = System.nanoTime();
        String error;
        int code;
        try {
            String unit = java.nio.file.Files.readString(unitPath);
            java.nio.file.Files.writeString(unitPath, unit.replace(INTERVAL_FLAG + " " + interval,
                    INTERVAL_FLAG + " " + wanted));
            heph.proc.ExecResult r = new ZtExecRunner().run(List.of(sim.bin("systemctl").toString(), "--user",
                    "restart", "heph.service"), CALL_TIMEOUT);
            code = r.exitCode();
            error = r.firstErrorLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        runningShutdownMs = nextShutdownMs;
        RaceCycle seen = observed("naive", index, code == 0, "edit+restart", oldPid, awaitNewPid(oldPid), ms, 0, 1,
                code, error, wanted, stopped, lag);
        return new RaceCycle(seen.kind(), seen.index(), seen.ok() && seen.argvOk(), seen.path(), seen.oldPid(),
                seen.newPid(), seen.millis(), 0, 1, code, seen.argvOk() ? error : "still runs the old definition: "
                + error, null, seen.argv(), true, seen.flagsKept(), seen.socketOk(), stopped, lag);
    }

    /** {@code n} cycles of {@code kind} (kickstart, reload or naive), each handed to {@code each} as it ends. */
    public RaceResult run(String kind, int n, Consumer<RaceCycle> each) {
        List<RaceCycle> cycles = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            RaceCycle c = switch (kind) {
                case "kickstart" -> kickstart(i);
                case "reload" -> reload(i);
                case "naive" -> naive(i);
                default -> throw new IllegalArgumentException("race cycle kind '" + kind
                        + "': expected kickstart, reload or naive");
            };
            cycles.add(c);
            each.accept(c);
        }
        return new RaceResult(kind, cycles);
    }

    /** Every pair of the label's daemons that were alive at the same time (should be none), described. */
    public List<String> overlaps() {
        List<Spawn> s = sim.spawns(spawnLabel);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            for (int j = i + 1; j < s.size(); j++) {
                if (s.get(i).overlaps(s.get(j))) {
                    out.add("pid " + s.get(i).pid() + " and pid " + s.get(j).pid());
                }
            }
        }
        return out;
    }

    /** The interval the last heph cycle asked for. */
    public long interval() {
        return interval;
    }

    public Heph heph() {
        return heph;
    }

    private RaceCycle viaHeph(String kind, int index, FlagOverrides flags) {
        long lag = randomize();
        long stopped = runningShutdownMs;
        Long oldPid = runningPid();
        long start = System.nanoTime();
        try {
            Outcome o = kind.equals("start") ? heph.start(flags) : heph.restart(flags);
            long ms = (System.nanoTime() - start) / 1_000_000;
            runningShutdownMs = nextShutdownMs;
            return observed(kind, index, true, o.path(), o.oldPid(), o.newPid(), ms, o.waitedMs(), o.attempts(), 0,
                    "", interval, stopped, lag);
        } catch (HephException e) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            runningShutdownMs = nextShutdownMs;
            return observed(kind, index, false, "-", oldPid, runningPid(), ms, 0, 0, e.exitCode().code,
                    e.getMessage(), interval, stopped, lag);
        }
    }

    /** Asks the new daemon for its argv over its socket and checks the flags. */
    private RaceCycle observed(String kind, int index, boolean ok, String path, Long oldPid, Long newPid, long ms,
                               long waitedMs, int attempts, int exitCode, String error, Long wanted, long stopped,
                               long lag) {
        Optional<Map<String, Object>> info = newPid == null ? Optional.empty()
                : DaemonRpc.awaitPid(socket, newPid, READY_BOUND);
        List<String> argv = info.map(m -> m.get("argv") instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : List.<String>of()).orElse(List.of());
        boolean argvOk = wanted == null || hasFlag(argv, List.of(INTERVAL_FLAG, wanted.toString()));
        boolean kept = KEPT_FLAGS.stream().allMatch(f -> hasFlag(argv, f));
        return new RaceCycle(kind, index, ok, path, oldPid, newPid, ms, waitedMs, attempts, exitCode, error, wanted,
                argv, argvOk, kept, info.isPresent(), stopped, lag);
    }

    /** Whether {@code flag} (a flag and maybe its value) appears in argv as consecutive elements. */
    static boolean hasFlag(List<String> argv, List<String> flag) {
        return java.util.Collections.indexOfSubList(argv, flag) >= 0;
    }

    /** Draws this cycle's cleanup lag (set now) and the shutdown time of the daemon it starts (set for the next). */
    private long randomize() {
        long lag = between(params.lagMinMs(), params.lagMaxMs());
        sim.knobs().cleanupLagMs(lag, lag);
        nextShutdownMs = between(params.shutdownMinMs(), params.shutdownMaxMs());
        sim.daemonProperty(SampleDaemon.SHUTDOWN_MS, Long.toString(nextShutdownMs));
        return lag;
    }

    private long between(long min, long max) {
        return min + (max == min ? 0 : (long) (random.nextDouble() * (max - min + 1)));
    }

    private Long runningPid() {
        OptionalLong p = backend.equals("systemd") ? sim.systemd().mainPid(spawnLabel) : sim.runningPid(spawnLabel);
        return p.isPresent() ? p.getAsLong() : null;
    }

    private Long awaitNewPid(Long oldPid) {
        long deadline = System.nanoTime() + READY_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            Long p = runningPid();
            if (p != null && !p.equals(oldPid)) {
                return p;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return null;
    }
}
