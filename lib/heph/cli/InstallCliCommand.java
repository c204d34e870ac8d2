package heph.cli;

import heph.ExitCode;
import heph.HephException;
import heph.install.CliInstaller;
import heph.install.InstallResult;
import heph.proc.ZtExecRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * `heph install-cli`: an installed `heph` that starts the JVM directly on a copy of heph's jars with a class-data
 * archive, instead of going through JBang on every call (see heph.install.CliInstaller).
 */
@Command(name = "install-cli", mixinStandardHelpOptions = true,
        description = "Install a `heph` command in DIR that runs heph's jars directly on this JDK with class-data"
                + " sharing (several times faster than `jbang heph.java`). The jars are copied to"
                + " $XDG_DATA_HOME/heph/cli; the command installs itself again when the JDK or, when installed from"
                + " a clone, heph's sources change.")
final class InstallCliCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bin", paramLabel = "DIR", description = "Where to write the `heph` launcher (default ~/.local/bin).")
    Path bin;

    @Option(names = "--force", description = "Replace a `heph` in DIR that heph did not write.")
    boolean force;

    @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
    boolean json;

    @Option(names = "--source", paramLabel = "FILE", description = "heph.java of the clone to rebuild from when its"
            + " sources change (default: the clone this heph was run from, when known).")
    Path source;

    @Option(names = "--jbang", paramLabel = "CMD", description = "The JBang command to rebuild with (default: the"
            + " one that runs this heph, $JBANG_LAUNCH_CMD).")
    String jbang;

    @Option(names = "--no-source", description = "Do not watch a clone; rebuild only when the JDK changes.")
    boolean noSource;

    @Override
    public Integer call() {
        Main root = (Main) spec.root().userObject();
        Map<String, String> env = root.env;
        String home = env.get("HOME");
        if ((bin == null || blank(env.get("XDG_DATA_HOME"))) && blank(home)) {
            throw HephException.usage("HOME is not set; expected it (or --bin DIR and XDG_DATA_HOME)");
        }
        Path binDir = root.cwd.resolve(bin != null ? bin : Path.of(home, ".local", "bin")).normalize();
        Path data = blank(env.get("XDG_DATA_HOME")) ? Path.of(home, ".local", "share")
                : root.cwd.resolve(env.get("XDG_DATA_HOME"));
        Path src = null;
        String jb = null;
        if (noSource) {
            if (source != null || jbang != null) {
                throw HephException.usage("--no-source cannot be combined with --source or --jbang");
            }
        } else if (source != null) {
            src = root.cwd.resolve(source).normalize();
            if (!isClone(src)) {
                throw HephException.usage("--source " + source + ": expected heph.java of a heph clone (a file"
                        + " with lib/heph/cli/Main.java beside it)");
            }
            jb = jbang != null ? jbang : env.get("JBANG_LAUNCH_CMD");
            if (blank(jb)) {
                throw HephException.usage("--source needs --jbang CMD (the JBang command to rebuild with)");
            }
        } else {
            String launch = env.get("JBANG_LAUNCH_CMD");
            if (!blank(launch)) {
                Path beside = Path.of(launch).toAbsolutePath().resolveSibling("heph.java").normalize();
                Path here = root.cwd.resolve("heph.java").normalize();
                src = isClone(beside) ? beside : isClone(here) ? here : null;
                jb = src == null ? null : jbang != null ? jbang : launch;
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        CliInstaller installer = new CliInstaller(new ZtExecRunner(), msg -> {
            err.println("heph: " + msg);
            err.flush();
        });
        InstallResult r = installer.install(new CliInstaller.Request(binDir, data, force, src, jb,
                CliInstaller.currentClasspath(), Path.of(System.getProperty("java.home")),
                System.getProperty("java.runtime.version"), Runtime.version().feature(), env.get("PATH")));
        if (json) {
            return JsonReply.print(root, spec.commandLine().getOut(), "install-cli", ExitCode.OK.code, null,
                    r.toJson());
        } else {
            err.println("heph: " + r.message());
            r.warnings().forEach(w -> err.println("heph: warning: " + w));
        }
        return ExitCode.OK.code;
    }

    private static boolean isClone(Path heph) {
        return Files.isRegularFile(heph) && heph.getFileName().toString().endsWith(".java")
                && Files.isRegularFile(heph.resolveSibling("lib").resolve("heph").resolve("cli").resolve("Main.java"));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
