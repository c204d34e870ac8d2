package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.SimOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small things the operator sees: logs -n 0, a reload message of a job between runs, bash completion's words. */
@org.junit.jupiter.api.Tag("simulator")
class VerbDetailsTest {
    @TempDir
    Path dir;
    HephInSim h;

    @BeforeEach
    void start() {
        h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(1717));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void logsWithNoLinesDoesNotCallAFileWithLinesEmpty() throws Exception {
        assertEquals(0, h.heph("start").exit());
        h.daemonInfo(); // it has written its first line by now
        HephInSim.Run logs = h.heph("logs", "-n", "0");
        assertEquals(0, logs.exit(), logs.err());
        assertEquals("", logs.out());
        Path outLog = h.sim.home().resolve("Library/Logs/heph/hephd.out.log");
        assertTrue(Files.size(outLog) > 0);
        assertFalse(logs.err().contains(outLog + " is empty"), logs.err());
    }

    @Test
    void reloadingAJobBetweenItsRunsSaysNoFormerPid() throws Exception {
        Path plist = dir.resolve("org.example.tick.plist");
        String text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
                + "\t<key>Label</key>\n\t<string>org.example.tick</string>\n"
                + "\t<key>ProgramArguments</key>\n\t<array>\n\t\t<string>/bin/true</string>\n\t</array>\n"
                + "\t<key>StartInterval</key>\n\t<integer>INTERVAL</integer>\n</dict>\n</plist>\n";
        Files.writeString(plist, text.replace("INTERVAL", "3600"));
        HephInSim.Run first = h.heph("start", "--plist", plist.toString());
        assertEquals(0, first.exit(), first.err());
        Files.writeString(plist, text.replace("INTERVAL", "7200"));
        HephInSim.Run reload = h.heph("start", "--plist", plist.toString(), "--json");
        assertEquals(0, reload.exit(), reload.err());
        assertEquals("reload", reload.json().get("path"));
        String message = reload.json().get("message").toString();
        assertFalse(message.contains("null"), message);
        assertTrue(message.contains("reloaded with the new definition"), message);
    }

    /** The words bash completion offers for the line {@code words} (the last one being completed). */
    List<String> complete(String... words) throws Exception {
        Path script = dir.resolve("heph-completion.bash");
        Files.writeString(script, h.heph("completion", "bash").out());
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append(" '").append(w).append("'");
        }
        String line = String.join(" ", words);
        String sh = "source '" + script + "'\nCOMP_WORDS=(" + array + ")\nCOMP_CWORD=" + (words.length - 1)
                + "\nCOMP_LINE='" + line + "'\nCOMP_POINT=${#COMP_LINE}\n_complete_heph\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", sh).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
    }

    @Test
    void bashCompletionOffersTheShellsBackendsAndDomains() throws Exception {
        assertEquals(List.of("bash", "zsh"), complete("heph", "completion", ""));
        assertEquals(List.of("launchd", "systemd"), complete("heph", "status", "--backend", ""));
        assertEquals(List.of("gui", "user"), complete("heph", "start", "--domain", ""));
        assertEquals(List.of("systemd"), complete("heph", "--backend", "s"));
    }
}
