package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.daemon.DaemonRpc;
import heph.systemd.UnitFileVerdictTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A unit file given with --unit-file is judged as systemd judges it, through the CLI and the systemctl fake: what
 * systemd refuses is exit 2 with one line naming the file, before any systemctl call and without writing the unit;
 * what systemd accepts (an ExecStart= list reset and set again, a %h program path) is installed and runs.
 */
@org.junit.jupiter.api.Tag("simulator")
class UnitVerdictSystemdTest extends SystemdHephBaseTest {
    @Test
    void whatSystemdRefusesIsExitTwoBeforeAnythingIsWritten() throws IOException {
        Path dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
        for (String name : List.of("reset-last.service", "two-execstart.service", "tmpl@.service",
                "relative-path.service", "bad-section-header.service")) {
            Path file = Files.copy(UnitFileVerdictTest.DIR.resolve(name), dotfiles.resolve(name));
            sim.clearCalls();
            Run r = heph("start", "--unit-file", file.toString());
            assertEquals(2, r.exit(), name + ": " + r.err() + r.out());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("heph: " + file), r.err());
            assertEquals(List.of(), calls(), name + ": no systemctl call");
            assertFalse(Files.exists(sim.home().resolve(".config/systemd/user").resolve(name)), name);
        }
    }

    @Test
    void aResetListAndAHomeSpecifierProgramAreInstalledAndRun() throws IOException {
        Path bin = Files.createDirectories(sim.home().resolve("bin"));
        Path wrapper = bin.resolve("sampled");
        Files.writeString(wrapper, "#!/bin/sh\nexec '" + sim.hephd() + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        Path sock = runtime.resolve("spec.sock");
        Path file = Files.createDirectories(dir.resolve("dotfiles")).resolve("spec.service");
        Files.writeString(file, "[Service]\nExecStart=/bin/false\nExecStart=\nExecStart=%h/bin/sampled --socket "
                + sock + " \\\n  --db " + dir.resolve("spec.db") + "\nRestart=always\n");
        Run r = heph("start", "--unit-file", file.toString());
        assertEquals(0, r.exit(), r.err());
        long pid = sim.systemd().mainPid("spec.service").orElseThrow();
        Object argv = DaemonRpc.awaitPid(sock, pid, Duration.ofSeconds(20))
                .orElseThrow(() -> new AssertionError("spec.service does not answer")).get("argv");
        assertTrue(argv.toString().contains("--socket"), String.valueOf(argv));
    }
}
