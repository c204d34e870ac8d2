package heph.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import heph.ExitCode;
import heph.HephException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("unit")
class UnitFileTest {
    // docs/facts/hephd.md §5: hephd --mode local --db <db> --socket <socket>; §4: socket under $XDG_RUNTIME_DIR/heph/
    static final UnitSpec HEPHD = new UnitSpec("heph daemon (hephd)",
            List.of("/home/ann/My Tools/hephd", "--mode", "local", "--db", "/home/ann/.local/share/heph/heph.db",
                    "--socket", "/run/user/1000/heph/hephd.sock",
                    "--hub-url", "https://hub.internal/sync?tag=100%25&who=$USER"),
            Map.of("RUST_LOG", "info", "PATH", "/home/ann/.cargo/bin:/usr/bin"));

    static final String HEPHD_UNIT = """
            # Written by heph; `heph start` and `heph restart` rewrite this file.
            [Unit]
            Description=heph daemon (hephd)

            [Service]
            Type=simple
            ExecStart="/home/ann/My Tools/hephd" --mode local --db /home/ann/.local/share/heph/heph.db \
            --socket /run/user/1000/heph/hephd.sock --hub-url https://hub.internal/sync?tag=100%%25&who=$$USER
            Environment="PATH=/home/ann/.cargo/bin:/usr/bin"
            Environment="RUST_LOG=info"
            Restart=always
            RestartSec=1

            [Install]
            WantedBy=default.target
            """;

    @Test
    void rendersTheHephdUnitExactly() {
        assertEquals(HEPHD_UNIT, UnitFile.render(HEPHD));
        assertEquals(UnitFile.render(HEPHD), UnitFile.render(HEPHD), "deterministic");
    }

    @Test
    void renderedUnitParsesBackToTheSpec() {
        UnitFile.Parsed p = UnitFile.parse(UnitFile.render(HEPHD), "heph.service");
        assertEquals(HEPHD.execStart(), p.execStart());
        assertEquals(HEPHD.environment(), p.environment());
        assertEquals(Optional.of("heph daemon (hephd)"), p.value("Unit", "Description"));
        assertEquals(Optional.of("always"), p.value("Service", "Restart"));
        assertEquals(Optional.of("default.target"), p.value("Install", "WantedBy"));
    }

    @Test
    void randomSpecsSurviveRenderAndParse() {
        Random rnd = new Random(20260901L);
        String alphabet = "ab /\"'\\%$;=\t\n#-";
        for (int n = 0; n < 500; n++) {
            List<String> argv = ExecStartQuotingTest.randomArgv(rnd);
            Map<String, String> env = new LinkedHashMap<>();
            for (int k = rnd.nextInt(3); k > 0; k--) {
                env.put("V" + k, ExecStartQuotingTest.randomWord(rnd, alphabet, 6));
            }
            UnitSpec spec = new UnitSpec("d % $ \"x\"", argv, env);
            UnitFile.Parsed p = UnitFile.parse(UnitFile.render(spec), "random");
            assertEquals(argv, p.execStart(), () -> "argv " + argv);
            assertEquals(spec.environment(), p.environment(), () -> "env " + env);
        }
    }

    @Test
    void parseToleratesCommentsContinuationsAndSpacing() {
        String text = """
                # leading comment
                ; semicolon comment

                [Unit]
                  Description = hephd , hand edited\s\s
                [Service]
                ExecStart=/usr/bin/hephd \\
                    --mode local \\
                # a comment inside the continuation is skipped
                    --db "/tmp/a b.db"
                Environment=A=1 "B=two words"
                Environment=C=3
                ExecStart=
                ExecStart=/usr/bin/hephd --mode hub
                ExecStart=
                Restart=on-failure\r
                """;
        UnitFile.Parsed p = UnitFile.parse(text, "~/.config/systemd/user/heph.service");
        assertEquals(Optional.of("hephd , hand edited"), p.value("Unit", "Description"));
        assertEquals(List.of(), p.execStart(), "the last ExecStart= is empty: it clears the list, as in systemd");
        assertEquals(List.of("/usr/bin/hephd      --mode local      --db \"/tmp/a b.db\"", "",
                "/usr/bin/hephd --mode hub", ""), p.values("Service", "ExecStart"));
        assertEquals(Map.of("A", "1", "B", "two words", "C", "3"), p.environment());
        assertEquals(Optional.of("on-failure"), p.value("Service", "Restart"));
        assertEquals(Optional.empty(), p.value("Service", "Type"));
        assertEquals(Optional.empty(), p.value("Nope", "Type"));
    }

