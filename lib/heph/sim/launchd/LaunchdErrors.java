package heph.sim.launchd;

import java.util.Map;

/**
 * launchctl's error texts and message forms, verbatim from docs/facts/launchd-facts.md §1, §2, §4, §5, §8 and "General rules".
 * Pure.
 */
final class LaunchdErrors {
    static final String HINT = "Try re-running the command as root for richer errors.";

    /** docs/facts/launchd-facts.md §8 (`launchctl error <code>` on 26.5.1) plus the POSIX texts launchctl falls back to. */
    private static final Map<Integer, String> TEXTS = Map.ofEntries(
            Map.entry(1, "Operation not permitted"),
            Map.entry(2, "No such file or directory"),
            Map.entry(3, "No such process"),
            Map.entry(5, "Input/output error"),
            Map.entry(13, "Permission denied"),
            Map.entry(17, "File exists"),
            Map.entry(22, "Invalid argument"),
            Map.entry(36, "Operation now in progress"),
            Map.entry(37, "Operation already in progress"),
            Map.entry(108, "Invalid path"),
            Map.entry(110, "Invalid or missing service identifier"),
            Map.entry(112, "Could not find specified domain"),
            Map.entry(113, "Could not find specified service"),
            Map.entry(119, "Service is disabled"),
            Map.entry(122, "Path had bad ownership/permissions"),
            Map.entry(124, "Domain is tearing down"),
            Map.entry(125, "Domain does not support specified action"),
            Map.entry(133, "Multiple errors were returned"),
            Map.entry(134, "Service cannot load in requested session"),
            Map.entry(150, "Operation not permitted while System Integrity Protection is engaged"),
            Map.entry(155, "Refusing to execute/trust quarantined program"),
            Map.entry(159, "Sandbox restriction"),
            Map.entry(161, "Service cannot be launched because of BTM policy"));

    private LaunchdErrors() {
    }

    static String text(int code) {
        return TEXTS.getOrDefault(code, "Unknown error: " + code);
    }

    /** "General rules": an unprivileged 5 (EIO) carries the second "Try re-running ..." line. */
    private static String withHint(String line, int code) {
        return line + "\n" + (code == 5 ? HINT + "\n" : "");
    }

    /** §1: {@code Bootstrap failed: 5: Input/output error} + hint. */
    static String bootstrapFailed(int code) {
        return withHint("Bootstrap failed: " + code + ": " + text(code), code);
    }

    /** §2: {@code Boot-out failed: 3: No such process}. */
    static String bootoutFailed(int code) {
        return withHint("Boot-out failed: " + code + ": " + text(code), code);
    }

    /** §4 "Other failure". */
    static String kickstartFailed(String label, int code) {
        return "Could not kickstart service \"" + label + "\": " + code + ": " + text(code) + "\n";
    }

    /** §5 "Failure" ({@code Could not enable service: <n>: <strerror>}); disable by analogy. */
    static String enableFailed(String verb, int code) {
        return "Could not " + verb + " service: " + code + ": " + text(code) + "\n";
    }

    /** §3 / §4: 113, without the "Bad request." line (docs/facts/launchd-facts.md "Biggest uncertainties" 3). */
    static String serviceNotFound(String label, Target t) {
        return "Could not find service \"" + label + "\" in domain for " + t.domainPhrase() + "\n";
    }

    /** §3: 112. */
    static String domainNotFound(Target t) {
        return "Could not find domain for " + t.domainPhrase() + "\n";
    }

    /**
     * A {@code bootout} option this launchctl does not know ({@code --wait} on macOS 14/15), verbatim from
     * real-launchctl err-05a: three lines, exit 64.
     */
    static String unrecognizedBootoutTarget() {
        return "Unrecognized target specifier.\n" + LaunchctlUsage.verb("bootout")
                + "<service-target> takes a form of <domain-target>/<service-id>.\n";
    }

    /**
     * A domain-target naming a domain that does not exist, verbatim from real-launchctl err-51 ({@code enable
     * gui/502/...} for a user without a GUI login): three lines, exit 64.
     */
    static String unrecognizedDomain(String verb) {
        return "Unrecognized domain-target specifier.\n"
                + "Please refer to `man launchctl` for explanation of the domain-target specifiers.\n"
                + LaunchctlUsage.verb(verb);
    }

    /** real-launchctl err-52: an invalid plist, as bootstrap reports it with 133 (no {@code Bootstrap failed:}). */
    static String invalidPropertyList(java.nio.file.Path plist) {
        return plist + ": Invalid property list\n";
    }

    /** "General rules": bad specifier text, then the verb's usage; exit 64. */
    static String badTarget(String verb) {
        return "Unrecognized target specifier. <service-target> takes a form of <domain-target>/<service-id>.\n"
                + "Please refer to `man launchctl` for explanation of the <domain-target> specifiers.\n"
                + LaunchctlUsage.verb(verb);
    }
}
