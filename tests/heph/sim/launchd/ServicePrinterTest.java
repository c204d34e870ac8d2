package heph.sim.launchd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.sim.SimServer;
import heph.sim.SimTool.Reply;
import heph.sim.SimTool;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("unit")
class ServicePrinterTest {
    static ImportedPlist spec() {
        return new ImportedPlist(Path.of("/Users/u/Library/LaunchAgents/org.x.plist"), "org.x", "/opt/hephd",
                List.of("/opt/hephd", "--mode", "local"), true, Map.of("RUST_LOG", "info"), true,
                ImportedPlist.KeepAlive.ALWAYS, "/tmp/o.log", "/tmp/e.log", null, 5, 10, false, null);
    }

    @Test
    void rendersARunningAgentLikeLaunchctlPrint() {
        // docs/facts/launchd-facts.md §3: tab-indented dump; field names and order as in the captures
        String expected = """
                gui/501/org.x = {
                \tactive count = 1
                \tpath = /Users/u/Library/LaunchAgents/org.x.plist
                \ttype = LaunchAgent
                \tstate = running

                \tprogram = /opt/hephd
                \targuments = {
                \t\t/opt/hephd
                \t\t--mode
                \t\tlocal
                \t}

                \tstdout path = /tmp/o.log
                \tstderr path = /tmp/e.log
                \tdefault environment = {
                \t\tPATH => /usr/bin:/bin:/usr/sbin:/sbin
                \t}

                \tenvironment = {
                \t\tRUST_LOG => info
                \t\tXPC_SERVICE_NAME => org.x
                \t}

                \tdomain = gui/501 [100000]
                \tasid = 100000
                \tminimum runtime = 10
                \texit timeout = 5
                \truns = 3
                \tpid = 4242
                \tlast exit code = 75: EX_TEMPFAIL

                \tspawn type = daemon (3)

                \tproperties = keepalive | runatload | inferred program
                }
                """;
        assertEquals(expected, ServicePrinter.service("gui/501",
                new ServicePrinter.View(spec(), "running", 4242, 3, 75, null)));
    }

    @Test
    void showsSignalsAndNeverExitedAndNoPidWhenNothingRuns() {
        String out = ServicePrinter.service("gui/501", new ServicePrinter.View(spec(), "SIGTERMed", 0, 1, null, 15));
        // docs/facts/launchd-facts.md §3: no pid line without a process; print-07: `last terminating signal = Terminated: 15`
        // stands where `last exit code` would
        assertEquals(List.of(true, false, false, true), List.of(out.contains("\tactive count = 0\n"),
                out.contains("\tpid = "), out.contains("\tlast exit code = "),
                out.contains("\tlast terminating signal = Terminated: 15\n")));
        String never = ServicePrinter.service("gui/501", new ServicePrinter.View(spec(), "not running", 0, 0, null,
                null));
        assertTrue(never.contains("\tlast exit code = (never exited)\n") && !never.contains("signal"), never);
        assertEquals("1", ServicePrinter.exitCode(1));
        assertEquals("78: EX_CONFIG", ServicePrinter.exitCode(78));
    }

    @Test
    void printDisabledUsesTheModernForm() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put("a", true);
        m.put("b", false);
        // docs/facts/launchd-facts.md §6
        assertEquals("\tdisabled services = {\n\t\t\"a\" => disabled\n\t\t\"b\" => enabled\n\t}\n",
                ServicePrinter.disabled(m));
    }

    @Test
    void shimFramingKeepsPartialLines() {
        assertEquals("E:err\nO:a\no:b\nX:3\n", SimServer.encode(new SimTool.Reply(3, "a\nb", "err\n")));
        assertEquals("X:0\n", SimServer.encode(SimTool.Reply.ok()));
    }
}
