package heph.e2e;

import heph.cli.Main;
import heph.json.Json;
import heph.sim.SimOptions;
import heph.sim.Simulator;
import heph.sim.daemon.DaemonRpc;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** heph's CLI, in-process, pointed at a launchd simulator: every launchctl call goes zt-exec → shim → sim. */
final class HephInSim implements AutoCloseable {
    record Run(int exit, String out, String err) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(out.strip());
        }
    }

    final Simulator sim;
    final Map<String, String> env = new HashMap<>();

    HephInSim(SimOptions options) {
        sim = Simulator.start(options);
        env.put("HOME", sim.home().toString());
        env.put("HEPH_BACKEND", "launchd");
        env.put("HEPH_LAUNCHCTL", sim.launchctl().toString());
        env.put("HEPH_HEPHD", sim.hephd().toString());
        env.put("PATH", "/usr/bin:/bin");
        env.put("HEPH_SETTLE", "300ms"); // the tests' daemons are up at once; the 1.5 s default is for real ones
    }

    Run heph(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err), env, sim.home(), false);
        return new Run(code, out.toString(), err.toString());
    }

    String target() {
        return sim.domain() + "/org.hephaestus.hephd";
    }

    Path plist() {
        return sim.launchAgents().resolve("org.hephaestus.hephd.plist");
    }

    Path socket() {
        return sim.home().resolve(".local/share/heph/hephd.sock");
    }

    /**
     * The sample daemon's own view, over its unix socket (line-delimited JSON-RPC, docs/facts/hephd.md §4), bounded. Polled:
     * one DaemonRpc call gives up at once while the socket does not exist yet (a daemon JVM still starting on a
     * loaded 2-core machine), which made this flaky right after `start`.
     */
    Map<String, Object> daemonInfo() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            var info = DaemonRpc.info(socket(), Duration.ofSeconds(5));
            if (info.isPresent()) {
                return info.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the daemon's socket " + socket() + " does not answer");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @SuppressWarnings("unchecked")
    List<String> daemonArgv() {
        return (List<String>) daemonInfo().get("argv");
    }

    List<String> verbs() {
        return sim.calls().stream().map(c -> c.verb()).toList();
    }

    long alive() {
        return sim.spawns("org.hephaestus.hephd").stream().filter(s -> s.alive()).count();
    }

    @Override
    public void close() {
        sim.close();
    }
}
