package heph.sim;

import java.util.List;

/**
 * One invocation of a shim (launchctl, systemctl) as the simulator answered it: argv without the tool name, the
 * caller's working directory, exit code, the exact stdout/stderr sent back, and start/end (epoch milliseconds).
 */
public record Call(String tool, List<String> argv, String cwd, int exitCode, String stdout, String stderr,
                   long startMs, long endMs) {
    public Call {
        argv = List.copyOf(argv);
    }

    /** The subcommand ("bootstrap"), or "" for a bare call. */
    public String verb() {
        return argv.isEmpty() ? "" : argv.get(0);
    }

    /** The call as typed: "launchctl bootout gui/501/org.hephaestus.hephd". */
    public String commandLine() {
        return argv.isEmpty() ? tool : tool + " " + String.join(" ", argv);
    }
}
