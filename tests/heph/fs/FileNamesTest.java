package heph.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import heph.agents.AgentUnit;
import heph.config.FlagValidation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels of 218 to 255 characters passed validation, then failed with "File name too long" once heph's state was
 * half written; a 10 000-character --unit failed as "cannot take the lock". The longest derived name is checked up
 * front, and the message echoes only a prefix.
 */
@org.junit.jupiter.api.Tag("unit")
class FileNamesTest {
    @TempDir
    Path dir;

    static String label(int length) {
        return "org." + "a".repeat(length - 4);
    }

    @Test
    void aNameWithoutASuffixNamesTheFileItselfNotAnEmptyWord() {
        String unit = "u".repeat(300) + ".service";
        HephException e = assertThrows(HephException.class, () -> FileNames.requireFits("--unit", unit, ""));
        assertTrue(e.getMessage().contains("heph's files for it (the file itself, lock, temp and set-aside files)"),
                e.getMessage());
    }

    @Test
    void theLongestLabelThatFitsIsAcceptedOneMoreIsAUsageErrorWithAPrefix() {
        int max = FileNames.maxName(".plist");
        assertEquals(212, max);
        assertEquals(label(max), FlagValidation.label("--label", label(max)));
        HephException e = assertThrows(HephException.class, () -> FlagValidation.label("--label", label(max + 1)));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("--label: '" + label(max + 1).substring(0, 80) + "... (213 characters)' (213 bytes) is too long; expected at most"
                + " 212, so that heph's files for it (plist, lock, temp and set-aside files) fit in a 255-byte file"
                + " name", e.getMessage());
        for (int n : new int[] {218, 255}) {
            assertThrows(HephException.class, () -> FlagValidation.label("Label", label(n)));
        }
    }

    /** What the check promises, on the real file system: every name heph derives from the longest label fits. */
    @Test
    void everyNameDerivedFromTheLongestLabelCanBeCreated() throws Exception {
        String l = label(FileNames.maxName(".plist"));
        for (String name : new String[] {l + ".lock", l + ".plist", l + ".plist.unparseable-20261207-110000-9999",
            "." + l + ".plist." + "4".repeat(10) + "." + "1".repeat(20) + ".tmp"}) {
            Files.createFile(dir.resolve(name));
        }
        Path target = dir.resolve("t").resolve(l + ".plist");
        AtomicFile.write(target, new byte[] {1});
        assertEquals(1, Files.size(AtomicFile.moveAside(target)));
    }

    @Test
    void aHugeUnitIsAOneLineUsageErrorEchoingAPrefix() {
        HephException e = assertThrows(HephException.class, () -> AgentUnit.unitName("a".repeat(10_000), "--unit"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--unit: '" + "a".repeat(80) + "... (10008 characters)' (10008 bytes) is too long"),
                e.getMessage());
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        HephException bad = assertThrows(HephException.class, () -> AgentUnit.unitName("/".repeat(10_000), "--unit"));
        assertTrue(bad.getMessage().length() < 300, bad.getMessage());
        String fits = "a".repeat(FileNames.maxName(".service")) + ".service";
        assertEquals(fits, AgentUnit.unitName(fits, "--unit"));
    }

    @Test
    void aShortValueIsShownWhole() {
        assertEquals("org.x", FileNames.prefix("org.x"));
        assertEquals("x".repeat(80) + "... (1000 characters)", FileNames.prefix("x".repeat(1000)));
    }
}
