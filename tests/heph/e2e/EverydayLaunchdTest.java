package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.proc.ExecResult;
import heph.proc.ZtExecRunner;
import heph.sim.SimOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everyday agents through the CLI and the launchd simulator, where what heph does must match what the README
 * promises: a program that is not there, a new agent that does not come up, a dry run that must refuse what the run
 * refuses, a scheduled job that has not run yet, a label disabled under a running job.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class EverydayLaunchdTest {
    static final String LABEL = "org.example.job";

    @TempDir
    Path dir;
    HephInSim h;
    Path dotfiles;

    @BeforeEach
    void start() throws IOException {
        h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(17).withCleanupLagMs(200, 500));
        dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
    }

    @AfterEach
    void close() {
        h.close();
    }

    /** A plist for {@link #LABEL} running {@code argv}, with {@code extra} keys (raw XML) inside its dict. */
    Path plist(List<String> argv, String extra) throws IOException {
        StringBuilder args = new StringBuilder();
        for (String a : argv) {
            args.append("<string>").append(a).append("</string>");
        }
        Path p = dotfiles.resolve("job.plist");
        Files.writeString(p, "<plist version=\"1.0\"><dict><key>Label</key><string>" + LABEL + "</string>"
                + "<key>ProgramArguments</key><array>" + args + "</array>" + extra + "</dict></plist>\n");
        return p;
    }

    Path installed() {
        return h.sim.launchAgents().resolve(LABEL + ".plist");
    }

    ExecResult launchctl(String... args) {
        List<String> argv = Stream.concat(Stream.of(h.sim.launchctl().toString()), Stream.of(args)).toList();
        return new ZtExecRunner().run(argv, Duration.ofSeconds(15));
    }

    String target() {
        return h.sim.domain() + "/" + LABEL;
    }

    @Test
    void aMissingOrNonExecutableProgramFailsBeforeAnythingIsLoadedAndTheDryRunSaysTheSame() throws IOException {
        Path missing = h.sim.home().resolve("bin/not-there");
        Path file = plist(List.of(missing.toString(), "--serve"), "<key>KeepAlive</key><true/>");
        h.sim.clearCalls();
        HephInSim.Run dry = h.heph("start", "--plist", file.toString(), "--dry-run");
        HephInSim.Run run = h.heph("start", "--plist", file.toString());
        for (HephInSim.Run r : List.of(dry, run)) {
            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.err().startsWith("heph: " + LABEL + "'s program " + missing + " (ProgramArguments[0] in "
                    + file + ") does not exist"), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertFalse(Files.exists(installed()), "nothing installed");
        assertTrue(h.verbs().stream().allMatch("print"::equals), "nothing enabled or loaded: " + h.verbs());

        Files.createDirectories(missing.getParent());
        Files.writeString(missing, "#!/bin/sh\nexec sleep 600\n");
        Files.setPosixFilePermissions(missing, PosixFilePermissions.fromString("rw-r--r--"));
        HephInSim.Run notExec = h.heph("start", "--plist", file.toString());
        assertEquals(1, notExec.exit(), notExec.out());
        assertTrue(notExec.err().contains(missing + " (ProgramArguments[0] in " + file + ") is not executable"),
                notExec.err());
        assertFalse(Files.exists(installed()));

        // fixed: the same file starts
        Files.setPosixFilePermissions(missing, PosixFilePermissions.fromString("rwxr-xr-x"));
        HephInSim.Run ok = h.heph("start", "--plist", file.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(h.sim.runningPid(LABEL).isPresent());
    }

    @Test
    void aNewAgentThatDoesNotComeUpIsPutBackToNotInstalledAndItsPlistKeptForInspection() throws IOException {
        Path file = plist(List.of("/bin/sh", "-c", "exit 3"), "<key>KeepAlive</key><true/>");
        HephInSim.Run run = h.heph("start", "--plist", file.toString());
        assertEquals(1, run.exit(), run.err());
        assertFalse(Files.exists(installed()), "not left installed: " + run.err());
        assertTrue(h.sim.state(LABEL).isEmpty(), "not left loaded: " + h.sim.state(LABEL));
        Path failed = h.sim.home().resolve(".local/state/heph/failed");
        List<Path> kept;
        try (Stream<Path> files = Files.list(failed)) {
            kept = files.toList();
        }
        assertEquals(1, kept.size(), kept.toString());
        assertEquals(Files.readString(file), Files.readString(kept.get(0)), "kept byte for byte");
        assertTrue(kept.get(0).getFileName().toString().startsWith(LABEL + ".plist.failed-"), kept.toString());
        assertTrue(run.err().contains("; it was not installed before, so heph booted it out and removed "
                + installed() + "; its plist is kept for inspection as " + kept.get(0)), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
        HephInSim.Run status = h.heph("status", "--label", LABEL, "--json");
        assertEquals(false, status.json().get("installed"), status.out());
        assertEquals(false, status.json().get("loaded"), status.out());
    }

    @Test
    void anInstalledAgentThatFailsToStartIsLeftInstalled() throws IOException {
        Path file = plist(List.of("/bin/sh", "-c", "exec sleep 600"), "<key>KeepAlive</key><true/>");
        assertEquals(0, h.heph("start", "--plist", file.toString()).exit());
        assertEquals(0, h.heph("stop", "--label", LABEL).exit());
        plist(List.of("/bin/sh", "-c", "exit 3"), "<key>KeepAlive</key><true/>");
        HephInSim.Run run = h.heph("start", "--plist", file.toString());
        assertEquals(1, run.exit(), run.err());
        assertTrue(Files.exists(installed()), "it was installed before this run: not removed");
        assertFalse(run.err().contains("not installed before"), run.err());
    }

    @Test
    void theDryRunRefusesAnUnusableLogPathAsTheRunDoes() throws IOException {
        Path blocker = Files.writeString(dir.resolve("a-file"), "x");
        Path file = plist(List.of("/bin/sh", "-c", "exec sleep 600"), "<key>KeepAlive</key><true/>"
                + "<key>StandardErrorPath</key><string>" + blocker.resolve("logs/err.log") + "</string>");
        HephInSim.Run dry = h.heph("start", "--plist", file.toString(), "--dry-run");
        HephInSim.Run run = h.heph("start", "--plist", file.toString());
        assertEquals(run.exit(), dry.exit(), "dry run: " + dry.out() + dry.err() + "\nrun: " + run.err());
        assertEquals(1, dry.exit(), dry.out());
        assertTrue(dry.err().contains(blocker + " is a file, not a folder"), dry.err());
        assertFalse(Files.exists(installed()));

        // a folder the run would create passes the dry run, and is not created by it
        Path logs = dir.resolve("new/logs");
        plist(List.of("/bin/sh", "-c", "exec sleep 600"), "<key>KeepAlive</key><true/>"
                + "<key>StandardErrorPath</key><string>" + logs.resolve("err.log") + "</string>");
        HephInSim.Run fine = h.heph("start", "--plist", file.toString(), "--dry-run", "--json");
        assertEquals(0, fine.exit(), fine.out());
        assertFalse(Files.exists(dir.resolve("new")), "a dry run creates nothing");
    }

    @Test
    void aScheduledJobThatHasNotRunYetIsFine() throws IOException {
        Path file = plist(List.of("/bin/sh", "-c", "exit 0"), "<key>StartInterval</key><integer>3600</integer>");
        HephInSim.Run start = h.heph("start", "--plist", file.toString(), "--json");
        assertEquals(0, start.exit(), start.out());
        HephInSim.Run status = h.heph("status", "--label", LABEL, "--json");
        assertEquals(0, status.exit(), status.out());
        assertEquals("loaded, waiting for its next run (not run yet)", status.json().get("hint"), status.out());
        HephInSim.Run again = h.heph("start", "--plist", file.toString(), "--json");
        assertEquals("none", again.json().get("path"), again.out());
    }

    @Test
    void startEnablesALabelDisabledUnderItsRunningJob() throws IOException {
        Path file = plist(List.of("/bin/sh", "-c", "exec sleep 600"), "<key>KeepAlive</key><true/>");
        assertEquals(0, h.heph("start", "--plist", file.toString()).exit());
        long pid = h.sim.runningPid(LABEL).getAsLong();
        assertEquals(0, launchctl("disable", target()).exitCode());

        HephInSim.Run dry = h.heph("start", "--label", LABEL, "--dry-run", "--json");
        assertEquals(0, dry.exit(), dry.out());
        assertEquals(true, dry.json().get("changed"), dry.out());
        assertTrue(dry.out().contains("enable"), dry.out());

        h.sim.clearCalls();
        HephInSim.Run run = h.heph("start", "--label", LABEL, "--json");
        assertEquals(0, run.exit(), run.out());
        assertEquals(true, run.json().get("changed"), run.out());
        assertEquals("enable", run.json().get("path"), run.out());
        assertTrue(run.json().get("message").toString().startsWith(LABEL + " enabled (launchctl enable"),
                run.out());
        assertEquals(1, h.verbs().stream().filter("enable"::equals).count(), h.verbs().toString());
        assertFalse(h.verbs().contains("bootout") || h.verbs().contains("kickstart"), h.verbs().toString());
        assertEquals(pid, h.sim.runningPid(LABEL).getAsLong(), "the running job is left alone");
        assertTrue(launchctl("print-disabled", h.sim.domain()).stdout().contains("\"" + LABEL + "\" => enabled"),
                launchctl("print-disabled", h.sim.domain()).stdout());

        HephInSim.Run second = h.heph("start", "--label", LABEL, "--json");
        assertEquals("none", second.json().get("path"), second.out());
        assertEquals(false, second.json().get("changed"), second.out());
    }

    String line(HephInSim.Run r, String check) {
        return r.out().lines().filter(l -> l.matches("^(ok|warn|fail) +" + check + ": .*")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " line in:\n" + r.out()));
    }

    /** A stow-style install: the installed plist is a symlink into the dotfiles. */
    @Test
    void doctorJudgesASymlinkedPlistByItsTargetAndNamesTheRealRule() throws IOException {
        Path file = plist(List.of("/bin/sh", "-c", "exec sleep 600"), "<key>KeepAlive</key><true/>");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, h.heph("start", "--plist", file.toString()).exit());
        Files.delete(installed());
        Files.createSymbolicLink(installed(), file);

        HephInSim.Run d = h.heph("doctor", "--label", LABEL);
        assertEquals(1, d.exit(), d.out());
        assertEquals("ok    plist-owner: yours, mode rw-r--r--", line(d, "plist-owner"), "the target's mode");
        assertFalse(d.out().contains("chmod 644"), d.out());
        String link = line(d, "plist-link");
        assertTrue(link.startsWith("fail  plist-link: " + installed() + " is a symlink to " + file.toRealPath()
                + ": heph writes only its own regular files, so `heph start`, `restart`, `apply` and `uninstall`"
                + " refuse it"), link);
        assertTrue(link.endsWith("fix: `rm " + installed() + "`, then `heph start --plist " + file.toRealPath()
                + "` (heph installs a copy and reloads it when the dotfile changes)"), link);
        HephInSim.Run start = h.heph("start", "--label", LABEL);
        assertEquals(1, start.exit(), "the rule doctor names is the one start applies: " + start.err());
        assertTrue(start.err().contains("is a symlink"), start.err());

        // not loaded: the fix is the link's, never a `heph start --label` that start refuses
        assertEquals(0, launchctl("bootout", target()).exitCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (launchctl("print", target()).exitCode() != 113 && System.nanoTime() < deadline) {
            SimHarnessWait.pause();
        }
        HephInSim.Run unloaded = h.heph("doctor", "--label", LABEL);
        String loaded = line(unloaded, "loaded");
        assertTrue(loaded.contains("installed but not loaded"), loaded);
        assertFalse(loaded.contains("`heph start --label"), loaded);
        assertTrue(loaded.endsWith("fix: `rm " + installed() + "`, then `heph start --plist " + file.toRealPath()
                + "` (heph installs a copy and reloads it when the dotfile changes)"), loaded);

        // a group-writable target is what doctor asks to chmod, by the target's name
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        HephInSim.Run loose = h.heph("doctor", "--label", LABEL);
        assertTrue(line(loose, "plist-owner").contains("`chmod 644 " + file.toRealPath() + "`"), loose.out());
    }

    /** A hand install named otherwise than its Label, as `heph list` shows it: --label finds it by its Label. */
    @Test
    void labelFindsAnAgentInstalledUnderAnotherFileName() throws IOException {
        Path hand = h.sim.launchAgents().resolve("handmade.plist");
        Files.createDirectories(hand.getParent());
        Path out = h.sim.home().resolve("handmade.out");
        Files.writeString(hand, Files.readString(plist(List.of("/bin/sh", "-c",
                "echo handmade-says-hi; exec sleep 600"),
                "<key>KeepAlive</key><true/><key>StandardOutPath</key><string>" + out + "</string>")));
        Files.setPosixFilePermissions(hand, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, launchctl("bootstrap", h.sim.domain(), hand.toString()).exitCode());
        long pid = SimHarnessWait.running(h, LABEL);
        // a new spawn shows as xpcproxy (starting, status exit 3) for a moment
        heph.sim.SimHarness.await("status to say running", () -> h.heph("status", "--label", LABEL).exit() == 0,
                Duration.ofSeconds(30));

        HephInSim.Run status = h.heph("status", "--label", LABEL, "--json");
        assertEquals(0, status.exit(), status.out() + status.err());
        assertEquals(true, status.json().get("installed"), status.out());
        assertEquals(hand.toString(), status.json().get("file"), status.out());
        assertTrue(status.err().contains(LABEL + " is installed as " + hand + " (its Label; not " + LABEL
                + ".plist)"), status.err());

        HephInSim.Run start = h.heph("start", "--label", LABEL, "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals("none", start.json().get("path"), start.out());
        assertEquals(hand.toString(), start.json().get("file"), "the file the verb worked on: " + start.out());

        // doctor and logs follow the Label to the same file as every verb
        HephInSim.Run d = h.heph("doctor", "--label", LABEL);
        assertFalse(d.out().contains("not installed"), d.out());
        assertTrue(line(d, "plist-owner").startsWith("ok"), d.out());
        assertTrue(line(d, "loaded").startsWith("ok"), d.out());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(Files.exists(out) && Files.readString(out).contains("handmade-says-hi"))
                && System.nanoTime() < deadline) {
            SimHarnessWait.pause();
        }
        HephInSim.Run logs = h.heph("logs", "--label", LABEL);
        assertEquals(0, logs.exit(), logs.out() + logs.err());
        assertTrue(logs.out().contains("handmade-says-hi"), logs.out() + logs.err());

        HephInSim.Run restart = h.heph("restart", "--label", LABEL, "--json");
        assertEquals(0, restart.exit(), restart.err());
        assertEquals("kickstart", restart.json().get("path"), restart.out());
        assertTrue(pid != h.sim.runningPid(LABEL).getAsLong());
        assertFalse(Files.exists(installed()), "no second copy under the Label's name");

        HephInSim.Run gone = h.heph("uninstall", "--label", LABEL, "--json");
        assertEquals(0, gone.exit(), gone.err());
        assertEquals(hand.toString(), gone.json().get("file"), gone.out());
        assertFalse(Files.exists(hand), gone.err());
    }

    /** Bounded polling for a condition of the simulator. */
    static final class SimHarnessWait {
        static void pause() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }


        static long running(HephInSim h, String label) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                var pid = h.sim.runningPid(label);
                if (pid.isPresent()) {
                    return pid.getAsLong();
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new AssertionError(label + " does not run");
        }
    }

    /**
     * A hand install heph adopts, whose installed copy was edited after launchd loaded it: launchd runs what the
     * dotfile says (print shows it), so start writes the file and leaves the running job alone.
     */
    @Test
    void anAdoptedAgentWhoseInstalledCopyAloneWasEditedIsNotReloaded() throws IOException {
        Path file = plist(List.of("/bin/sh", "-c", "exec sleep 600"), "<key>KeepAlive</key><true/>");
        Files.createDirectories(installed().getParent());
        Files.copy(file, installed());
        Files.setPosixFilePermissions(installed(), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, launchctl("bootstrap", h.sim.domain(), installed().toString()).exitCode());
        long pid = SimHarnessWait.running(h, LABEL);
        Files.writeString(installed(), Files.readString(installed()).replace("exec sleep 600", "exec sleep 700"));

        h.sim.clearCalls();
        HephInSim.Run start = h.heph("start", "--plist", file.toString(), "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals("none", start.json().get("path"), start.out());
        assertEquals(true, start.json().get("changed"), "the file was written: " + start.out());
        assertEquals(Files.readString(file), Files.readString(installed()));
        assertEquals(pid, h.sim.runningPid(LABEL).getAsLong(), "not restarted");
        assertFalse(h.verbs().contains("bootout") || h.verbs().contains("kickstart"), h.verbs().toString());

        // the other way round: the installed copy was loaded and differs from the dotfile in what print shows
        Files.writeString(file, Files.readString(file).replace("exec sleep 600", "exec sleep 800"));
        HephInSim.Run changed = h.heph("start", "--plist", file.toString(), "--json");
        assertEquals("reload", changed.json().get("path"), changed.out());
    }
}
