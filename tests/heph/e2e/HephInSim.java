package heph.e2e;

import heph.cli.Main;
import heph.json.Json;
import heph.sim.SimOptions;
import heph.sim.Simulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    /** The sample daemon's own view, over its unix socket (line-delimited JSON-RPC, heph-notes §4). */
    @SuppressWarnings("unchecked")
    Map<String, Object> daemonInfo() {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket()));
            ch.write(ByteBuffer.wrap("{\"id\":1,\"method\":\"daemon.info\"}\n".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            StringBuilder sb = new StringBuilder();
            while (sb.indexOf("\n") < 0 && ch.read(buf) > 0) {
                buf.flip();
                sb.append(StandardCharsets.UTF_8.decode(buf));
                buf.clear();
            }
            Map<String, Object> reply = (Map<String, Object>) Json.parse(sb.toString().strip());
            return (Map<String, Object>) reply.get("result");
        } catch (IOException e) {
            throw new AssertionError("the daemon's socket " + socket() + " does not answer: " + e, e);
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
