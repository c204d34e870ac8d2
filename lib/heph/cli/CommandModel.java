package heph.cli;

import heph.sim.SimMain;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/**
 * The root's subcommands, built per run. picocli builds a command's model by reflection over its annotated classes,
 * and for all of heph's verbs that costs more than starting the JVM; a run needs only the verbs it names. So a run
 * whose arguments name a verb gets that verb's subcommand (and those of any other verb name among its arguments,
 * such as a {@code --label} value), and nothing else; {@code --version} without a verb gets none. The whole tree
 * is built when the run may print it or walk it: no verb named (usage errors, typos, {@code heph} alone), help
 * asked for anywhere ({@code --help}, a short-option cluster with {@code h}, {@code help}), {@code completion},
 * and for {@code args == null} (the CLI reference generator and tests). Errors read the same either way: heph
 * prints a parse error's message, never picocli's suggestions drawn from the other subcommands.
 */
final class CommandModel {
    /** Every subcommand of the root, in the order the usage lists them. */
    static final List<String> VERBS = List.of("start", "stop", "restart", "status", "uninstall", "list", "apply",
            "daemon", "demo", "install-cli", "doctor", "logs", "completion", "sim");
    private static final Set<String> WHOLE_TREE = Set.of("completion", "help");

    private CommandModel() {
    }

    /** Adds to {@code root} the subcommands {@code args} needs (all of them when {@code args} is null). */
    static void addSubcommands(CommandLine root, String[] args) {
        Set<String> named = args == null ? null : named(args);
        if (named == null) {
            whole(root);
            return;
        }
        for (String verb : VERBS) {
            if (named.contains(verb)) {
                add(root, verb);
            }
        }
    }

    /** The whole tree, as the usage, completion and docs/cli.md show it. */
    static void whole(CommandLine root) {
        Verbs.addTo(root);
        AgentCommands.addTo(root);
        for (String verb : VERBS.subList(7, VERBS.size())) {
            add(root, verb);
        }
    }

    /** The verbs {@code args} names (none: only the root's version), or null when the run needs the whole tree. */
    static Set<String> named(String[] args) {
        Set<String> named = new java.util.HashSet<>();
        for (String a : args) {
            if (a == null || WHOLE_TREE.contains(a) || a.equals("--help") || isShortHelp(a)) {
                return null;
            }
            if (VERBS.contains(a)) {
                named.add(a);
            }
        }
        if (named.isEmpty()) {
            return Arrays.asList(args).contains("--version") || Arrays.asList(args).contains("-V") ? named : null;
        }
        return named;
    }

    /** {@code -h}, or a cluster of short options holding {@code h} ({@code -vh}). Over-matching only costs time. */
    private static boolean isShortHelp(String a) {
        return a.length() >= 2 && a.charAt(0) == '-' && a.charAt(1) != '-' && a.indexOf('h') > 0
                && a.indexOf('=') < 0;
    }

    private static void add(CommandLine root, String verb) {
        switch (verb) {
            case "start" -> root.addSubcommand("start", new Verbs.Start());
            case "stop" -> root.addSubcommand("stop", new Verbs.Stop());
            case "restart" -> root.addSubcommand("restart", new Verbs.Restart());
            case "status" -> root.addSubcommand("status", new Verbs.Status());
            case "uninstall" -> root.addSubcommand("uninstall", new Verbs.Uninstall());
            case "list" -> root.addSubcommand("list", new AgentCommands.ListAgents());
            case "apply" -> root.addSubcommand("apply", new AgentCommands.Apply());
            case "daemon" -> {
                CommandLine daemon = new CommandLine(new Main.DaemonGroup());
                Verbs.addTo(daemon);
                root.addSubcommand("daemon", daemon);
            }
            case "demo" -> root.addSubcommand("demo", new DemoCommand());
            case "install-cli" -> root.addSubcommand("install-cli", new InstallCliCommand());
            case "doctor" -> root.addSubcommand("doctor", new DoctorCommand());
            case "logs" -> root.addSubcommand("logs", new LogsCommand());
            case "completion" -> root.addSubcommand("completion", new CompletionCommand());
            case "sim" -> {
                CommandLine sim = new CommandLine(new SimMain());
                sim.setCommandName("sim");
                root.addSubcommand("sim", sim);
            }
            default -> throw new IllegalArgumentException("not a verb of heph: " + verb);
        }
    }
}
