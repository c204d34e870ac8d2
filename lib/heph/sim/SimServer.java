package heph.sim;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The simulator's TCP endpoint on 127.0.0.1 (ephemeral port). Request, NUL-separated: {@code HEPHSIM1:<secret>},
 * tool name, $PWD, argc, then argc arguments. The secret is random per simulator and only in the shims, which are
 * readable by their owner alone, so another local user cannot drive the simulator (it spawns processes). Reply, one line each: {@code E:<stderr line>} / {@code O:<stdout line>}
 * (lower-case {@code e:}/{@code o:} for a last line without newline), then {@code X:<exit code>}. One thread per
 * connection, so a hung verb blocks only its own shim.
 */
public final class SimServer implements AutoCloseable {
    static final String MAGIC = "HEPHSIM1";
    private final String secret = newSecret();
    private final ServerSocket server;
    private final Map<String, SimTool> tools;
    private final Consumer<Call> recorder;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sim-shim-call");
        t.setDaemon(true);
        return t;
    });

    SimServer(Map<String, SimTool> tools, Consumer<Call> recorder) throws IOException {
        this.tools = tools;
        this.recorder = recorder;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread acceptor = new Thread(this::acceptLoop, "sim-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** What a shim must send first: the protocol tag and this simulator's secret. */
    String hello() {
        return MAGIC + ":" + secret;
    }

    private static String newSecret() {
        byte[] b = new byte[16];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                workers.execute(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            if (!hello().equals(token(in))) {
                return;
            }
            String tool = token(in);
            String cwd = token(in);
            int argc = Integer.parseInt(token(in));
            List<String> argv = new ArrayList<>();
            for (int i = 0; i < argc; i++) {
                argv.add(token(in));
            }
            s.setSoTimeout(0);
            long start = System.currentTimeMillis();
            SimTool.Reply reply = dispatch(tool, argv, cwd);
            long end = System.currentTimeMillis();
            recorder.accept(new Call(tool, argv, cwd, reply.exitCode(), reply.stdout(), reply.stderr(), start, end));
            OutputStream out = s.getOutputStream();
            out.write(encode(reply).getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | RuntimeException e) {
            // the shim went away (killed on timeout) or sent garbage: nothing to answer
        }
    }

    private SimTool.Reply dispatch(String tool, List<String> argv, String cwd) {
        SimTool t = tools.get(tool);
        if (t == null) {
            return SimTool.Reply.err(1, tool + " (heph simulator): no simulated tool of that name is registered\n");
        }
        try {
            return t.handle(argv, cwd);
        } catch (RuntimeException e) {
            return SimTool.Reply.err(1, tool + " (heph simulator): internal error: " + e + "\n");
        }
    }

    /** Reads up to the next NUL; IOException at end of stream. */
    private static String token(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (int c = in.read(); c != 0; c = in.read()) {
            if (c < 0) {
                throw new IOException("request ended early");
            }
            buf.write(c);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    public static String encode(SimTool.Reply r) {
        StringBuilder sb = new StringBuilder();
        lines(sb, 'E', r.stderr());
        lines(sb, 'O', r.stdout());
        sb.append("X:").append(r.exitCode()).append('\n');
        return sb.toString();
    }

    private static void lines(StringBuilder sb, char tag, String text) {
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            if (nl < 0) {
                sb.append(Character.toLowerCase(tag)).append(':').append(text, from, text.length()).append('\n');
                return;
            }
            sb.append(tag).append(':').append(text, from, nl).append('\n');
            from = nl + 1;
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        workers.shutdownNow();
    }
}
