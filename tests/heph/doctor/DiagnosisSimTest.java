package heph.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.HephException;
import heph.launchd.Launchctl;
import heph.launchd.LaunchdPrimitives;
import heph.proc.ExecResult;
import heph.proc.ZtExecRunner;
import heph.sim.SimOptions;
import heph.sim.Simulator;
import heph.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * a bootstrap that keeps failing with 5 names the cause. The simulator answers bootstrap of a disabled
 * label with 5 as modern macOS does for a user (docs/facts/launchd-facts.md §1: OC-849, RINGS) and print-disabled shows the entry
 * (§6); bootstrap-with-retry tries its 5 times, then heph's probes find the override and say "disabled".
 */
@org.junit.jupiter.api.Tag("simulator")
class DiagnosisSimTest {
    static final String LABEL = "org.hephaestus.hephd";
    @TempDir
    Path dir;
    Simulator sim;
    Launchctl lc;

    @BeforeEach
    void start() {
        sim = Simulator.start(SimOptions.in(dir).withSeed(31));
        lc = new Launchctl(new ZtExecRunner(), sim.launchctl().toString(), Duration.ofSeconds(15));
    }

    @AfterEach
    void close() {
        sim.close();
    }

    private Path plist(String program) throws Exception {
        Path p = sim.launchAgents().resolve(LABEL + ".plist");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
                + "<key>Label</key><string>" + LABEL + "</string><key>ProgramArguments</key><array><string>" + program
                + "</string></array></dict></plist>\n");
        return p;
    }

    @Test
    void aDisabledLabelIsNamedWithItsFix() throws Exception {
        Path p = plist(sim.hephd().toString());
        String target = sim.domain() + "/" + LABEL;
        assertEquals(0, new ZtExecRunner().run(List.of(sim.launchctl().toString(), "disable", target),
                Duration.ofSeconds(15)).exitCode());
        assertTrue(lc.printDisabled(sim.domain()).stdout().contains("\"" + LABEL + "\" => disabled"));
        ExecResult once = lc.bootstrap(sim.domain(), p.toString());
        assertEquals(5, once.exitCode(), "§1: disabled label, as user: 5");

        HephException e = assertThrows(HephException.class, () -> new LaunchdPrimitives(lc, Clock.SYSTEM)
                .bootstrapWithRetry(sim.domain(), p.toString(), target, Duration.ofMillis(100)));
        assertTrue(e.getMessage().startsWith("launchctl bootstrap failed: 5: Input/output error: "), e.getMessage());
        assertTrue(e.getMessage().contains("(after 5 attempts); heph looked: " + LABEL + " is disabled in launchd's"
                + " override database"), e.getMessage());
        assertTrue(e.getMessage().endsWith("fix: `launchctl enable " + target + "`, or `heph start` (it enables"
                + " before bootstrap)"), e.getMessage());
    }

    @Test
    void aMissingPlistAndAnUnparseablePlistAreNamed() throws Exception {
        List<String> none = Diagnosis.afterBootstrapFailure(lc, sim.domain(),
                sim.launchAgents().resolve("nope.plist").toString(), LABEL);
        assertEquals(List.of("the plist " + sim.launchAgents().resolve("nope.plist") + " does not exist; fix: `heph"
                + " start` writes it"), none);
        Path p = plist(sim.hephd().toString());
        Files.writeString(p, "<plist><dict><key>Label</key>");
        List<String> garbage = Diagnosis.afterBootstrapFailure(lc, sim.domain(), p.toString(), LABEL);
        assertEquals(1, garbage.size(), garbage.toString());
        assertTrue(garbage.get(0).startsWith(p + " does not parse: "), garbage.get(0));
    }

    @Test
    void aMissingProgramAndAMissingGuiDomainAreNamed() throws Exception {
        Path p = plist("/nonexistent/hephd");
        List<String> causes = Diagnosis.afterBootstrapFailure(lc, sim.domain(), p.toString(), LABEL);
        assertEquals(1, causes.size(), causes.toString());
        assertTrue(causes.get(0).startsWith("program /nonexistent/hephd does not exist"), causes.get(0));

        plist(sim.hephd().toString());
        sim.knobs().noGuiDomain(true);
        List<String> noGui = Diagnosis.afterBootstrapFailure(lc, sim.domain(), p.toString(), LABEL);
        assertEquals(1, noGui.size(), noGui.toString());
        assertTrue(noGui.get(0).contains("no GUI login session") && noGui.get(0).contains("--domain user"),
                noGui.get(0));
        assertEquals(List.of(), Diagnosis.afterBootstrapFailure(lc, sim.userDomain(), p.toString(), LABEL),
                "user/<uid> exists without a GUI session: nothing to name");
    }
}
