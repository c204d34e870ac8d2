package heph.sim;

import java.util.List;

/**
 * One simulated command-line tool (launchctl or systemctl) served by the simulator. The shim script in the
 * simulator's bin/ folder forwards its argv and working directory; the reply is written back to the shim's
 * stdout, stderr and exit status.
 */
public interface SimTool {
    /** The executable name the shim is installed as: "launchctl" or "systemctl". */
    String name();

    /**
     * Handles one invocation. May block (a "hang" knob), in which case the shim blocks too, exactly as a hung
     * real tool would. Must never throw for bad input: real tools answer usage errors with text and exit codes.
     */
    Reply handle(List<String> args, String cwd);

    /** What the shim prints and exits with. */
    record Reply(int exitCode, String stdout, String stderr) {
        public static Reply ok() {
            return new Reply(0, "", "");
        }

        public static Reply out(String stdout) {
            return new Reply(0, stdout, "");
        }

        public static Reply err(int code, String stderr) {
            return new Reply(code, "", stderr);
        }
    }
}
