package heph.sim.daemon;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * hephd's command line as the sample daemon reads it (docs/facts/hephd.md §3, §4). Pure. Flags take {@code --f v} or
 * {@code --f=v}; unknown flags are ignored. Paths: --socket, else $HEPH_SOCKET, else
 * $XDG_RUNTIME_DIR/heph/hephd.sock, else $HOME/.local/share/heph/hephd.sock; --db, else $HEPH_DB, else
 * $HOME/.local/share/heph/heph.db.
 */
record DaemonArgs(List<String> argv, String mode, Path db, Path socket, boolean selfUpdate, boolean version) {
    private static final Set<String> WITH_VALUE = Set.of("--mode", "--db", "--socket", "--hub-url", "--http-addr",
            "--web-root", "--owner-id", "--oidc-issuer", "--oidc-audience", "--oidc-client-id", "--authorized-sub",
            "--token-file", "--token-load-cmd", "--token-save-cmd", "--self-update-interval-secs");

    DaemonArgs {
        argv = List.copyOf(argv);
    }

    static DaemonArgs parse(List<String> argv, Map<String, String> env) {
        String mode = "local";
        String db = null;
        String socket = null;
        boolean selfUpdate = false;
        boolean version = false;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value = null;
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (WITH_VALUE.contains(a) && i + 1 < argv.size()) {
                value = argv.get(++i);
            }
            switch (flag) {
                case "--mode" -> mode = value;
                case "--db" -> db = value;
                case "--socket" -> socket = value;
                case "--self-update" -> selfUpdate = true;
                case "--version" -> version = true;
                default -> { } // every other hephd flag is accepted and ignored
            }
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        Path data = Path.of(home, ".local", "share", "heph");
        Path dbPath = db != null ? Path.of(db) : env.containsKey("HEPH_DB") ? Path.of(env.get("HEPH_DB"))
                : data.resolve("heph.db");
        Path socketPath;
        if (socket != null) {
            socketPath = Path.of(socket);
        } else if (env.containsKey("HEPH_SOCKET")) {
            socketPath = Path.of(env.get("HEPH_SOCKET"));
        } else if (env.get("XDG_RUNTIME_DIR") != null && !env.get("XDG_RUNTIME_DIR").isEmpty()) {
            socketPath = Path.of(env.get("XDG_RUNTIME_DIR"), "heph", "hephd.sock");
        } else {
            socketPath = data.resolve("hephd.sock");
        }
        return new DaemonArgs(argv, mode, dbPath, socketPath, selfUpdate, version);
    }
}
