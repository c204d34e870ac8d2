package heph.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.Heph;
import heph.HephOptions;
import heph.agents.ApplyReport;
import heph.service.Outcome;
import heph.service.ServiceStatus;
import heph.sim.SimOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any agent through {@link Heph}, the scripting API (for a label, a file, a folder), in-process and in jshell. */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Tag("simulator")
class AnyAgentLibraryTest {
    @TempDir
    Path dir;
    HephInSim h;
    Heph heph;
    final List<String> said = new ArrayList<>();

    @BeforeEach
    void start() {
        h = new HephInSim(SimOptions.in(dir.resolve("sim")).withSeed(5).withCleanupLagMs(200, 400));
        HephOptions o = new HephOptions();
        o.progress = said::add;
        heph = Heph.create(o.toSettings(h.env, h.sim.home()));
    }

    @AfterEach
    void close() {
        h.close();
    }

    /** A Program-only KeepAlive agent: launchd runs [Program] (launchd.plist(5)); print shows program and args. */
    Path programOnly(String label) throws IOException {
        Path p = Files.createDirectories(dir.resolve("dotfiles")).resolve(label + ".plist");
        Files.writeString(p, "<plist><dict><key>Label</key><string>" + label + "</string><key>Program</key><string>"
                + h.sim.hephd() + "</string><key>KeepAlive</key><true/><key>EnvironmentVariables</key><dict>"
                + "<key>HEPH_SOCKET</key><string>" + h.sim.home().resolve(label + ".sock") + "</string>"
                + "<key>HEPH_DB</key><string>" + h.sim.home().resolve(label + ".db") + "</string></dict>"
                + "</dict></plist>");
        return p;
    }

    @Test
    void aFileALabelAndAFolderThroughTheApi() throws IOException {
        Path file = programOnly("org.example.lib");
        Heph agent = heph.forFile(file);
        assertFalse(agent.isHephd());
        assertEquals("org.example.lib", agent.name());
        Outcome started = agent.start();
        assertEquals("start", started.path());
        assertTrue(Files.exists(h.sim.home().resolve(".local/state/heph/org.example.lib.lock")), "its own lock");
        assertEquals("none", heph.forFile(file).start().path(), "Program-only: unchanged is unchanged");
        ServiceStatus st = heph.forLabel("org.example.lib").status();
        assertTrue(st.running(), st.toString());

        // a hand edit to the installed plist is a change: restart by label reloads it (launchd ignores the edit)
        Path installed = h.sim.launchAgents().resolve("org.example.lib.plist");
        Files.writeString(installed, Files.readString(installed).replace("<key>KeepAlive</key>",
                "<key>ProgramArguments</key><array><string>" + h.sim.hephd() + "</string><string>--mode</string>"
                        + "<string>server</string></array><key>KeepAlive</key>"));
        Outcome edited = heph.forLabel("org.example.lib").restart();
        assertEquals("reload", edited.path(), edited.message());
        assertEquals(List.of(h.sim.hephd().toString(), "--mode", "server"),
                heph.forLabel("org.example.lib").status().arguments());

        assertTrue(heph.forLabel("org.hephaestus.hephd").isHephd(), "hephd's label is hephd");
        ApplyReport report = heph.apply(dir.resolve("dotfiles"), false);
        assertEquals(1, report.results().size());
        assertEquals(0, report.failed());
        assertEquals("reload", report.results().get(0).how(), "the folder's file differs from the hand edit");
        assertTrue(heph.list().stream().anyMatch(s -> s.name().equals("org.example.lib") && s.running()));
    }

    @Test
    void usableFromJShell() throws Exception {
        Path file = programOnly("org.example.js");
        List<String> lines = List.of("var h = heph.Heph.fromEnvironment()",
                "h.forFile(java.nio.file.Path.of(\"" + file + "\")).start().path()",
                "h.forLabel(\"org.example.js\").status().running()",
                "h.apply(java.nio.file.Path.of(\"" + file.getParent() + "\"), false).failed()");
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        ProcessBuilder pb = new ProcessBuilder(jshell.toString(), "-q", "--execution",
                ExamplesJShellTest.JSHELL_EXECUTION, "--class-path",
                System.getProperty("java.class.path")).redirectErrorStream(true);
        pb.environment().putAll(h.env);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((String.join("\n", lines) + "\n/exit\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jshell did not finish");
        assertTrue(out.contains("==> \"start\""), out);
        assertTrue(out.contains("==> true"), out);
        assertTrue(out.contains("==> 0"), out);
        assertTrue(h.sim.runningPid("org.example.js").isPresent());
    }
}
