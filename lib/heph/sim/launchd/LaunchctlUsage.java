package heph.sim.launchd;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * launchctl's usage texts for the simulated subcommands. Per-verb usage goes to stderr with exit 64; the general
 * usage goes to stdout (no arguments, {@code help}, unknown subcommand). Wording of the general text is the
 * simulator's own; the verb synopses follow launchctl's (docs/facts/launchd-facts.md "General rules", R: PROCURSUS).
 */
final class LaunchctlUsage {
    /** Simulated subcommands: synopsis and one-line description. */
    static final Map<String, String[]> VERBS = new LinkedHashMap<>();

    static {
        VERBS.put("bootstrap", new String[] {"<domain-target> [service-path, service-path2, ...]",
            "Bootstraps a domain or a service into a domain."});
        VERBS.put("bootout", new String[] {"<domain-target> [service-path1, service-path2, ...] | <service-target>",
            "Tears down a domain or removes a service from a domain."});
        VERBS.put("enable", new String[] {"<service-target>", "Enables an existing service."});
        VERBS.put("disable", new String[] {"<service-target>", "Disables an existing service."});
        VERBS.put("kickstart", new String[] {"[-k] [-p] <service-target>", "Forces an existing service to start."});
        VERBS.put("print", new String[] {"<domain-target> | <service-target>",
            "Prints a description of a domain or service."});
        VERBS.put("print-disabled", new String[] {"<domain-target>", "Prints which services are disabled."});
        VERBS.put("error", new String[] {"[posix|mach|bootstrap] <code>", "Prints a description of an error."});
        VERBS.put("help", new String[] {"<subcommand>", "Prints the usage for a given subcommand."});
    }

    private LaunchctlUsage() {
    }

    /**
     * {@code launchctl help bootout}: with {@code --wait} where it exists (macOS 26; the option's description is
     * verbatim from docs/facts/launchd-facts.md §2, the layout around it is the simulator's own), else the plain synopsis.
     */
    static String bootout(boolean withWait) {
        if (!withWait) {
            return verb("bootout");
        }
        return "Usage: launchctl bootout [--wait] " + VERBS.get("bootout")[0] + "\n"
                + "\t--wait\tWaits for bootout to complete before returning. Only applicable to a single service"
                + " target. (WARNING: this may block indefinitely).\n";
    }

    static String verb(String verb) {
        String[] v = VERBS.get(verb);
        return "Usage: launchctl " + verb + " " + (v == null ? "" : v[0]) + "\n";
    }

    static String general() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: launchctl <subcommand> ... | help [subcommand]\n")
                .append("Many subcommands take a target specifier that refers to a domain or service\n")
                .append("within that domain: system/[service-name], user/<uid>/[service-name],\n")
                .append("gui/<uid>/[service-name]. (heph launchd simulator: only gui/<your uid> holds services.)\n")
                .append("\nSubcommands:\n");
        VERBS.forEach((name, v) -> sb.append('\t').append(String.format("%-16s", name)).append(v[1]).append('\n'));
        return sb.toString();
    }
}
