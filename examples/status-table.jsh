// The status of hephd (and of any other labels named in HEPH_LABELS, comma-separated) as one table.
// Run: jshell --class-path "$(./jbang info classpath heph.java)" examples/status-table.jsh
// Exits 0 when every row could be read (running or not), else heph's exit code (2: a label is not valid).
import heph.Heph;
import heph.HephException;
import heph.HephOptions;
import java.nio.file.Path;

int code = 1; // stays 1 if anything below throws what it does not expect
try {
    var labels = System.getenv().getOrDefault("HEPH_LABELS", "org.hephaestus.hephd").split(",");
    System.out.println(String.format("%-28s %-9s %-16s %-8s %-6s %s", "name", "running", "state", "pid", "runs",
            "last exit"));
    int worst = 0;
    for (String label : labels) {
        try {
            var options = new HephOptions();
            options.label = label.strip();
            var st = Heph.create(options.toSettings(System.getenv(), Path.of("").toAbsolutePath())).status();
            String last = st.lastExitCode() != null ? st.lastExitCode() : st.lastSignal() != null ? st.lastSignal() : "-";
            System.out.println(String.format("%-28s %-9s %-16s %-8s %-6s %s", st.name(), st.running() ? "yes" : "no",
                    st.state() == null || st.state().isEmpty() ? "-" : st.state(), st.pid() == null ? "-" : st.pid(),
                    st.runs() == null ? "-" : st.runs(), last));
        } catch (HephException e) {
            System.out.println("heph: " + e.getMessage());
            worst = Math.max(worst, e.exitCode().code);
        }
    }
    code = worst;
} catch (HephException e) {
    System.out.println("heph: " + e.getMessage());
    code = e.exitCode().code;
}
/exit code
