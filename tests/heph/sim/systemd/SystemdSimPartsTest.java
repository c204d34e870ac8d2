package heph.sim.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The systemctl fake's pure parts: argument parsing, time spans, unit definitions, show rendering. */
@org.junit.jupiter.api.Tag("unit")
class SystemdSimPartsTest {
    @Test
    void argumentsMayComeInAnyOrderAndUnitNamesAreMangled() {
        SystemdArgs a = SystemdArgs.parse(List.of("show", "-p", "MainPID", "--user", "-pActiveState",
                "--property=SubState,NRestarts", "--value", "heph"));
        assertEquals(List.of(true, true, "show", List.of("heph.service")), List.of(a.user(), a.valueOnly(), a.verb(),
                a.units()));
        assertEquals(List.of("MainPID", "ActiveState", "SubState", "NRestarts"), a.properties());
        SystemdArgs b = SystemdArgs.parse(List.of("--user", "enable", "--now", "default.target", "--", "-odd"));
        assertEquals(List.of(true, "enable", List.of("default.target", "-odd.service")),
                List.of(b.now(), b.verb(), b.units()));
        assertFalse(SystemdArgs.parse(List.of("--user", "--system", "start", "x")).user());
        assertEquals("systemctl: unrecognized option '--bogus'",
                assertThrows(IllegalArgumentException.class, () -> SystemdArgs.parse(List.of("--bogus"))).getMessage());
        assertEquals("systemctl: invalid option -- 'z'",
                assertThrows(IllegalArgumentException.class, () -> SystemdArgs.parse(List.of("-z"))).getMessage());
    }

    @Test
    void timeSpansParseAndFormatLikeSystemd() {
        assertEquals(List.of(90_000_000L, 1_000_000L, 500_000L, 90_000_000L, 1_500_000L, SystemdTimespan.INFINITY, -1L),
                List.of(SystemdTimespan.parseMicros("90"), SystemdTimespan.parseMicros("1s"),
                        SystemdTimespan.parseMicros("500ms"), SystemdTimespan.parseMicros("1min 30s"),
                        SystemdTimespan.parseMicros("1.5s"), SystemdTimespan.parseMicros("infinity"),
                        SystemdTimespan.parseMicros("soon")));
        assertEquals(List.of("1min 30s", "1s", "100ms", "0", "infinity", "1h 1ms"),
                List.of(SystemdTimespan.format(90_000_000), SystemdTimespan.format(1_000_000),
                        SystemdTimespan.format(100_000), SystemdTimespan.format(0),
                        SystemdTimespan.format(SystemdTimespan.INFINITY), SystemdTimespan.format(3_600_001_000L)));
    }

    @Test
    void definitionsReadWhatTheFakeActsOnWithSystemdsDefaults() {
        SystemdDefinition d = SystemdDefinition.parse("heph.service", """
                [Unit]
                Description=heph daemon (hephd)
                [Service]
                ExecStart=/opt/hephd --mode local "--hub-url=http://h/a b"
                Environment="A=1" B=2
                Restart=always
                RestartSec=1
                TimeoutStopSec=bogus
                [Install]
                WantedBy=default.target
                """);
        assertTrue(d.loaded());
        assertEquals(List.of("/opt/hephd", "--mode", "local", "--hub-url=http://h/a b"), d.execStart());
        assertEquals(Map.of("A", "1", "B", "2"), d.environment());
        assertEquals(List.of("heph daemon (hephd)", "always", 1_000_000L, 90_000_000L, List.of("default.target")),
                List.of(d.description(), d.restart(), d.restartMicros(), d.timeoutStopMicros(), d.wantedBy()));
        SystemdDefinition plain = SystemdDefinition.parse("x.service", "[Service]\nExecStart=/bin/true\n");
        assertEquals(List.of("x.service", "no", 100_000L, 5, 10_000_000L, List.of()), List.of(plain.description(),
                plain.restart(), plain.restartMicros(), plain.startLimitBurst(), plain.startLimitIntervalMicros(),
                plain.wantedBy()));
        assertFalse(SystemdDefinition.parse("y.service", "[Service]\nType=simple\n").loaded());
        assertFalse(SystemdDefinition.parse("z.service", "[Service]\nExecStart=/bin/x \"unbalanced\n").loaded());
        assertTrue(d.restartsAfter(true, false) && !plain.restartsAfter(false, true));
    }

    @Test
    void showRendersInBusOrderAndAnUnknownUnitAsNotFound() {
        Map<String, String> unknown = SystemdShow.properties("gone.service", null, false, "");
        List<String> keys = List.copyOf(unknown.keySet());
        // §12 (SD-DBUSSVC, SD-4907): Service-interface properties first, then the Unit interface
        assertTrue(keys.indexOf("ExecMainStartTimestamp") < keys.indexOf("Id"), keys.toString());
        assertTrue(keys.indexOf("MainPID") < keys.indexOf("Result") && keys.indexOf("Result") < keys.indexOf("NRestarts"));
        assertTrue(keys.indexOf("LoadState") < keys.indexOf("ActiveState")
                && keys.indexOf("UnitFileState") < keys.indexOf("NeedDaemonReload"));
        assertEquals("MainPID=0\nLoadState=not-found\nActiveState=inactive\nSubState=dead\n",
                SystemdShow.render(List.of(unknown), List.of("SubState", "ActiveState", "LoadState", "MainPID"), false));
        assertEquals("gone.service\n\nx.service\n", SystemdShow.render(List.of(unknown,
                SystemdShow.properties("x.service", null, false, "")), List.of("Id"), true));
        assertEquals("", SystemdShow.timestamp(0));
    }
}
