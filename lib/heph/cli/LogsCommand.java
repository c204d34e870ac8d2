package heph.cli;

import heph.Heph;
import heph.HephException;
import heph.doctor.Subject;
import heph.logs.AgentLogs;
import heph.proc.ZtExecRunner;
import heph.service.Settings;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heph logs [-f] [-n N]}: the last lines of hephd's (or an agent's) output, each marked out/err; -f follows. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Show the last lines of hephd's (or the agent --label/--plist, --unit/--unit-file names)"
                + " StandardOutPath/StandardErrorPath (launchd) or of the unit's"
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

    @Mixin
    AgentOptions agent;

    @Override
    public Integer call() throws InterruptedException {
        if (lines < 0 || lines > 100_000) {
            throw HephException.usage("--lines: '" + lines + "' is not valid; expected 0 to 100000");
        }
        Main root = (Main) spec.root().userObject();
        Settings hephd = root.global.toOptions().toSettings(root.env, root.cwd);
        // hephd's, or the agent --label/--plist (launchd), --unit/--unit-file (systemd) names: the same options
        // and the same refusals as every other verb
        Heph heph = agent.select(Heph.create(hephd), root.global.label, root.cwd);
        Settings s = heph.settings();
        return AgentLogs.show(s, Subject.of(s, heph.isHephd(), heph.installedFile()), lines, follow, new ZtExecRunner(),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
