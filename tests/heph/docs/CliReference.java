package heph.docs;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * docs/cli.md: every command's usage exactly as {@code --help} prints it, taken from heph.cli.Main's picocli tree
 * (without colours, at picocli's default width of 80 columns). Written by {@code ./jbang docs/gen/cli-reference.java};
 * {@link CliReferenceTest} fails when the file in the repository differs from what this renders.
 */
public final class CliReference {
    /** The command that rewrites docs/cli.md; named in the file itself and in the test's failure message. */
    public static final String REGENERATE = "./jbang docs/gen/cli-reference.java";

    private CliReference() {
    }

    /** The full text of docs/cli.md. */
    public static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# heph command-line reference\n\n");
        md.append("Every command's usage, exactly as `--help` prints it. Generated from heph's picocli commands by `")
                .append(REGENERATE).append("`;\ndo not edit by hand (`tests/heph/docs/CliReferenceTest` fails when this"
                        + " file is stale). What the verbs do:\n[using.md](using.md); their `--json` output:"
                        + " [json.md](json.md).\n");
        appendTree(md, root(), "heph");
        return md.toString();
    }

    /** Writes {@link #render()} to docs/cli.md under {@code repo}. */
    public static Path write(Path repo) throws Exception {
        Path file = repo.resolve("docs").resolve("cli.md");
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".cli.md.", ".tmp");
        Files.writeString(tmp, render(), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private static void appendTree(StringBuilder md, CommandLine cl, String qualifiedName) {
        md.append("\n## ").append(qualifiedName).append("\n\n```text\n");
        String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        md.append(usage.stripTrailing()).append("\n```\n");
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            // aliases are listed under their command; visit each command once, by its own name
            if (!sub.getKey().equals(sub.getValue().getCommandName())) {
                continue;
            }
            appendTree(md, sub.getValue(), qualifiedName + " " + sub.getKey());
        }
    }

    /**
     * heph's root CommandLine, built as heph.cli.Main builds it for a real run, with an empty environment and "/" as
     * the working folder so that nothing of the machine that renders it shows in the text.
     */
    static CommandLine root() {
        System.setProperty("picocli.ansi", "false");
        try {
            Class<?> main = Class.forName("heph.cli.Main");
            Constructor<?> ctor = main.getDeclaredConstructor(Map.class, Path.class);
            ctor.setAccessible(true);
            Object instance = ctor.newInstance(Map.of(), Path.of("/"));
            Method build = main.getDeclaredMethod("commandLine", main);
            build.setAccessible(true);
            return (CommandLine) build.invoke(null, instance);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build heph.cli.Main's command line: " + e, e);
        }
    }

    /** {@code java heph.docs.CliReference [REPO]}: rewrites REPO/docs/cli.md (default: the current folder). */
    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        if (!Files.exists(repo.resolve("heph.java"))) {
            System.err.println("cli-reference: " + repo + " is not heph's checkout (no heph.java); run it from there");
            System.exit(2);
        }
        System.out.println("cli-reference: wrote " + write(repo));
    }
}