    @Test
    void continuationsParseInLinearTime() {
        // 320 kB of continuation lines took minutes when each line rescanned the joined line; ~1 MB now parses in
        // one pass (no time is asserted: with the old quadratic scan this test does not finish)
        int n = (UnitFileParser.MAX_BYTES - 64) / 4;
        StringBuilder text = new StringBuilder("[Service]\nExecStart=/bin/echo \\\n");
        for (int i = 0; i < n; i++) {
            text.append("a \\\n");
        }
        text.append("z\n");
        List<String> argv = UnitFile.parse(text.toString(), "big").execStart();
        assertEquals(n + 2, argv.size());
        assertEquals("z", argv.get(argv.size() - 1));
        assertEquals(n + 2, UnitFile.load(text.toString(), "big").execStart().size());
    }

    @Test
    void aUnitLargerThanOneMebibyteIsRefused() {
        String text = "[Service]\nExecStart=/bin/true\n#" + "x".repeat(UnitFileParser.MAX_BYTES) + "\n";
        for (UnitParseException e : List.of(assertThrows(UnitParseException.class, () -> UnitFile.parse(text, "u")),
                assertThrows(UnitParseException.class, () -> UnitFile.load(text, "u")))) {
            assertTrue(e.getMessage().startsWith("u:0: not a systemd unit file: larger than 1048576 bytes"),
                    e.getMessage());
        }
        String wide = "[Service]\nExecStart=/bin/true\n#" + "\u00e9".repeat(UnitFileParser.MAX_BYTES / 2) + "\n";
        assertThrows(UnitParseException.class, () -> UnitFile.parse(wide, "u"), "counted in UTF-8 bytes");
    }

    @Test
    void aCommentEndingInABackslashDoesNotContinue() {
        String text = "[Service]\n# note \\\nExecStart=/bin/true\n";
        assertEquals(List.of("/bin/true"), UnitFile.parse(text, "t").execStart());
        assertEquals(List.of("/bin/true"), UnitFile.load(text, "t").execStart());
    }

    @Test
    void loadSkipsWhatSystemdSkipsWhereParseRefuses() {
        String text = "Stray=1\n[Service]\nno equals\n=v\nExecStart=/bin/true\n[X-Mine]\nExecStart=\n[Bogus]\nA=b\n";
        assertThrows(UnitParseException.class, () -> UnitFile.parse(text, "t"));
        UnitFile.Parsed p = UnitFile.load(text, "t");
        assertEquals(List.of("/bin/true"), p.execStart());
        assertEquals(List.of("Service"), List.copyOf(p.sections().keySet()));
        assertThrows(UnitParseException.class, () -> UnitFile.load("[Service]\nExecStart=/x\n[Service\n", "t"));
        assertThrows(UnitParseException.class, () -> UnitFile.load("[Se'rvice]\n", "t"));
    }

    @Test
    void continuationKeepsAnEscapedTrailingBackslash() {
        UnitFile.Parsed p = UnitFile.parse("[Service]\nExecStart=/bin/echo \\\\\nRestart=no\n", "t");
        assertEquals(List.of("/bin/echo", "\\"), p.execStart());
        assertEquals(Optional.of("no"), p.value("Service", "Restart"));
    }

    @Test
    void firstContinuedExecStartIsUnquoted() {
        UnitFile.Parsed p = UnitFile.parse("[Service]\nExecStart=/usr/bin/hephd \\\n  --db \"/tmp/a b.db\"\n", "t");
        assertEquals(List.of("/usr/bin/hephd", "--db", "/tmp/a b.db"), p.execStart());
    }

    @Test
    void noExecStartGivesEmptyArgv() {
        assertEquals(List.of(), UnitFile.parse("[Unit]\nDescription=x\n", "t").execStart());
        assertEquals(List.of(), UnitFile.parse("", "empty").execStart());
    }

