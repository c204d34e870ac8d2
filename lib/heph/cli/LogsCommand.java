package heph.cli;

import heph.HephException;
import heph.doctor.Subject;
import heph.logs.AgentLogs;
import heph.proc.ZtExecRunner;
import heph.service.Settings;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heph logs [-f] [-n N]}: the last lines of hephd's output, each marked out/err; -f follows. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Show the last lines of hephd's StandardOutPath/StandardErrorPath (launchd) or of the unit's"
                + " output files or journal (systemd, journalctl --user-unit), each file's lines marked out, err or"
                + " o+e. -f follows until Ctrl-C.")
final class LogsCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20",
            description = "How many lines of each file (default 20).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what is appended, until Ctrl-C.")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        if (lines < 0 || lines > 100_000) {
            throw HephException.usage("--lines: '" + lines + "' is not valid; expected 0 to 100000");
        }
        Main root = (Main) spec.root().userObject();
        Settings s = root.global.toOptions().toSettings(root.env, root.cwd);
        if (root.global.label != null) { // another agent's logs (hephd's label gives hephd's)
            s = heph.Heph.create(s).forLabel(root.global.label).settings();
        }
        return AgentLogs.show(s, Subject.of(s), lines, follow, new ZtExecRunner(), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
