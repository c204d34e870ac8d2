package heph.sim.launchd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pre-Big Sur print form (docs/facts/launchd-facts.md §13; real-launchctl print-11, print-17) and the xpcproxy state. */
@org.junit.jupiter.api.Tag("unit")
class ServicePrinterLegacyTest {
    @Test
    void theHeaderHasNoDomainAndTheFieldsAreThatEras() {
        String out = ServicePrinter.serviceLegacy("gui/501",
                new ServicePrinter.View(ServicePrinterTest.spec(), "running", 1486, 3, 0, null));
        String expected = """
                org.x = {
                \tactive count = 1
                \tcopy count = 0
                \tone shot = 0
                \tpath = /Users/u/Library/LaunchAgents/org.x.plist
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

                \tdomain = com.apple.xpc.launchd.domain.gui.501
                \tminimum runtime = 10
                \texit timeout = 5
                \truns = 3
                \tsuccessive crashes = 0
                \tpid = 1486
                \tlast exit code = 0

                \tevent triggers = {
                \t}

                \tendpoints = {
                \t}

                \tdynamic endpoints = {
                \t}

                \tpid-local endpoints = {
                \t}

                \tinstance-specific endpoints = {
                \t}

                \tevent channels = {
                \t}

                \tsockets = {
                \t}

                }
                """;
        assertEquals(expected, out);
    }

    @Test
    void legacyExitCodesCarryNoSysexitsNameAndSignalsReplaceThem() {
        String failed = ServicePrinter.serviceLegacy("gui/501",
                new ServicePrinter.View(ServicePrinterTest.spec(), "not running", 0, 1, 78, null));
        // print-11 era: `last exit code = 0`, a bare number; the `78: EX_CONFIG` form is the modern one (print-23)
        assertTrue(failed.contains("\tlast exit code = 78\n") && !failed.contains("\tpid = "), failed);
        assertTrue(failed.startsWith("org.x = {\n") && !failed.contains("gui/501/"), failed);
        assertFalse(failed.contains("type = LaunchAgent") || failed.contains("spawn type"), failed);
        String signaled = ServicePrinter.serviceLegacy("gui/501",
                new ServicePrinter.View(ServicePrinterTest.spec(), "running", 9, 2, null, 15));
        assertTrue(signaled.contains("\tlast terminating signal = Terminated: 15\n")
                && !signaled.contains("last exit code"), signaled);
    }

    @Test
    void theModernFormShowsTheTransitionalXpcproxyStateWithItsPid() {
        // docs/facts/launchd-facts.md §13 (siq-agent-security PR 66): `state = xpcproxy` right after a spawn, before `running`
        String out = ServicePrinter.service("gui/501",
                new ServicePrinter.View(ServicePrinterTest.spec(), Job.State.XPCPROXY.text, 77, 1, null, null));
        assertTrue(out.startsWith("gui/501/org.x = {\n") && out.contains("\tstate = xpcproxy\n")
                && out.contains("\tpid = 77\n"), out);
    }
}
