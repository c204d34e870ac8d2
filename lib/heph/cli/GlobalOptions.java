package heph.cli;

import heph.HephOptions;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every verb accepts, before or after the verb (picocli INHERIT scope). */
public final class GlobalOptions {
    @Option(names = "--backend", scope = ScopeType.INHERIT, paramLabel = "launchd|systemd",
            completionCandidates = Backends.class,
            description = "Service manager (default: launchd on macOS, systemd elsewhere; env HEPH_BACKEND).")
    String backend;

    @Option(names = "--label", scope = ScopeType.INHERIT, paramLabel = "LABEL",
            description = "The LaunchAgent to work on: hephd's label (org.hephaestus.hephd, or env HEPH_LABEL) is"
                    + " hephd, its flags baked; any other label is that agent, managed as its installed plist says.")
    String label;

    @Option(names = "--domain", scope = ScopeType.INHERIT, paramLabel = "gui|user",
            completionCandidates = Domains.class,
            description = "launchd domain: gui (gui/<uid>, your login session; default) or user (user/<uid>: works"
                    + " over ssh without a GUI login, but launchd does not restore it at the next login; env"
                    + " HEPH_DOMAIN).")
    String domain;

    @Option(names = "--launchctl", scope = ScopeType.INHERIT, paramLabel = "PATH",
            description = "launchctl executable (default launchctl on PATH; env HEPH_LAUNCHCTL).")
    String launchctl;

    @Option(names = "--systemctl", scope = ScopeType.INHERIT, paramLabel = "PATH",
            description = "systemctl executable (default systemctl on PATH; env HEPH_SYSTEMCTL).")
    String systemctl;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "SECS",
            converter = DurationConverter.class,
            description = "Bound on each launchctl/systemctl call (default 10, and 100 for systemctl calls that wait"
                    + " for a stop job; e.g. 30 or 500ms). Exit 124 when hit.")
    Duration timeout;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show launchctl/systemctl's own output on errors, and stack traces.")
    boolean verbose;

    /** What the completion script offers after --backend. */
    static final class Backends extends java.util.ArrayList<String> {
        Backends() {
            super(java.util.List.of("launchd", "systemd"));
        }
    }

    /** What the completion script offers after --domain. */
    static final class Domains extends java.util.ArrayList<String> {
        Domains() {
            super(java.util.List.of("gui", "user"));
        }
    }

    HephOptions toOptions() {
        HephOptions o = new HephOptions();
        o.backend = backend; // --label names the agent (AgentOptions); hephd's own label is HEPH_LABEL's
        o.launchctl = launchctl;
        o.domain = domain;
        o.systemctl = systemctl;
        if (timeout != null) {
            o.commandTimeout = timeout;
            o.jobTimeout = timeout; // an explicit --timeout bounds every call
        }
        return o;
    }
}
