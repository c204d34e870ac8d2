package heph.sim.systemd;

import heph.proc.ExecResult;
import heph.sim.SimHarness;
import heph.sim.SimTestSupport;
import heph.systemd.ExecStartQuoting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Helpers for the systemctl fake's process-level tests (abstract: no tests of its own): units running bin/hephd,
 * calls through the real bin/systemctl shim, the daemon's socket under the simulated XDG_RUNTIME_DIR.
 */
abstract class SystemdSimBaseTest extends SimTestSupport {
    static final String UNIT = "heph.service";

    /** Runs the real bin/systemctl shim with exactly {@code args}. */
    ExecResult sc(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(sim.bin("systemctl").toString());
        argv.addAll(List.of(args));
        return h.runner.run(argv, SimHarness.CALL_TIMEOUT);
    }

    /** {@code systemctl --user args...}. */
    ExecResult user(String... args) {
        List<String> argv = new ArrayList<>(List.of("--user"));
        argv.addAll(List.of(args));
        return sc(argv.toArray(String[]::new));
    }

    /** A unit heph would write: bin/hephd with {@code args}, Restart=always, RestartSec=1, WantedBy=default.target. */
    Path unit(String name, List<String> args, String extraServiceLines) {
        List<String> argv = new ArrayList<>();
        argv.add(sim.hephd().toString());
        argv.addAll(args);
        return writeUnit(name, "[Unit]\nDescription=test " + name + "\n\n[Service]\nType=simple\nExecStart="
                + ExecStartQuoting.quote(argv) + "\n" + extraServiceLines + "Restart=always\nRestartSec=1\n\n"
                + "[Install]\nWantedBy=default.target\n");
    }

    Path unit(List<String> args) {
        return unit(UNIT, args, "");
    }

    Path writeUnit(String name, String text) {
        Path file = sim.systemd().unitDir().resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** hephd's default socket as the service resolves it: $XDG_RUNTIME_DIR/heph/hephd.sock. */
    Path socket() {
        return sim.systemd().runtimeDir().resolve("heph/hephd.sock");
    }

    long pid() {
        return sim.systemd().mainPid(UNIT).orElseThrow();
    }

    /** daemon.info of the unit's current main process, once it answers. */
    Map<String, Object> info() {
        return h.awaitInfo(socket(), pid());
    }

    @SuppressWarnings("unchecked")
    List<String> daemonArgv() {
        return (List<String>) info().get("argv");
    }

    String prop(String name) {
        return sim.systemd().properties(UNIT).get(name);
    }

    /** {@code show -p NAME} through the shim, value only. */
    String show(String property) {
        return user("show", "--value", "-p", property, UNIT).stdout().strip();
    }

    static String warning(String unit) {
        return "Warning: The unit file, source configuration file or drop-ins of " + unit + " changed on disk. Run"
                + " 'systemctl --user daemon-reload' to reload units.\n";
    }

    static String jobFailed(String unit, String because) {
        return "Job for " + unit + " failed because " + because + ".\nSee \"systemctl --user status " + unit
                + "\" and \"journalctl --user -xeu " + unit + "\" for details.\n";
    }
}
