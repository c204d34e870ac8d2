// Restart hephd and wait until its socket accepts a connection (at most 10 s), then print one line.
// Run: jshell --class-path "$(./jbang info classpath heph.java)" examples/restart-and-wait-ready.jsh
// Reads the same HEPH_* variables as the CLI (HEPH_BACKEND, HEPH_LABEL, HEPH_DOMAIN, HEPH_LAUNCHCTL, ...).
import heph.Heph;
import heph.HephOptions;
import java.nio.file.Path;
import java.time.Duration;

var options = new HephOptions();
options.readyTimeout = Duration.ofSeconds(10); // what `heph restart --wait-ready` does
var heph = Heph.create(options.toSettings(System.getenv(), Path.of("").toAbsolutePath()));
var outcome = heph.restart();
var status = heph.status();
System.out.println("restarted " + status.name() + " by " + outcome.path() + ": pid " + outcome.oldPid() + " -> "
        + outcome.newPid() + ", ready on " + status.socket());
/exit
