package heph.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code heph completion bash|zsh}: picocli's completion script for every verb and option. zsh loads the same script
 * through bashcompinit (the script does that itself when run by zsh).
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script: `source <(heph completion bash)` in ~/.bashrc, or"
                + " `source <(heph completion zsh)` in ~/.zshrc.")
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "bash|zsh", description = "The shell.", completionCandidates = Shells.class)
    String shell;

    /** What the completion script offers after `heph completion `. */
    static final class Shells extends java.util.ArrayList<String> {
        Shells() {
            super(java.util.List.of("bash", "zsh"));
        }
    }

    @Override
    public Integer call() {
        if (((Main) spec.root().userObject()).global.label != null) {
            throw heph.HephException.usage("--label: completion prints a script for every verb; expected no --label");
        }
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "completion: '" + shell
                    + "' is not valid; expected bash or zsh");
        }
        String script = AutoComplete.bash("heph", spec.root().commandLine());
        if (shell.equals("zsh")) {
            script = "# heph completion for zsh (bash completion through bashcompinit)\n"
                    + "autoload -U +X compinit && compinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
