package heph.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import heph.ExitCode;
import heph.HephException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("unit")
class HephdLocatorTest {
    @TempDir
    Path tmp;

    private Path file(String rel, String perms) throws IOException {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return p;
    }

    private HephException fails(String flag, Map<String, String> env) {
        HephException e = assertThrows(HephException.class, () -> HephdLocator.locate(flag, env, tmp));
        assertEquals(ExitCode.USAGE, e.exitCode());
        return e;
    }

    @Test
    void flagWinsOverEnvAndPath() throws IOException {
        Path flag = file("a/hephd", "rwxr-xr-x");
        Path env = file("b/hephd", "rwxr-xr-x");
        file("c/hephd", "rwxr-xr-x");
        Map<String, String> e = Map.of("HEPH_HEPHD", env.toString(), "PATH", tmp.resolve("c").toString());
        assertEquals(flag, HephdLocator.locate(flag.toString(), e, tmp));
        assertEquals(env, HephdLocator.locate(null, e, tmp));
    }

    @Test
    void relativeFlagIsMadeAbsoluteAndNormalized() throws IOException {
        Path p = file("bin/hephd", "rwx------");
        Path found = HephdLocator.locate("./x/../bin/hephd", Map.of(), tmp);
        assertEquals(p, found);
        assertEquals(found, found.toAbsolutePath().normalize());
    }

    @Test
    void foundOnPathSkippingDirsWithoutAnExecutableHephd() throws IOException {
        file("p1/hephd", "rw-r--r--");
        Path good = file("p3/hephd", "r-xr-xr-x");
        Files.createDirectories(tmp.resolve("p2/hephd"));
        file("rel/hephd", "rwxr-xr-x");
        String path = String.join(":", "", "rel", tmp.resolve("p1").toString(), tmp.resolve("p2").toString(),
                tmp.resolve("missing").toString(), tmp.resolve("p3") + "/");
        assertEquals(good, HephdLocator.locate(null, Map.of("PATH", path), tmp));
    }

    @Test
    void emptyEnvVarFallsBackToPath() throws IOException {
        Path good = file("bin/hephd", "rwxr-xr-x");
        assertEquals(good, HephdLocator.locate(null, Map.of("HEPH_HEPHD", "", "PATH", good.getParent().toString()),
                tmp));
    }

    @Test
    void missingEverywhere() throws IOException {
        file("p/hephd", "rw-r--r--");
        String expected = "hephd not found: pass --hephd PATH, set HEPH_HEPHD, or put hephd on PATH";
        assertEquals(expected, fails(null, Map.of()).getMessage());
        assertEquals(expected, fails(null, Map.of("PATH", tmp.resolve("p").toString())).getMessage());
    }

    @Test
    void givenButMissing() {
        String x = tmp.resolve("x/hephd").toString();
        assertEquals("--hephd: '" + x + "' does not exist; expected the path of the hephd executable", fails(x, Map.of()).getMessage());
        assertEquals("HEPH_HEPHD: '" + x + "' does not exist; expected the path of the hephd executable", fails(null, Map.of("HEPH_HEPHD", x)).getMessage());
    }

    @Test
    void givenButNotExecutable() throws IOException {
        String plain = file("hephd", "rw-r--r--").toString();
        assertEquals("--hephd: '" + plain + "' is not an executable file; expected the path of the hephd executable", fails(plain, Map.of()).getMessage());
        assertEquals("HEPH_HEPHD: '" + plain + "' is not an executable file; expected the path of the hephd executable",
                fails(null, Map.of("HEPH_HEPHD", plain)).getMessage());
        String dir = tmp.toString();
        assertEquals("--hephd: '" + dir + "' is not an executable file; expected the path of the hephd executable", fails(dir, Map.of()).getMessage());
    }

    @Test
    void emptyFlagIsAnInvalidValue() {
        assertEquals("--hephd: '' is not valid; expected a non-empty path without NUL or newline characters",
                fails("", Map.of()).getMessage());
    }
}
