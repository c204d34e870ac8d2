package heph.sim;

import heph.sim.daemon.SampleDaemon;
import heph.sim.launchd.DisabledStore;
import heph.sim.launchd.LaunchdDomain;
import heph.sim.launchd.LaunchdSim;
import heph.sim.launchd.ServicePrinter;
import heph.sim.systemd.SystemdSim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A running launchd simulator: real daemon processes behind a real {@code launchctl} executable (a bash shim),
 * reachable through heph's own process runner. Layout under {@link SimOptions#dir()}: {@code bin/launchctl},
 * {@code bin/hephd} (runs {@link SampleDaemon}), {@code home/} (the HOME its jobs get), {@code state/} (persisted
 * disabled overrides, sample-daemon properties), {@code logs/}. Close it (idempotent; also a JVM shutdown hook)
 * to kill every process it started.
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.start(SimOptions.in(tempDir))) {
 *     runner.run(List.of(sim.launchctl().toString(), "print", sim.domain() + "/org.hephaestus.hephd"), timeout);
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {
    private final SimOptions options;
    private final int uid;
    private final Knobs knobs;
    private final Processes processes = new Processes();
    private final ScheduledExecutorService timers;
    private final Map<String, SimTool> tools = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final LaunchdDomain domain;
    private final LaunchdDomain userDomain; // user/<uid> (docs/facts/launchd-facts.md §13): usable without a GUI session
    private final SystemdSim systemd;
    private final SimServer server;
    private final Properties daemonProperties = new Properties();
    private final Thread shutdownHook = new Thread(this::close, "sim-shutdown");
    private boolean closed;

    private Simulator(SimOptions options) throws IOException {
        this.options = options;
        this.uid = currentUid();
        this.knobs = new Knobs(options);
        for (String d : List.of("bin", "home", "state", "logs")) {
            Files.createDirectories(options.dir().resolve(d));
        }
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(2, r -> {
            Thread th = new Thread(r, "sim-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timers = t;
        this.domain = new LaunchdDomain(processes, timers, knobs, home());
        this.userDomain = new LaunchdDomain(processes, timers, knobs, home());
        this.server = new SimServer(tools, calls::add);
        writeDaemonProperties();
        Shims.writeExecutable(hephd(), Shims.daemonWrapper(daemonPropertiesFile()));
        register(new LaunchdSim(uid, knobs, domain, userDomain, new DisabledStore(state(), uid), options));
        this.systemd = new SystemdSim(processes, timers, knobs, home(), options.dir());
        register(systemd);
        register(systemd.journalctl());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Creates the folder layout, starts listening and writes the shims. */
    public static Simulator start(SimOptions options) {
        try {
            return new Simulator(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the heph simulator in " + options.dir(), e);
        }
    }

    public SimOptions options() {
        return options;
    }

    public Path dir() {
        return options.dir();
    }

    public Path launchctl() {
        return bin("launchctl");
    }

    public Path hephd() {
        return bin("hephd");
    }

    /** The shim of a registered tool (bin/&lt;name&gt;). */
    public Path bin(String tool) {
        return dir().resolve("bin").resolve(tool);
    }

    /** The HOME the simulated jobs get; plists usually go to home/Library/LaunchAgents. */
    public Path home() {
        return dir().resolve("home");
    }

    public Path launchAgents() {
        return home().resolve("Library").resolve("LaunchAgents");
    }

    public Path state() {
        return dir().resolve("state");
    }

    public Path logs() {
        return dir().resolve("logs");
    }

    /** The real uid of this process; the simulated domain is gui/&lt;uid&gt;. */
    public int uid() {
        return uid;
    }

    public String domain() {
        return "gui/" + uid;
    }

    /** user/&lt;uid&gt;: the domain that works over ssh (docs/facts/launchd-facts.md §13), with jobs of its own. */
    public String userDomain() {
        return "user/" + uid;
    }

    /** The TCP port the shims talk to. */
    public int port() {
        return server.port();
    }

    /** Every shim invocation so far, in the order they finished. */
    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    public void clearCalls() {
        calls.clear();
    }

    public Knobs knobs() {
        return knobs;
    }

    /** Every process ever spawned for {@code label} (null: all labels), in start order. */
    public List<Spawn> spawns(String label) {
        return processes.spawns(label);
    }

    /** The pid of the label's live process (gui/&lt;uid&gt;, else user/&lt;uid&gt;), also while it is being booted out. */
    public OptionalLong runningPid(String label) {
        OptionalLong gui = domain.runningPid(label);
        return gui.isPresent() ? gui : userDomain.runningPid(label);
    }

    /** When launchd dropped {@code label} after each bootout (epoch ms, as {@link Call#startMs}), oldest first. */
    public List<Long> labelRemovals(String label) {
        List<Long> all = new ArrayList<>(domain.removals(label));
        all.addAll(userDomain.removals(label));
        all.sort(null);
        return all;
    }

    /** The {@code state = } value print would show (gui/&lt;uid&gt;, else user/&lt;uid&gt;), or empty when not registered. */
    public Optional<String> state(String label) {
        return domain.view(label).or(() -> userDomain.view(label)).map(ServicePrinter.View::state);
    }

    /** The systemctl fake behind bin/systemctl (docs/facts/launchd-facts.md §12): its knobs (no bus) and unit state. */
    public SystemdSim systemd() {
        return systemd;
    }

    /** Adds a simulated tool and writes its shim bin/&lt;name&gt;. */
    public synchronized void register(SimTool tool) {
        try {
            Shims.writeShim(bin(tool.name()), Shims.shim(tool.name(), port(), server.hello()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the shim for " + tool.name(), e);
        }
        tools.put(tool.name(), tool);
    }

    /** Used by simulated tools that start processes of their own (the systemctl fake). */
    Processes processes() {
        return processes;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    /** The properties file bin/hephd passes to {@link SampleDaemon}; read by each daemon when it starts. */
    public Path daemonPropertiesFile() {
        return state().resolve("sample-daemon.properties");
    }

    /** Sets one {@link SampleDaemon} knob (e.g. {@link SampleDaemon#SHUTDOWN_MS}); applies to daemons started later. */
    public synchronized void daemonProperty(String key, String value) {
        daemonProperties.setProperty(key, value);
        try {
            writeDaemonProperties();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + daemonPropertiesFile(), e);
        }
    }

    private void writeDaemonProperties() throws IOException {
        Path file = daemonPropertiesFile();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            daemonProperties.store(w, "heph simulator: knobs of heph.sim.daemon.SampleDaemon");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Kills every process the simulator started (whole process groups), stops listening. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        knobs.close();
        domain.close();
        userDomain.close();
        systemd.close();
        server.close();
        processes.closeAll();
        timers.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this is the hook running
        }
    }

    private static int currentUid() {
        try {
            return (int) new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("the launchd simulator needs a Unix system (no uid available)", e);
        }
    }
}
