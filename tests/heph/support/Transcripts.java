package heph.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `launchctl print` answers shaped like docs/facts/launchd-facts.md §3, for scripted runners. */
public final class Transcripts {
    private Transcripts() {
    }

    public static String notFound(String label, int uid) {
        return "Could not find service \"" + label + "\" in domain for user gui: " + uid + "\n";
    }

    public static String job(String label, int uid, String state, Long pid, String... argv) {
        return print(label, uid).state(state).pid(pid).argv(argv).text();
    }

    /** A print answer with every field settable; defaults as {@link #job} renders them. */
    public static Print print(String label, int uid) {
        return new Print(label, uid);
    }

    /** A `launchctl print gui/<uid>/<label>` text, tab-indented like real captures (print-07). */
    public static final class Print {
        private final String label;
        private final int uid;
        private String path;
        private String state = "running";
        private Long pid;
        private long runs = 1;
        private List<String> argv = List.of("/bin/hephd");
        private Map<String, String> env = defaultEnv();
        private boolean envShown = true;
        private String lastExit = "(never exited)";
        private String signal;
        private int exitTimeout = 5;
        private final List<String> more = new ArrayList<>();

        /** A variable named like a field: a parser that reads nested blocks as fields would take it for the pid. */
        private static Map<String, String> defaultEnv() {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("pid", "999999");
            e.put("HEPH_QUICKADD", "1");
            return e;
        }

        private Print(String label, int uid) {
            this.label = label;
            this.uid = uid;
            this.path = "/Users/u/Library/LaunchAgents/" + label + ".plist";
        }

        public Print path(String p) {
            path = p;
            return this;
        }

        public Print state(String s) {
            state = s;
            return this;
        }

        public Print pid(Long p) {
            pid = p;
            return this;
        }

        public Print runs(long n) {
            runs = n;
            return this;
        }

        public Print argv(String... a) {
            argv = List.of(a);
            return this;
        }

        public Print argv(List<String> a) {
            argv = List.copyOf(a);
            return this;
        }

        /** The plist's variables (launchd's own XPC_SERVICE_NAME is always added, as real print shows). */
        public Print env(Map<String, String> e) {
            env = new LinkedHashMap<>(e);
            return this;
        }

        public Print noEnvironmentBlock() {
            envShown = false;
            return this;
        }

        public Print lastExit(String code) {
            lastExit = code;
            return this;
        }

        public Print signal(String s) {
            signal = s;
            return this;
        }

        public Print exitTimeout(int secs) {
            exitTimeout = secs;
            return this;
        }

        /** Another top-level line, e.g. {@code stdout path = /x}. */
        public Print line(String l) {
            more.add(l);
            return this;
        }

        public String text() {
            StringBuilder sb = new StringBuilder();
            sb.append("gui/").append(uid).append('/').append(label).append(" = {\n");
            sb.append("\tactive count = ").append(pid == null ? 0 : 1).append('\n');
            if (path != null) {
                sb.append("\tpath = ").append(path).append('\n');
            }
            sb.append("\ttype = LaunchAgent\n");
            sb.append("\tstate = ").append(state).append("\n\n");
            sb.append("\tprogram = ").append(argv.get(0)).append('\n');
            sb.append("\targuments = {\n");
            for (String a : argv) {
                sb.append("\t\t").append(a).append('\n');
            }
            sb.append("\t}\n\n");
            more.forEach(l -> sb.append('\t').append(l).append('\n'));
            sb.append("\tdefault environment = {\n\t\tPATH => /usr/bin:/bin:/usr/sbin:/sbin\n\t}\n\n");
            if (envShown) {
                sb.append("\tenvironment = {\n");
                env.forEach((k, v) -> sb.append("\t\t").append(k).append(" => ").append(v).append('\n'));
                sb.append("\t\tXPC_SERVICE_NAME => ").append(label).append('\n');
                sb.append("\t}\n\n");
            }
            sb.append("\texit timeout = ").append(exitTimeout).append('\n');
            sb.append("\truns = ").append(runs).append('\n');
            if (pid != null) {
                sb.append("\tpid = ").append(pid).append('\n');
            }
            sb.append("\tlast exit code = ").append(lastExit).append('\n');
            if (signal != null) {
                sb.append("\tlast terminating signal = ").append(signal).append('\n');
            }
            sb.append("\tproperties = keepalive | runatload | inferred program\n");
            sb.append("}\n");
            return sb.toString();
        }
    }
}
