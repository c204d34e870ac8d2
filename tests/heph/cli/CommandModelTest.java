package heph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A run builds only the command models of the verbs its arguments name (startup of the installed command); the
 * whole tree stays what usage, completion and docs/cli.md show, and a run's output is the same either way.
 */
@org.junit.jupiter.api.Tag("unit")
class CommandModelTest {
    @BeforeAll
    static void plainText() {
        System.setProperty("picocli.ansi", "false");
    }

    private static CommandLine build(String... args) {
        return Main.commandLine(new Main(Map.of(), Path.of("/")), args);
    }

    private static CommandLine whole() {
        return Main.commandLine(new Main(Map.of(), Path.of("/")));
    }

    @Test
    void theWholeTreeHasEveryVerbCommandModelKnows() {
        assertEquals(CommandModel.VERBS, new ArrayList<>(whole().getSubcommands().keySet()),
                "a verb added to Main/Verbs/AgentCommands must be added to CommandModel.VERBS and its add()");
    }

    @Test
    void eachVerbAloneGetsTheSameCommandAsInTheWholeTree() {
        CommandLine all = whole();
        for (String verb : CommandModel.VERBS) {
            if (verb.equals("completion")) {
                continue; // completion walks the whole tree
            }
            CommandLine one = build("--backend", "systemd", verb, "--json");
            assertEquals(List.of(verb), new ArrayList<>(one.getSubcommands().keySet()), verb);
            CommandLine mine = one.getSubcommands().get(verb);
            CommandLine theirs = all.getSubcommands().get(verb);
            assertEquals(theirs.getCommand().getClass(), mine.getCommand().getClass(), verb);
            assertEquals(theirs.getSubcommands().keySet(), mine.getSubcommands().keySet(), verb);
            assertEquals(theirs.getUsageMessage(), mine.getUsageMessage(), verb);
        }
    }

    @Test
    void whichVerbsARunNames() {
        assertEquals(Set.of("status"), CommandModel.named(new String[] {"status", "--json"}));
        assertEquals(Set.of("status", "start"), CommandModel.named(new String[] {"--label", "status", "start"}));
        assertEquals(Set.of("daemon", "restart"), CommandModel.named(new String[] {"daemon", "restart"}));
        assertEquals(Set.of(), CommandModel.named(new String[] {"--version"}));
        assertEquals(Set.of(), CommandModel.named(new String[] {"-V"}));
        for (String[] whole : List.of(new String[] {}, new String[] {"stat"}, new String[] {"--help"},
                new String[] {"status", "--help"}, new String[] {"-h", "status"}, new String[] {"status", "-vh"},
                new String[] {"help", "status"}, new String[] {"completion", "bash"})) {
            assertNull(CommandModel.named(whole), String.join(" ", whole));
        }
        assertEquals(CommandModel.VERBS.size(), build("-h", "status").getSubcommands().size());
        assertTrue(build("--version").getSubcommands().isEmpty());
    }

    @Test
    void aRunPrintsTheSameWithOnlyItsVerbs() {
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"status", "--help"},
                new String[] {"--bogus", "status"}, new String[] {"status", "--bogus"}, new String[] {"stat"},
                new String[] {"--help"}, new String[] {"daemon", "--help"}, new String[] {"list", "--what"})) {
            String[] lazy = run(args, build(args));
            String[] full = run(args, whole());
            assertEquals(full[0], lazy[0], "stdout of " + String.join(" ", args));
            assertEquals(full[1], lazy[1], "stderr of " + String.join(" ", args));
            assertEquals(full[2], lazy[2], "exit code of " + String.join(" ", args));
        }
    }

    /** Parses and runs {@code args} on {@code cl} (no verb runs to completion here: help, version, usage errors). */
    private static String[] run(String[] args, CommandLine cl) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {out.toString(), err.toString(), Integer.toString(code)};
    }
}
