package heph.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import heph.ExitCode;
import heph.HephException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any user unit's file: validated with one-line usage errors naming the file, then used as given. */
@org.junit.jupiter.api.Tag("unit")
class AgentUnitTest {
    static final Path FILE = Path.of("/dotfiles/sync.service");

    static String rejected(String text) {
        HephException e = assertThrows(HephException.class, () -> AgentUnit.parse("sync.service", text, FILE));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aValidUnitKeepsItsTextExactly() {
        String text = "# mine\n[Service]\nExecStart=-/usr/bin/sync --watch\n";
        AgentUnit u = AgentUnit.parse("sync.service", text, FILE);
        assertEquals(text, u.text());
        assertEquals("sync.service", u.unit());
    }

    @Test
    void eachRuleIsAOneLineUsageErrorNamingTheFile() {
        assertEquals(FILE + ": Service has no ExecStart=, ExecStop=, or SuccessAction=; systemd refuses to load it",
                rejected("[Unit]\nDescription=x\n"));
        assertEquals(FILE + ": ExecStart=sync/bin --watch: neither a valid executable name nor an absolute path:"
                + " sync/bin; systemd refuses to load the unit", rejected("[Service]\nExecStart=sync/bin --watch\n"));
        // systemd ignores an assignment outside a section, so this unit has no ExecStart at all
        assertEquals(true, rejected("ExecStart=/bin/true\n").startsWith(FILE + ": Service has no ExecStart="));
        assertEquals(true, rejected("[Service\nExecStart=/bin/true\n").startsWith(FILE + ":1: not a systemd unit"));
        // a bare program name is looked up by systemd, as `sync --watch` is
        AgentUnit.parse("sync.service", "[Service]\nExecStart=sync --watch\n", FILE);
    }

    @Test
    void unitNames(@TempDir Path dir) throws Exception {
        assertEquals("sync.service", AgentUnit.unitName("sync", "--unit"));
        assertEquals("sync@a.service", AgentUnit.unitName("sync@a.service", "--unit"));
        HephException timer = assertThrows(HephException.class, () -> AgentUnit.unitName("sync.timer", "--unit"));
        assertEquals(ExitCode.USAGE, timer.exitCode());
        assertEquals("--unit: 'sync.timer' is not a service unit name; expected e.g. sync.service (letters, digits,"
                + " : _ . \\ - and one optional @)", timer.getMessage());
        Path notAUnit = dir.resolve("sync.conf");
        Files.writeString(notAUnit, "[Service]\nExecStart=/bin/true\n");
        assertEquals(ExitCode.USAGE, assertThrows(HephException.class, () -> AgentUnit.read(notAUnit)).exitCode());
        Path latin1 = dir.resolve("l.service");
        Files.write(latin1, new byte[] {'[', 'S', ']', '\n', (byte) 0xE9, '\n'});
        assertEquals(latin1 + ": is not UTF-8 text; expected a systemd unit file",
                assertThrows(HephException.class, () -> AgentUnit.read(latin1)).getMessage());
    }
}
