package heph.realsystemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.systemd.UnitFileVerdictTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * heph's verdict on every unit file of the corpus (tests/fixtures/units) equals the real systemd's, and the table
 * VERDICTS.txt the unit tier uses is what systemd says here. Two oracles, in one real {@code systemd --user}'s mount
 * namespace ({@link RealUserManager}):
 * <ul>
 * <li>{@code systemd-analyze --user verify --man=no FILE}: systemd refuses the unit when verify says it "has a bad
 * unit file setting" or "failed to load properly" (the manager would not load it). verify also fails for a program
 * that does not exist ("Command ... is not executable"); that is not a refusal — the manager loads such a unit, only
 * the start fails — so a failing verify that says nothing but that counts as accepted (see UnitFileVerdict).</li>
 * <li>The manager itself: all files installed, one daemon-reload; an accepted unit has LoadState=loaded, a refused
 * one does not; a template name (foo@.service) is refused by {@code systemctl --user start}.</li>
 * </ul>
 * Programs the corpus names exist (/bin/true, /bin/echo, and $HOME/bin/true for %h) where presence is not the point.
 */
@org.junit.jupiter.api.Tag("real-systemd")
class RealSystemdVerdictTest {
    private static final long CALL_SECONDS = 20;

    @TempDir
    static Path dir;
    static RealUserManager manager;

    @BeforeAll
    static void startManager() throws IOException {
        RealUserManager.unavailable().ifPresent(why ->
                Assumptions.abort("real systemd --user tier skipped: " + why));
        manager = RealUserManager.start(dir);
        Path bin = Files.createDirectories(manager.home.resolve("bin"));
        Files.copy(Path.of("/bin/true"), bin.resolve("true"), StandardCopyOption.COPY_ATTRIBUTES);
        Path units = Files.createDirectories(manager.home.resolve(".config/systemd/user"));
        for (String name : UnitFileVerdictTest.corpus()) {
            Files.copy(UnitFileVerdictTest.DIR.resolve(name), units.resolve(name));
        }
        assertEquals(0, manager.run("daemon-reload").exit(), "daemon-reload");
    }

    @AfterAll
    static void stopManager() {
        if (manager != null) {
            manager.close();
        }
    }

    record Verify(int exit, String out) {
        boolean refused() {
            return out.contains("has a bad unit file setting") || out.contains("failed to load properly");
        }

        /** Every line that is an error other than a missing program (verify's own check, not the manager's). */
        boolean onlyMissingPrograms() {
            return out.lines().map(String::strip).filter(l -> !l.isEmpty())
                    .allMatch(l -> l.contains(" is not executable: ")
                            || l.toLowerCase(java.util.Locale.ROOT).contains("ignoring"));
        }
    }

    @Test
    void hephJudgesEveryCorpusFileAsTheRealSystemdDoes() {
        Map<String, Boolean> table = UnitFileVerdictTest.expected();
        List<String> wrong = new ArrayList<>();
        for (String name : UnitFileVerdictTest.corpus()) {
            Path file = manager.home.resolve(".config/systemd/user").resolve(name);
            Verify v = verify(file);
            boolean template = name.endsWith("@.service");
            boolean systemdAccepts = !v.refused() && !(template && startRefused(name));
            assertTrue(v.refused() || v.exit() == 0 || v.onlyMissingPrograms(),
                    name + ": verify failed without a load error:\n" + v.out());
            String load = manager.property(name, "LoadState");
            if (!template && systemdAccepts != load.equals("loaded")) {
                wrong.add(name + ": verify " + (systemdAccepts ? "accepts" : "refuses") + " but the manager has"
                        + " LoadState=" + load);
            }
            Optional<String> heph = UnitFileVerdictTest.heph(UnitFileVerdictTest.DIR.resolve(name));
            if (systemdAccepts != heph.isEmpty()) {
                wrong.add(name + ": systemd " + (systemdAccepts ? "accepts" : "refuses:\n" + v.out()) + "\n  heph "
                        + heph.map(r -> "refuses: " + r).orElse("accepts"));
            }
            if (systemdAccepts != table.get(name)) {
                wrong.add(name + ": VERDICTS.txt says " + (table.get(name) ? "accept" : "refuse")
                        + " but systemd " + (systemdAccepts ? "accepts" : "refuses"));
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** {@code systemctl --user start} of a template name fails at once ("missing the instance name"). */
    private static boolean startRefused(String name) {
        RealUserManager.Result r = manager.run("start", name);
        return r.exit() != 0 && r.err().contains("instance");
    }

    /** {@code systemd-analyze --user verify --man=no file} inside the manager's namespace, bounded. */
    private static Verify verify(Path file) {
        List<String> argv = List.of("nsenter", "--target", Long.toString(manager.pid()), "--mount", "--", "env",
                "-i", "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + manager.home,
                "XDG_RUNTIME_DIR=" + manager.runtime, "systemd-analyze", "--user", "verify", "--man=no",
                file.toString());
        try {
            Path out = Files.createTempFile(dir, "verify", ".out");
            Path err = Files.createTempFile(dir, "verify", ".err");
            Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            try {
                if (!p.waitFor(CALL_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError(String.join(" ", argv) + " did not answer within " + CALL_SECONDS
                            + " s");
                }
                return new Verify(p.exitValue(), Files.readString(out) + Files.readString(err));
            } finally {
                p.destroyForcibly();
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
