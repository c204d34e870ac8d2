package heph.realsystemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import heph.cli.Main;
import heph.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * heph's systemd backend against a real {@code systemd --user} ({@link RealUserManager}): heph runs in-process
 * through {@link Main#execute} with HEPH_BACKEND=systemd and the nsenter wrapper as HEPH_SYSTEMCTL; hephd is the
 * simulator's sample daemon (a real JVM: single-writer lock, unix socket) behind a /bin/sh wrapper that appends its
 * output to a file (there is no journald). Each test has its own manager, HOME and XDG_RUNTIME_DIR; after each test
 * the manager and everything in its namespace is killed, and the test fails if any process is left. Skipped, with
 * the reason, where the manager cannot run ({@link RealUserManager#unavailable}).
 */
abstract class RealSystemdBase {
    static final String UNIT = "heph.service";
    static final String DAEMON_CLASS = "heph.sim.daemon.SampleDaemon";

    /** One heph run. */
    record Run(int exit, String out, String err) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(out.strip());
        }
    }

    @TempDir
    Path dir;
    RealUserManager manager;
    Path hephd;
    final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void startManager() {
        RealUserManager.unavailable().ifPresent(why ->
                Assumptions.abort("real systemd --user tier skipped: " + why));
        manager = RealUserManager.start(dir);
        hephd = script("hephd", "exec >>" + q(dir.resolve("hephd.log")) + " 2>&1\nexec " + q(java())
                + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp "
                + q(System.getProperty("java.class.path")) + " " + DAEMON_CLASS + " \"$@\"");
        env.put("HOME", manager.home.toString());
        env.put("XDG_RUNTIME_DIR", manager.runtime.toString());
        env.put("HEPH_BACKEND", "systemd");
        env.put("HEPH_SYSTEMCTL", manager.systemctl().toString());
        env.put("HEPH_HEPHD", hephd.toString());
        env.put("PATH", "/usr/bin:/bin");
    }

    @AfterEach
    void stopManager() {
        if (manager == null) {
            return;
        }
        manager.close();
        List<ProcessHandle> left = manager.processes();
        assertEquals(List.of(), left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList(),
                "processes left in the manager's namespace");
    }

    Run heph(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err), env, manager.home, false);
        return new Run(code, out.toString(), err.toString());
    }

    Run ok(String... args) {
        Run r = heph(args);
        assertEquals(0, r.exit(), () -> "heph " + String.join(" ", args) + ": " + r.err() + r.out() + daemonLog());
        return r;
    }

    Path unitFile() {
        return manager.home.resolve(".config/systemd/user").resolve(UNIT);
    }

    long mainPid() {
        return Long.parseLong(manager.property(UNIT, "MainPID"));
    }

    String state() {
        return manager.property(UNIT, "ActiveState") + "/" + manager.property(UNIT, "SubState");
    }

    /** The daemon's own argv, after the sample daemon's class name in {@code /proc/<pid>/cmdline}. */
    static List<String> daemonArgs(long pid) {
        List<String> cmd = cmdline(pid);
        int at = cmd.indexOf(DAEMON_CLASS);
        if (at < 0) {
            fail("pid " + pid + " is not the sample daemon: " + cmd);
        }
        return cmd.subList(at + 1, cmd.size());
    }

    static List<String> cmdline(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8);
            return List.of(raw.substring(0, raw.length() - 1).split("\0", -1));
        } catch (IOException e) {
            return fail("cannot read /proc/" + pid + "/cmdline: " + e.getMessage());
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Polls (20 ms apart) until {@code done}, or fails after {@code bound} naming {@code what}. */
    static void await(Duration bound, String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " did not happen within " + bound.toMillis() + " ms");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    String daemonLog() {
        try {
            Path log = dir.resolve("hephd.log");
            return Files.exists(log) ? "\nhephd.log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** An executable /bin/sh script in the test folder. */
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

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String q(Object s) {
        return "'" + s.toString().replace("'", "'\\''") + "'";
    }
}
