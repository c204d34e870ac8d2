package heph.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.dd.plist.NSDictionary;
import heph.cli.Main;
import heph.json.Json;
import heph.launchd.plist.LaunchdPlist;
import heph.sim.Call;
import heph.sim.SimOptions;
import heph.sim.Simulator;
import heph.sim.Spawn;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One launchd simulator plus heph run against it, in-process ({@link #heph}) or as separate JVMs ({@link #launch}),
 * for the fault-injection suite. {@link #close} kills everything the test started: heph processes (with their
 * launchctl shims), detached hand-off hephs, the simulator's daemons, and any process whose command line names the
 * simulator's folder; then it checks that none is left.
 */
final class FaultHarness implements AutoCloseable {
    static final String LABEL = "org.hephaestus.hephd";
    /** JVM flags for the separate heph processes: quick start on a small box. */
    static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    final Simulator sim;
    private final List<Process> launched = new CopyOnWriteArrayList<>();
    private final List<Long> extraPids = new CopyOnWriteArrayList<>();
    private int runs;

    FaultHarness(SimOptions options) {
        this.sim = Simulator.start(options);
    }

    /** The environment heph gets: HOME, backend, launchctl and hephd of the simulator. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", sim.home().toString());
        env.put("HEPH_BACKEND", "launchd");
        env.put("HEPH_LAUNCHCTL", sim.launchctl().toString());
        env.put("HEPH_HEPHD", sim.hephd().toString());
        env.put("HEPH_SETTLE", "300ms"); // the tests' daemons are up at once; the 1.5 s default is for real ones
        env.put("PATH", "/usr/bin:/bin");
        return env;
    }

    /** What one heph run printed and returned. */
    record Run(int code, String out, String err, long millis) {
        /** stdout as the JSON object --json prints. */
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(out.strip());
        }

        long number(String key) {
            return ((Number) json().get(key)).longValue();
        }

        @Override
        public String toString() {
            return "exit " + code + " after " + millis + " ms\nstdout: " + out + "\nstderr: " + err;
        }
    }

    /** heph in this JVM (signals not deferred: the test runner's JVM must keep its own handlers). */
    Run heph(String... args) {
        return heph(env(), args);
    }

    /** heph with its default settle (HEPH_SETTLE unset), as users run it. */
    Run hephWithDefaultSettle(String... args) {
        Map<String, String> env = env();
        env.remove("HEPH_SETTLE");
        return heph(env, args);
    }

    Run heph(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err), env, sim.home(), false);
        return new Run(code, out.toString(), err.toString(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** A heph process started as {@code java -cp <this classpath> heph.cli.Main args}. */
    final class HephProcess {
        final Process process;
        final long startedNanos = System.nanoTime();
        private final Path out;
        private final Path err;

        private HephProcess(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        long pid() {
            return process.pid();
        }

        /** Waits (bounded) for the exit and returns what it printed. */
        Run await(Duration max) {
            try {
                if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                    fail("heph pid " + pid() + " did not exit within " + max.toMillis() + " ms; stderr so far:\n"
                            + read(err));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for heph pid " + pid());
            }
            return new Run(process.exitValue(), read(out), read(err), (System.nanoTime() - startedNanos) / 1_000_000);
        }

        /** SIGKILL, as a crash or `kill -9` would (its launchctl child, if any, lives on as an orphan). */
        void kill9() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void signal(String name) {
            FaultHarness.signal(name, pid());
        }
    }

    HephProcess launch(String... args) {
        return launch(env(), List.of(), args);
    }

    /** heph as the leader of a process group of its own (setsid), so a test can signal the group like a terminal. */
    HephProcess launchInOwnGroup(String... args) {
        return launch(env(), List.of("/usr/bin/setsid"), args);
    }

    HephProcess launch(Map<String, String> env, String... args) {
        return launch(env, List.of(), args);
    }

    /** Starts heph as its own JVM with {@code env}; stdout and stderr go to files in the simulator's folder. */
    private HephProcess launch(Map<String, String> env, List<String> prefix, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(QUICK_JVM);
        cmd.add("-Dheph.faults.sim=" + sim.dir()); // a mark in the command line, for the final sweep
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        int n;
        synchronized (this) {
            n = ++runs;
        }
        Path out = sim.dir().resolve("heph-" + n + ".out");
        Path err = sim.dir().resolve("heph-" + n + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(sim.home().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            launched.add(p);
            return new HephProcess(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start heph", e);
        }
    }

    /** A process this test caused but did not start itself (a detached hand-off heph): killed on close. */
    void adopt(long pid) {
        extraPids.add(pid);
    }

    /** kill -s NAME pid; a negative pid names a process group. */
    static void signal(String name, long pid) {
        try {
            Process k = new ProcessBuilder("kill", "-s", name, "--", Long.toString(pid)).inheritIO().start();
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                fail("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- what the simulator saw -------------------------------------------------------------------------------

    List<Spawn> spawns() {
        return sim.spawns(LABEL);
    }

    long alive() {
        return spawns().stream().filter(Spawn::alive).count();
    }

    /** Never two daemons at once: no two spawns of the label overlap in time. */
    void assertNeverTwoAtOnce() {
        List<Spawn> s = spawns();
        for (int i = 0; i < s.size(); i++) {
            for (int j = i + 1; j < s.size(); j++) {
                assertFalse(s.get(i).overlaps(s.get(j)), "two daemons alive at once: " + s.get(i) + " and " + s.get(j));
            }
        }
    }

    /** The one live daemon; fails unless exactly one is alive. */
    Spawn theDaemon() {
        List<Spawn> live = spawns().stream().filter(Spawn::alive).toList();
        assertEquals(1, live.size(), "live daemons: " + live);
        return live.get(0);
    }

    /**
     * Waits (bounded) until the live daemon answers on its socket. A daemon binds its socket after its signal
     * handling is set up, so only then does a knob like "ignore SIGTERM" hold; "running" in launchd's sense comes
     * first, and on a loaded machine the JVM may take seconds from one to the other.
     */
    Map<String, Object> awaitAnswering() {
        java.nio.file.Path socket = sim.home().resolve(".local/share/heph/hephd.sock");
        return awaitValue("the daemon answering on " + socket,
                () -> heph.sim.daemon.DaemonRpc.info(socket, Duration.ofSeconds(5)), Duration.ofSeconds(60));
    }

    List<String> verbs() {
        return sim.calls().stream().map(Call::verb).toList();
    }

    boolean called(String verb) {
        return sim.calls().stream().anyMatch(c -> c.verb().equals(verb));
    }

    /** Live launchctl shim processes (bash running bin/launchctl). */
    List<ProcessHandle> shims() {
        String shim = sim.launchctl().toString();
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(shim)).toList();
    }

    /** Waits (bounded) until no launchctl shim is running, e.g. the orphan of a killed heph. */
    void awaitNoShims() {
        await("no launchctl shim running", () -> shims().isEmpty(), Duration.ofSeconds(15));
    }

    /** Waits (bounded) until the label is registered and not draining, or not registered at all. */
    void awaitSettled() {
        await("label settled", () -> {
            String st = sim.state(LABEL).orElse("gone");
            return !st.equals("SIGTERMed") && !st.equals("SIGKILLed");
        }, Duration.ofSeconds(20));
    }

    // ---- files --------------------------------------------------------------------------------------------------

    Path plistPath() {
        return sim.launchAgents().resolve(LABEL + ".plist");
    }

    /** The installed plist, parsed (fails the test if it does not parse). */
    NSDictionary plist() {
        return LaunchdPlist.read(plistPath());
    }

    List<String> plistArgs() {
        return LaunchdPlist.programArguments(plist());
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void await(String what, BooleanSupplier condition, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("gave up after " + max.toMillis() + " ms waiting for: " + what);
            }
            sleep(20);
        }
    }

    /** Polls {@code value} until it is present (bounded) and returns it. */
    static <T> T awaitValue(String what, Supplier<Optional<T>> value, Duration max) {
        AtomicReference<T> seen = new AtomicReference<>();
        await(what, () -> {
            value.get().ifPresent(seen::set);
            return seen.get() != null;
        }, max);
        return seen.get();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** Kills what the test started and checks that nothing of it is left. */
    @Override
    public void close() {
        for (Process p : launched) {
            killTree(p.toHandle());
        }
        for (long pid : extraPids) {
            ProcessHandle.of(pid).ifPresent(FaultHarness::killTree);
        }
        sim.close();
        String mark = sim.dir().toString();
        List<ProcessHandle> left = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        do {
            left = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains(mark)).toList();
            left.forEach(FaultHarness::killTree);
            if (!left.isEmpty()) {
                sleep(50);
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        assertEquals(List.of(), left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList(),
                "processes left behind");
    }

    static void killTree(ProcessHandle root) {
        List<ProcessHandle> tree = root.descendants().toList();
        root.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