    @Test
    void garbageThrowsNamingTheSource() {
        String src = "/home/ann/.config/systemd/user/heph.service";
        for (String garbage : List.of("hello world\n", "{\"Label\": \"org.hephaestus.hephd\"}",
                "[Service]\nExecStart /usr/bin/hephd\n", "[Service\nExecStart=/x\n", "[Service]\n=value\n",
                "[Service]\nExecStart=/usr/bin/hephd \"unbalanced\n",
                "<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict/></plist>\n")) {
            UnitParseException e = assertThrows(UnitParseException.class, () -> UnitFile.parse(garbage, src),
                    garbage);
            assertTrue(e.getMessage().startsWith(src + ":"), e.getMessage());
            assertTrue(e.getMessage().contains("not a systemd unit file"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
            assertEquals(ExitCode.FAILED, e.exitCode());
            assertEquals(src, e.source());
        }
        UnitParseException e = assertThrows(UnitParseException.class,
                () -> UnitFile.parse("# ok\n[Unit]\nDescription=x\nno equals sign here\n", "u"));
        assertEquals("u:4: not a systemd unit file: expected Key=value in [Unit], got 'no equals sign here'",
                e.getMessage());
        assertEquals(4, e.line());
    }

    @Test
    void sameUnitIgnoresCommentsSpacingAndKeyOrder() {
        String edited = """
                [Install]
                WantedBy = default.target
                # the user reordered everything
                [Service]
                RestartSec=1
                Restart=always
                Environment="RUST_LOG=info"
                ExecStart="/home/ann/My Tools/hephd" --mode local --db /home/ann/.local/share/heph/heph.db \\
                  --socket /run/user/1000/heph/hephd.sock --hub-url https://hub.internal/sync?tag=100%%25&who=$$USER
                Environment="PATH=/home/ann/.cargo/bin:/usr/bin"
                Type=simple
                [Unit]
                Description=heph daemon (hephd)
                """;
        assertTrue(UnitFile.sameUnit(HEPHD_UNIT, edited));
        assertTrue(UnitFile.sameUnit(edited, HEPHD_UNIT));
        String requoted = HEPHD_UNIT.replace("--mode local", "'--mode'  \"local\"")
                .replace("Environment=\"RUST_LOG=info\"", "Environment=RUST_LOG=info");
        assertTrue(UnitFile.sameUnit(HEPHD_UNIT, requoted), "same words, other quoting");
        assertTrue(UnitFile.sameUnit(requoted, HEPHD_UNIT));
    }

    @Test
    void sameUnitSeesChangedValuesInBothDirections() {
        String other = UnitFile.render(new UnitSpec(HEPHD.description(), HEPHD.execStart(),
                Map.of("RUST_LOG", "debug", "PATH", "/home/ann/.cargo/bin:/usr/bin")));
        assertFalse(UnitFile.sameUnit(HEPHD_UNIT, other));
        assertFalse(UnitFile.sameUnit(other, HEPHD_UNIT));
        String restart = HEPHD_UNIT.replace("Restart=always", "Restart=on-failure");
        assertFalse(UnitFile.sameUnit(HEPHD_UNIT, restart));
        assertFalse(UnitFile.sameUnit(restart, HEPHD_UNIT));
        String pre = HEPHD_UNIT.replace("Type=simple\n", "Type=simple\nExecStartPre=/bin/a\nExecStartPre=/bin/b\n");
        String swapped = pre.replace("/bin/a\nExecStartPre=/bin/b", "/bin/b\nExecStartPre=/bin/a");
        assertFalse(UnitFile.sameUnit(pre, swapped), "order of repeated keys is meaningful");
        assertFalse(UnitFile.sameUnit(swapped, pre));
        String env = HEPHD_UNIT.replace("Environment=\"PATH=/home/ann/.cargo/bin:/usr/bin\"\n", "")
                .replace("Environment=\"RUST_LOG=info\"", "Environment=RUST_LOG=info PATH=/home/ann/.cargo/bin:/usr/bin");
        assertTrue(UnitFile.sameUnit(HEPHD_UNIT, env), "same variables, other grouping and order");
        String cleared = HEPHD_UNIT.replace("Environment=\"RUST_LOG=info\"", "Environment=\nEnvironment=RUST_LOG=info");
        assertFalse(UnitFile.sameUnit(HEPHD_UNIT, cleared), "an empty Environment= clears what came before");
        assertFalse(UnitFile.sameUnit(cleared, HEPHD_UNIT));
        assertFalse(UnitFile.sameUnit(HEPHD_UNIT, "not a unit"));
        assertFalse(UnitFile.sameUnit("not a unit", HEPHD_UNIT));
        String separated = "[Service]\nExecStart=/bin/x ; /bin/y\n";
        String literal = "[Service]\nExecStart=/bin/x \\; /bin/y\n";
        assertFalse(UnitFile.sameUnit(separated, literal), "a command separator is not a literal ';'");
        assertFalse(UnitFile.sameUnit(literal, separated));
        assertTrue(UnitFile.sameUnit(HEPHD_UNIT, "[Empty]\n" + HEPHD_UNIT), "an empty section is no content");
    }

    @Test
    void specRejectsWhatSystemdCouldNotReadBack() {
        List<String> ok = List.of("/usr/bin/hephd");
        for (Runnable bad : List.<Runnable>of(
                () -> new UnitSpec("x", List.of(), Map.of()),
                () -> new UnitSpec("x", List.of("bin/hephd"), Map.of()),
                () -> new UnitSpec("x", List.of("-/usr/bin/hephd"), Map.of()),
                () -> new UnitSpec("x", List.of("/usr/bin/$hephd"), Map.of()),
                () -> new UnitSpec("x", List.of("/usr/bin/hephd", "a\0b"), Map.of()),
                () -> new UnitSpec("two\nlines", ok, Map.of()),
                () -> new UnitSpec(" padded", ok, Map.of()),
                () -> new UnitSpec("x", ok, Map.of("1BAD", "v")),
                () -> new UnitSpec("x", ok, Map.of("A-B", "v")))) {
            HephException e = assertThrows(HephException.class, bad::run);
            assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
        }
        assertEquals(List.of("A", "B"), List.copyOf(new UnitSpec("x", ok, Map.of("B", "", "A", "")).environment()
                .keySet()), "environment sorted by name");
    }
}
