package heph.sim;

import heph.proc.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** One Simulator per test in a temp folder, closed after each test; real daemons behind the real shim. */
public abstract class SimTestSupport {
    @TempDir
    public Path dir;
    public Simulator sim;
    public SimHarness h;

    public SimHarness start(SimOptions o) {
        sim = Simulator.start(o);
        h = new SimHarness(sim);
        return h;
    }

    public SimHarness start() {
        return start(SimOptions.in(dir).withCleanupLagMs(300, 300));
    }

    @AfterEach
    public void closeSim() {
        if (sim != null) {
            sim.close();
        }
    }

    public String noService(String label) {
        return "Could not find service \"" + label + "\" in domain for user gui: " + sim.uid() + "\n";
    }

    public static List<Object> outcome(ExecResult r) {
        return List.of(r.exitCode(), r.stdout(), r.stderr());
    }

    public static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
