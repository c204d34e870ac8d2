package heph.sim.race;

/**
 * One restart of one strategy in the strategies benchmark.
 *
 * @param strategy the strategy's title ("heph", "Homebrew", ...)
 * @param index    1-based cycle number (cycle i of every strategy meets the same shutdown time and cleanup lag)
 * @param ok       the restart worked (heph: healthy reload; others: their last bootstrap exited 0)
 * @param millis   wall time of the strategy's own calls and sleeps (heph: the whole restart call)
 * @param lagMs    from the simulator dropping the label to the start of the bootstrap that succeeded, or null
 *                 when none did within the strategy's own sequence
 * @param calls    launchctl calls the strategy made for this restart (before any uncounted recovery)
 * @param error    the first line of the failure, or ""
 */
public record StrategyRun(String strategy, int index, boolean ok, long millis, Long lagMs, int calls, String error) {
    public StrategyRun {
        error = error == null ? "" : error;
    }
}
