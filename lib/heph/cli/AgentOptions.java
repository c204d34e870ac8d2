package heph.cli;

import heph.Heph;
import heph.HephException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which service a verb works on: hephd by default; any other LaunchAgent by {@code --plist FILE} or the global
 * {@code --label LABEL}; any other user unit by {@code --unit-file FILE} or {@code --unit NAME}. One meaning for
 * {@code --label}: hephd's label (the default, or HEPH_LABEL) is hephd, its flags baked; any other label is an
 * agent managed as its plist says.
 */
final class AgentOptions {
    @Option(names = "--plist", paramLabel = "FILE",
            description = "Any LaunchAgent: this plist (e.g. in your dotfiles), used as given and installed as"
                    + " ~/Library/LaunchAgents/<Label>.plist.")
    Path plist;

    @Option(names = "--unit-file", paramLabel = "FILE",
            description = "Any systemd user unit: this unit file, used as given and installed into the user unit"
                    + " folder under its own name.")
    Path unitFile;

    @Option(names = "--unit", paramLabel = "NAME",
            description = "An installed systemd user unit (NAME or NAME.service); heph.service is hephd.")
    String unit;

    /** hephd's Heph, or the agent named; mixes that cannot mean one service are usage errors (exit 2). */
    Heph select(Heph hephd, String label, Path cwd) {
        boolean systemd = hephd.settings().backend().equals("systemd");
        if (plist != null && unitFile != null) {
            throw HephException.usage("--plist and --unit-file: give one; expected a launchd plist or a unit file");
        }
        if (!systemd && (unitFile != null || unit != null)) {
            throw HephException.usage((unitFile != null ? "--unit-file" : "--unit") + ": the backend is launchd;"
                    + " expected --plist FILE or --label LABEL (or --backend systemd)");
        }
        if (systemd && plist != null) {
            throw HephException.usage("--plist: the backend is systemd; expected --unit-file FILE (or --backend"
                    + " launchd)");
        }
        if (systemd && label != null && !label.equals(hephd.settings().label())) {
            throw HephException.usage("--label: the backend is systemd; expected --unit NAME (or --backend"
                    + " launchd)");
        }
        Path file = plist != null ? plist : unitFile;
        if (file != null) {
            Heph agent = hephd.forFile(cwd.resolve(file));
            String named = systemd ? unit : label;
            if (named != null && !hephd.forLabel(named).name().equals(agent.name())) {
                throw HephException.usage((systemd ? "--unit " : "--label ") + named + " does not match " + file
                        + ", which defines " + agent.name() + "; expected one service");
            }
            return agent;
        }
        String named = systemd ? unit : label;
        return named == null ? hephd : hephd.forLabel(named);
    }
}
