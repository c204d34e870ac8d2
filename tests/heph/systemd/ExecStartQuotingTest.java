package heph.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("unit")
class ExecStartQuotingTest {
    /** Small alphabet with every character systemd treats specially in a command line. */
    static final String TRICKY = "ab /\"'\\%$;\t\n\r=#-@\u0001é";
    /** What an executable path may contain (systemd refuses quotes, backslashes and control characters there). */
    static final String PATH_SAFE = "ab /%-.;@é";

    static String randomWord(Random rnd, String alphabet, int maxLen) {
        StringBuilder sb = new StringBuilder();
        for (int n = rnd.nextInt(maxLen + 1); n > 0; n--) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static List<String> randomArgv(Random rnd) {
        List<String> argv = new ArrayList<>();
        argv.add("/opt/h" + randomWord(rnd, PATH_SAFE, 6) + "d");
        for (int n = rnd.nextInt(6); n > 0; n--) {
            argv.add(randomWord(rnd, TRICKY, 8));
        }
        return argv;
    }

    @Test
    void splitInvertsQuoteOnRandomArgv() {
        Random rnd = new Random(42L);
        for (int n = 0; n < 3000; n++) {
            List<String> argv = randomArgv(rnd);
            String quoted = ExecStartQuoting.quote(argv);
            assertEquals(argv, ExecStartQuoting.split(quoted), () -> "argv " + argv + " quoted as " + quoted);
            assertTrue(quoted.chars().noneMatch(c -> c < 0x20), () -> "one line: " + quoted);
        }
    }

    @Test
    void wordsInvertQuoteAssignmentOnRandomValues() {
        Random rnd = new Random(7L);
        for (int n = 0; n < 1000; n++) {
            String value = randomWord(rnd, TRICKY, 10);
            String quoted = ExecStartQuoting.quoteAssignment("K", value);
            assertEquals(List.of("K=" + value), ExecStartQuoting.words(quoted), quoted);
        }
    }

    @Test
    void quotesOnlyWhatNeedsIt() {
        assertEquals("/usr/bin/hephd --mode local", ExecStartQuoting.quote(List.of("/usr/bin/hephd", "--mode", "local")));
        assertEquals("\"/opt/My Tools/hephd\" \"\" \"a b\"",
                ExecStartQuoting.quote(List.of("/opt/My Tools/hephd", "", "a b")));
        // systemd.service(5): "%%" is a literal %, "$$" a literal $
        assertEquals("/bin/echo 100%% $$HOME \"$${X} y\"",
                ExecStartQuoting.quote(List.of("/bin/echo", "100%", "$HOME", "${X} y")));
        assertEquals("/bin/echo \"say \\\"hi\\\"\" \"it's\" \"back\\\\slash\" \";\" \"a\\nb\\tc\\x01\"",
                ExecStartQuoting.quote(List.of("/bin/echo", "say \"hi\"", "it's", "back\\slash", ";", "a\nb\tc\u0001")));
    }

    @Test
    void splitFollowsSystemdSyntax() {
        assertEquals(List.of("/bin/echo", "a b", "c d", "e\"f", "g h"),
                ExecStartQuoting.split("  /bin/echo \"a b\" 'c d' 'e\"f' g\\sh  "));
        assertEquals(List.of("/bin/echo", "ab cd"), ExecStartQuoting.split("/bin/echo a\"b c\"d"), "quotes mid-word");
        assertEquals(List.of("/bin/echo", "A", "A", "é", "é", "\t"),
                ExecStartQuoting.split("/bin/echo \\x41 \\101 \\u00e9 \\U000000e9 '\\t'"), "C escapes");
        assertEquals(List.of("/bin/echo", "\\q", "\\x4"), ExecStartQuoting.split("/bin/echo \\q \\x4"),
                "unknown escapes are kept, as systemd does after its warning");
        assertEquals(List.of("/bin/echo", "%", "%h", "$", "$HOME", ""), ExecStartQuoting.split("/bin/echo %% %h $$ $HOME \"\""));
    }

    @Test
    void splitDropsExecutablePrefixes() {
        // systemd.service(5): "-", "@", ":", "+", "!", "!!" may precede the executable path
        assertEquals(List.of("/usr/bin/hephd", "--mode"), ExecStartQuoting.split("-/usr/bin/hephd --mode"));
        assertEquals(List.of("/usr/bin/hephd", "x"), ExecStartQuoting.split(":+/usr/bin/hephd x"));
        assertEquals(List.of("/usr/bin/hephd"), ExecStartQuoting.split("!!/usr/bin/hephd"));
        assertEquals(List.of("/usr/bin/hephd", "hephd-argv0", "-v"),
                ExecStartQuoting.split("@/usr/bin/hephd hephd-argv0 -v"), "@ form returned as written");
        assertEquals(List.of("/bin/echo", "-x", "@y"), ExecStartQuoting.split("/bin/echo -x @y"), "only the first word");
    }

    @Test
    void splitHonoursTheSemicolonRules() {
        // systemd's config_parse_exec: a lone unquoted ";" separates commands, a lone "\;" is a literal ";"
        assertEquals(List.of("/bin/a", "x"), ExecStartQuoting.split("/bin/a x ; /bin/b y"));
        assertEquals(List.of("/bin/a", ";", "b"), ExecStartQuoting.split("/bin/a \\; b"));
        assertEquals(List.of("/bin/a", ";", "x;"), ExecStartQuoting.split("/bin/a \";\" x;"));
    }

    @Test
    void unbalancedQuoteIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecStartQuoting.split("/bin/echo \"open"));
        assertTrue(e.getMessage().contains("/bin/echo \"open"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExecStartQuoting.words("A='1"));
    }

    @Test
    void quoteRefusesWhatSystemdCannotRunAsTheExecutable() {
        for (String bad : List.of("", "-x", "@/bin/x", "relative/hephd", "/usr/bin/", "/a\"b", "/a\\b", "/a$b", "/a\nb")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExecStartQuoting.quote(List.of(bad)), bad);
            assertTrue(e.getMessage().startsWith("executable '"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ExecStartQuoting.quote(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ExecStartQuoting.quote(List.of("/bin/x", "a\0b")));
        assertEquals("hephd", ExecStartQuoting.quote(List.of("hephd")), "a bare name is searched by systemd");
    }
}
