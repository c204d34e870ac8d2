package heph.sim.race;

import heph.proc.ZtExecRunner;
import heph.sim.Call;
import heph.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * heph's reload side by side with the restart sequences of other tools ({@link OtherRestarts}) and the naive
 * bootout + bootstrap, on one running {@link Simulator} with heph installed ({@link RaceExperiment#install}).
 * Every strategy gets a fresh {@link RaceExperiment} with the same seed, so its cycle i meets the same daemon
 * shutdown time and launchd cleanup lag as every other strategy's cycle i. Per restart it reads from the
 * simulator itself: the launchctl calls made, and when the label was dropped against when the bootstrap that
 * succeeded started (the lag).
 */
public final class StrategyBench {
    /** The strategies, in table order (heph first: the baseline of the ratios). */
    public enum Strategy {
        HEPH("heph"), NAIVE("naive"), HOMEBREW("Homebrew"), HOME_MANAGER("home-manager<26"), RUST_FIX("Rust fix");

        public final String title;

        Strategy(String title) {
            this.title = title;
        }
    }

    private final Simulator sim;
    private final long seed;
    private final OtherRestarts others;

    public StrategyBench(Simulator sim, long seed) {
        this.sim = sim;
        this.seed = seed;
        this.others = new OtherRestarts(new ZtExecRunner(), sim.launchctl().toString(), RaceExperiment.CALL_TIMEOUT,
                sim.domain(), RaceExperiment.LABEL, sim.launchAgents().resolve(RaceExperiment.LABEL + ".plist")
                .toString());
    }

    /** {@code cycles} restarts by {@code s}, each handed to {@code each} as it ends. */
    public List<StrategyRun> run(Strategy s, int cycles, Consumer<StrategyRun> each) {
        RaceExperiment x = new RaceExperiment(sim, RaceExperiment.Params.defaults(seed), msg -> { });
        x.kickstart(0); // one draw, so that cycle 1 stops a daemon with the same shutdown time for every strategy
        List<StrategyRun> runs = new ArrayList<>();
        for (int i = 1; i <= cycles; i++) {
            sim.clearCalls();
            long from = System.currentTimeMillis();
            RaceCycle c;
            List<Call> calls;
            if (s == Strategy.HEPH) {
                c = x.reload(i);
                calls = sim.calls();
                if (c.healthy() && !c.path().equals("reload")) {
                    c = failed(c, "took the " + c.path() + " path, expected reload");
                }
            } else {
                List<List<Call>> seen = new ArrayList<>();
                Supplier<NaiveRestart.Attempt> seq = sequence(s);
                c = x.foreign(s.title, i, () -> {
                    NaiveRestart.Attempt a = seq.get();
                    seen.add(sim.calls());
                    return a;
                });
                calls = seen.get(0);
            }
            boolean ok = s == Strategy.HEPH ? c.healthy() : c.ok();
            StrategyRun r = new StrategyRun(s.title, i, ok, c.millis(),
                    lagMs(calls, sim.labelRemovals(RaceExperiment.LABEL), from),
                    (int) calls.stream().filter(k -> k.tool().equals("launchctl")).count(), c.error());
            runs.add(r);
            each.accept(r);
        }
        return runs;
    }

    /**
     * From the label's last removal (at or after {@code from}) to the start of the first bootstrap that exited 0,
     * both as the simulator saw them; null when no bootstrap succeeded or the label was never dropped.
     */
    static Long lagMs(List<Call> calls, List<Long> removals, long from) {
        Call boot = calls.stream().filter(k -> k.tool().equals("launchctl") && k.verb().equals("bootstrap")
                && k.exitCode() == 0 && k.startMs() >= from).findFirst().orElse(null);
        if (boot == null) {
            return null;
        }
        return removals.stream().filter(t -> t >= from && t <= boot.startMs()).reduce((a, b) -> b)
                .map(t -> boot.startMs() - t).orElse(null);
    }

    private Supplier<NaiveRestart.Attempt> sequence(Strategy s) {
        return switch (s) {
            case NAIVE -> others::naive;
            case HOMEBREW -> others::homebrew;
            case HOME_MANAGER -> others::homeManager;
            case RUST_FIX -> others::rustFix;
            case HEPH -> throw new IllegalArgumentException("heph runs through its library");
        };
    }

    private static RaceCycle failed(RaceCycle c, String why) {
        return new RaceCycle(c.kind(), c.index(), false, c.path(), c.oldPid(), c.newPid(), c.millis(), c.waitedMs(),
                c.attempts(), c.exitCode(), why, c.interval(), c.argv(), c.argvOk(), c.flagsKept(), c.socketOk(),
                c.shutdownMs(), c.lagMs());
    }
}
