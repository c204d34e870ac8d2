package heph.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import heph.cli.Main;
import heph.json.Json;
import heph.sim.Call;
import heph.sim.SimOptions;
import heph.sim.Simulator;
import heph.sim.daemon.DaemonRpc;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * heph's systemd backend against the simulator's systemctl fake (abstract: no tests of its own). heph runs
 * in-process through {@link Main#execute} with HEPH_BACKEND=systemd, HEPH_SYSTEMCTL=bin/systemctl, HOME=the sim's
 * home and XDG_RUNTIME_DIR=a temp dir that the fake's user manager also gives its services, so heph and hephd
 * agree on $XDG_RUNTIME_DIR/heph/hephd.sock. Every systemctl call is a real process (bash shim) and every hephd a
 * real JVM; the simulator kills them all after each test.
 */
abstract class SystemdHephBaseTest {
    static final String UNIT = "heph.service";

    /** One heph run: exit code, stdout, stderr. */
    record Run(int exit, String out, String err) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(out.strip());
        }
    }

    @TempDir
    Path dir;
    @TempDir
    Path runtime;
    Simulator sim;
    final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void startSimulator() {
        sim = Simulator.start(SimOptions.in(dir));
        sim.systemd().runtimeDir(runtime);
        env.put("HOME", sim.home().toString());
        env.put("HEPH_BACKEND", "systemd");
        env.put("HEPH_SYSTEMCTL", sim.bin("systemctl").toString());
        // the tests' daemons are up at once; the 1.5 s default is for real ones. Also makes systemd's watch after a
        // start exactly 300 ms, one look (not RestartSec + 1 s); the tests of the longer watch remove it
        env.put("HEPH_SETTLE", "300ms");
        env.put("HEPH_HEPHD", sim.hephd().toString());
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("PATH", "/usr/bin:/bin");
    }

    @AfterEach
    void closeSimulator() {
        sim.close();
    }

    Run heph(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err), env, sim.home(), false);
        return new Run(code, out.toString(), err.toString());
    }

    /** heph as its own JVM ({@code java -cp <this classpath> heph.cli.Main args}), with exactly {@link #env}. */
    Run hephProcess(String... args) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "heph.cli.Main"));
        argv.addAll(List.of(args));
        Path out = dir.resolve("heph.out");
        Path err = dir.resolve("heph.err");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(sim.home().toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                fail("heph " + String.join(" ", args) + " did not finish within 60 s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    Path unitFile() {
        return sim.home().resolve(".config/systemd/user").resolve(UNIT);
    }

    Path socket() {
        return runtime.resolve("heph/hephd.sock");
    }

    long mainPid() {
        return sim.systemd().mainPid(UNIT).orElseThrow();
    }

    /** The systemctl calls so far, as typed after "systemctl --user"; consecutive shows count each. */
    List<String> calls() {
        return sim.calls().stream().filter(c -> c.tool().equals("systemctl")).map(SystemdHephBaseTest::brief)
                .toList();
    }

    /** "show" for heph's status query (its -p list is checked once, in the lifecycle test), else the argv. */
    static String brief(Call c) {
        List<String> a = c.argv();
        String tail = String.join(" ", a.subList(1, a.size()));
        return a.size() > 1 && a.get(1).equals("show") ? "show" : tail;
    }

    /** daemon.info of the current main process, once its socket answers (bounded). */
    Map<String, Object> daemonInfo() {
        long pid = mainPid();
        return DaemonRpc.awaitPid(socket(), pid, Duration.ofSeconds(20))
                .orElseGet(() -> fail("pid " + pid + " did not answer on " + socket()));
    }

    @SuppressWarnings("unchecked")
    List<String> daemonArgv() {
        return (List<String>) daemonInfo().get("argv");
    }

    /** An executable /bin/sh script in the test folder (a stand-in hephd). */
    Path script(String name, String body) {
        Path p = dir.resolve(name);
        try {
            Files.writeString(p, "#!/bin/sh\n" + body + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
