package heph.launchd.plist;

import heph.HephException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What heph wants launchd to run. RunAtLoad and KeepAlive are always true, so they are not fields.
 *
 * <p>{@code environment} may be empty and the two log paths may be null (the keys are then left out of the plist).
 * The environment is kept sorted by name so the rendered plist is the same whatever map the caller passed.
 * Strings must survive an XML plist round trip: no control characters other than tab and newline (an XML parser
 * turns CR into newline, so CR is refused too).
 */
public record JobSpec(String label, List<String> programArguments, Map<String, String> environment,
                      String stdoutPath, String stderrPath) {

    public JobSpec {
        if (label == null || label.isBlank()) {
            throw HephException.usage("launchd job label is empty; expected a reverse-DNS name like org.hephaestus.hephd");
        }
        checkText("label", label);
        if (programArguments == null || programArguments.isEmpty()) {
            throw HephException.usage("launchd job " + label + " has no program arguments; expected the program first");
        }
        for (String arg : programArguments) {
            if (arg == null) {
                throw HephException.usage("launchd job " + label + " has a null program argument");
            }
            checkText("program argument", arg);
        }
        programArguments = List.copyOf(programArguments);
        TreeMap<String, String> env = new TreeMap<>();
        if (environment != null) {
            environment.forEach((k, v) -> {
                if (k == null || k.isEmpty() || k.contains("=") || v == null) {
                    // the value is never echoed: environment values are secrets (tokens, passwords)
                    throw HephException.usage("launchd job " + label + " has a bad environment entry " + k + "="
                            + (v == null ? "(no value)" : "<redacted>") + "; expected NAME=value with a non-empty NAME"
                            + " without '='");
                }
                checkText("environment variable name", k);
                checkText("the value of environment variable " + k, v, false);
                env.put(k, v);
            });
        }
        environment = Collections.unmodifiableMap(env);
        if (stdoutPath != null) {
            checkText("stdout path", stdoutPath);
        }
        if (stderrPath != null) {
            checkText("stderr path", stderrPath);
        }
    }

    /** Convenience: no environment, no log files. */
    public static JobSpec of(String label, List<String> programArguments) {
        return new JobSpec(label, programArguments, Map.of(), null, null);
    }

    private static void checkText(String what, String s) {
        checkText(what, s, true);
    }

    /** Refuses control characters a plist cannot hold; {@code echo}: quote the text (never an environment value). */
    private static void checkText(String what, String s, boolean echo) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0xFFFE || c == 0xFFFF) {
                throw HephException.usage(what + " contains control character U+" + String.format("%04X", (int) c)
                        + ", which a launchd plist cannot hold" + (echo ? ": " + s.replaceAll("\\p{Cntrl}", "?") : ""));
            }
        }
    }
}
