// Restart hephd and wait until its socket accepts a connection (at most 10 s), then print one line.
// Run: jshell --class-path "$(./jbang info classpath heph.java)" examples/restart-and-wait-ready.jsh
// Reads the same HEPH_* variables as the CLI (HEPH_BACKEND, HEPH_LABEL, HEPH_DOMAIN, HEPH_LAUNCHCTL, ...).
// Exits as `heph restart --wait-ready` does: 0 restarted and ready, else heph's exit code (1 failed, 2 usage, ...).
import heph.Heph;
import heph.HephException;
import heph.HephOptions;
import java.nio.file.Path;
import java.time.Duration;

int code = 1; // stays 1 if anything below throws what it does not expect
try {
    var options = new HephOptions();
    options.readyTimeout = Duration.ofSeconds(10); // what `heph restart --wait-ready` does
    var heph = Heph.create(options.toSettings(System.getenv(), Path.of("").toAbsolutePath()));
    var outcome = heph.restart();
    var status = heph.status();
    System.out.println("restarted " + status.name() + " by " + outcome.path() + ": pid " + outcome.oldPid() + " -> "
            + outcome.newPid() + ", ready on " + status.socket());
    code = 0;
} catch (HephException e) {
    System.out.println("heph: " + e.getMessage());
    code = e.exitCode().code;
}
/exit code
