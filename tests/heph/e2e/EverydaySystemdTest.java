package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ZtExecRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The systemd side of {@link EverydayLaunchdTest}: an ExecStart program that is not there is refused before the unit
 * is written or daemon-reloaded (and by the dry run); a new unit that does not come up is put back to not installed;
 * a start that enables a running but disabled unit says it changed something.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class EverydaySystemdTest extends SystemdHephBaseTest {
    Path unitDir() {
        return sim.home().resolve(".config/systemd/user");
    }

    Path unit(String name, String exec) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("dotfiles"));
        Path p = folder.resolve(name + ".service");
        Files.writeString(p, "[Unit]\nDescription=" + name + "\n\n[Service]\nExecStart=" + exec
                + "\nRestart=always\n\n[Install]\nWantedBy=default.target\n");
        return p;
    }

    @Test
    void aMissingProgramIsRefusedBeforeTheUnitIsWrittenOrReloaded() throws IOException {
        Path missing = sim.home().resolve("bin/not-there");
        Path file = unit("job", "-" + missing + " --serve");
        sim.clearCalls();
        Run dry = heph("start", "--unit-file", file.toString(), "--dry-run");
        Run run = heph("start", "--unit-file", file.toString());
        for (Run r : List.of(dry, run)) {
            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.err().startsWith("heph: job.service's program " + missing + " (ExecStart in " + file
                    + ") does not exist"), r.err());
        }
        assertFalse(Files.exists(unitDir().resolve("job.service")), "nothing written");
        assertFalse(calls().contains("daemon-reload"), calls().toString());

        Files.createDirectories(missing.getParent());
        Files.writeString(missing, "#!/bin/sh\nexec sleep 600\n");
        Files.setPosixFilePermissions(missing, PosixFilePermissions.fromString("rw-r--r--"));
        Run notExec = heph("start", "--unit-file", file.toString());
        assertEquals(1, notExec.exit(), notExec.err());
        assertTrue(notExec.err().contains(missing + " (ExecStart in " + file + ") is not executable"),
                notExec.err());

    }

    @Test
    void aNewUnitThatDoesNotComeUpIsPutBackToNotInstalled() throws IOException {
        Path file = unit("crash", "/bin/sh -c 'exit 3'");
        Run run = heph("start", "--unit-file", file.toString());
        assertEquals(1, run.exit(), run.err());
        Path installed = unitDir().resolve("crash.service");
        assertFalse(Files.exists(installed), "not left installed: " + run.err());
        List<Path> kept;
        try (Stream<Path> files = Files.list(sim.home().resolve(".local/state/heph/failed"))) {
            kept = files.toList();
        }
        assertEquals(1, kept.size(), kept.toString());
        assertEquals(Files.readString(file), Files.readString(kept.get(0)));
        assertTrue(run.err().contains("; it was not installed before, so heph disabled and stopped it and removed "
                + installed + "; its unit file is kept for inspection as " + kept.get(0)), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        Run status = heph("status", "--unit", "crash.service", "--json");
        assertEquals(false, status.json().get("installed"), status.out());
    }

    @Test
    void startEnablingARunningDisabledUnitIsAChange() throws IOException {
        Path file = unit("job", "/bin/sh -c 'exec sleep 600'");
        assertEquals(0, heph("start", "--unit-file", file.toString()).exit());
        var r = new ZtExecRunner().run(List.of(sim.bin("systemctl").toString(), "--user", "disable", "job.service"),
                Duration.ofSeconds(15));
        assertEquals(0, r.exitCode(), r.stderr());
        Run start = heph("start", "--unit", "job.service", "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals(true, start.json().get("changed"), start.out());
        assertTrue(start.json().get("message").toString().contains("enabled job.service so it starts at login"),
                start.out());
        Run again = heph("start", "--unit", "job.service", "--json");
        assertEquals(false, again.json().get("changed"), again.out());
    }
}
