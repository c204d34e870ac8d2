package heph.sim.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.systemd.UnitFileVerdictTest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The simulator's own unit reader loads the corpus (tests/fixtures/units) as the real systemd does (VERDICTS.txt),
 * except for the refusals the fake does not model, listed here by name.
 */
@org.junit.jupiter.api.Tag("unit")
class SystemdUnitTextTest {
    /**
     * Refused by systemd for reasons outside what the fake acts on (Type=dbus, PAM, oneshot rules, specifiers...),
     * or loaded by systemd without any ExecStart= (the fake only models a service that runs a command).
     */
    static final Set<String> NOT_MODELLED = Set.of("oneshot-execstop-remain.service", "successaction-exit.service",
            "dbus-no-busname.service", "pam-killmode-process.service", "oneshot-restart-always.service",
            "oneshot-exittype-cgroup.service", "specifier-bad-arg.service", "prefix-plus-bang.service",
            "prefix-double-dash.service", "tmpl@.service", "bad-header-chars.service", "bad-execreload.service",
            "relative-execstartpre.service");

    @Test
    void theFakeLoadsTheCorpusAsSystemdDoes() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : UnitFileVerdictTest.expected().entrySet()) {
            if (NOT_MODELLED.contains(e.getKey())) {
                continue;
            }
            SystemdDefinition d = SystemdDefinition.parse(e.getKey(),
                    Files.readString(UnitFileVerdictTest.DIR.resolve(e.getKey())));
            if (d.loaded() != e.getValue()) {
                wrong.add(e.getKey() + ": systemd " + (e.getValue() ? "loads it" : "refuses it") + ", the fake "
                        + (d.loaded() ? "loads it" : "says " + d.loadError()));
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void readsExecStartAsSystemdDoes() {
        SystemdDefinition d = SystemdDefinition.parse("a@inst.service", """
                # comment \\
                [Service]
                ExecStart=/bin/old
                ExecStart=
                ExecStart=-/bin/echo "two words" %i 100%% $$HOME \\
                ; comment inside
                  tail\\x21
                [X-Mine]
                ExecStart=/bin/other
                """);
        assertTrue(d.loaded(), d.loadError());
        assertEquals(List.of("/bin/echo", "two words", "inst", "100%", "$HOME", "tail!"), d.execStart());
        assertFalse(SystemdDefinition.parse("b.service", "[Service]\nExecStart=/bin/a\nExecStart=\n").loaded());
        assertFalse(SystemdDefinition.parse("c.service", "[Service]\nExecStart=/bin/a ; /bin/b\n").loaded());
        assertEquals(List.of("/bin/a"), SystemdDefinition.parse("d.service",
                "[Service]\nType=oneshot\nExecStart=/bin/a ; /bin/b\n").execStart());
    }
}
