package heph.cli;

import heph.service.ServiceStatus;
import java.io.PrintWriter;

/** `heph status` for humans: one "key: value" line per fact, in a fixed order. */
final class StatusText {
    private StatusText() {
    }

    static void print(ServiceStatus st, PrintWriter out) {
        line(out, "backend", st.backend());
        line(out, "service", st.name());
        line(out, "installed", st.installed() ? "yes" : "no");
        line(out, "loaded", st.loaded() ? "yes" : "no");
        if (st.otherDomain() != null) { // launchd: (also) loaded in the other per-user domain
            line(out, "other domain", st.otherDomain().domain() + (st.otherDomain().isUnknown() ? " unknown"
                    : st.otherDomain().pid() == null ? " (not running)" : " (pid " + st.otherDomain().pid() + ")"));
        }
        line(out, "state", st.state() == null ? null : st.state() + note(st));
        line(out, "pid", st.pid());
        line(out, "last exit code", st.lastExitCode());
        if (st.lastSignal() != null) {
            line(out, "last signal", st.lastSignal());
        }
        if (st.lastExitReason() != null) {
            line(out, "exit reason", st.lastExitReason());
        }
        line(out, "runs", st.runs());
        line(out, "program", st.program());
        line(out, "arguments", st.arguments().isEmpty() ? null : String.join(" ", st.arguments()));
        line(out, "file", st.file());
        line(out, "stdout log", st.stdoutLog());
        line(out, "stderr log", st.stderrLog());
        line(out, "socket", st.socket());
        if (st.hint() != null) {
            line(out, "hint", st.hint());
        }
    }

    /** " (crash loop: runs N, last exit code X)" or " (starting)" after the manager's own word, else "". */
    static String note(ServiceStatus st) {
        if (st.crashLoop()) {
            String end = st.lastExitCode() != null ? "last exit code " + st.lastExitCode()
                    : st.lastSignal() != null ? "last signal " + st.lastSignal()
                    : st.lastExitReason() != null ? "exit reason " + st.lastExitReason() : null;
            return " (crash loop" + (st.runs() == null ? "" : ": runs " + st.runs())
                    + (end == null ? "" : (st.runs() == null ? ": " : ", ") + end) + ")";
        }
        return st.starting() ? " (starting)" : "";
    }

    private static void line(PrintWriter out, String key, Object value) {
        out.printf("%-15s %s%n", key + ":", value == null ? "-" : value);
    }
}
