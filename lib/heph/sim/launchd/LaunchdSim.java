package heph.sim.launchd;

import heph.sim.Knobs;
import heph.sim.SimOptions;
import heph.sim.SimTool.Reply;
import heph.sim.SimTool;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The simulated {@code launchctl}: argv in, docs/facts/launchd-facts.md texts and exit codes out. Two domains for the real uid of
 * this process, gui/&lt;uid&gt; and user/&lt;uid&gt; ({@link Domains}); other uids answer 112. Supported verbs: bootstrap, bootout, kickstart, print,
 * print-disabled, enable, disable, error, help. Every verb first honours the {@link Knobs} (hang, failNext).
 */
public final class LaunchdSim implements SimTool {
    private static final Set<String> OTHER_REAL_VERBS = Set.of("load", "unload", "list", "start", "stop", "kill",
            "blame", "procinfo", "setenv", "unsetenv", "getenv", "limit", "reboot", "version", "variant", "remove",
            "runstats", "examine", "config", "dumpstate", "managerpid", "manageruid", "managername", "attach",
            "debug", "submit", "asuser", "bsexec", "uncache", "print-cache", "dumpjpcategory", "resolveport");
    private final Knobs knobs;
    private final BootVerbs boot;
    private final ServiceVerbs service;

    /** {@code gui} is gui/&lt;uid&gt;, {@code user} is user/&lt;uid&gt; (docs/facts/launchd-facts.md §13; see {@link Domains}). */
    public LaunchdSim(int uid, Knobs knobs, LaunchdDomain gui, LaunchdDomain user, DisabledStore disabled,
                      SimOptions options) {
        this.knobs = knobs;
        Domains domains = new Domains(uid, gui, user);
        this.boot = new BootVerbs(uid, knobs, domains, disabled, options);
        this.service = new ServiceVerbs(uid, knobs, domains, disabled);
    }

    @Override
    public String name() {
        return "launchctl";
    }

    @Override
    public Reply handle(List<String> args, String cwd) {
        if (args.isEmpty()) {
            return Reply.out(LaunchctlUsage.general());
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (!LaunchctlUsage.VERBS.containsKey(verb)) {
            if (OTHER_REAL_VERBS.contains(verb)) {
                return Reply.err(1, "launchctl (heph simulator): '" + verb + "' is not simulated; use bootstrap,"
                        + " bootout, kickstart, print, print-disabled, enable or disable\n");
            }
            // docs/facts/launchd-facts.md "General rules": unknown subcommand -> message + usage, exit 1
            return new Reply(1, LaunchctlUsage.general(), "Unrecognized subcommand: " + verb + "\n");
        }
        if (!knobs.awaitRelease(verb)) {
            return Reply.err(1, "launchctl (heph simulator): the simulator closed\n");
        }
        OptionalInt failure = knobs.takeFailure(verb);
        if (failure.isPresent()) {
            return failure(verb, rest, failure.getAsInt());
        }
        return switch (verb) {
            case "bootstrap" -> boot.bootstrap(rest, cwd);
            case "bootout" -> boot.bootout(rest, cwd);
            case "kickstart" -> service.kickstart(rest);
            case "print" -> service.print(rest);
            case "print-disabled" -> service.printDisabled(rest);
            case "enable", "disable" -> service.enable(verb, rest);
            case "error" -> error(rest);
            default -> help(rest);
        };
    }

    /** §8: {@code <code>: <text>} on stdout. */
    private Reply error(List<String> a) {
        List<String> codes = a.isEmpty() || !a.get(0).matches("posix|mach|bootstrap") ? a : a.subList(1, a.size());
        if (codes.size() != 1 || !codes.get(0).matches("[0-9]{1,9}")) {
            return Replies.usage("error");
        }
        int code = Integer.parseInt(codes.get(0));
        return Reply.out(code + ": " + LaunchdErrors.text(code) + "\n");
    }

    private Reply help(List<String> a) {
        if (a.isEmpty()) {
            return Reply.out(LaunchctlUsage.general());
        }
        if (a.get(0).equals("bootout")) {
            return Reply.err(0, LaunchctlUsage.bootout(knobs.bootoutWait())); // §13: lists --wait where it exists
        }
        return LaunchctlUsage.VERBS.containsKey(a.get(0)) ? Reply.err(0, LaunchctlUsage.verb(a.get(0)))
                : Reply.err(64, "Usage: launchctl help <subcommand>\n");
    }

    /** Knobs.failNext: the verb's own failure form with {@code code}, nothing done. */
    private Reply failure(String verb, List<String> rest, int code) {
        Target t = rest.isEmpty() ? null : Target.parse(rest.get(rest.size() - 1));
        String label = t != null && t.isService() ? t.name() : "";
        String text = switch (verb) {
            case "bootstrap" -> LaunchdErrors.bootstrapFailed(code);
            case "bootout" -> LaunchdErrors.bootoutFailed(code);
            case "enable", "disable" -> LaunchdErrors.enableFailed(verb, code);
            default -> code == 113 && t != null ? LaunchdErrors.serviceNotFound(label, t)
                    : code == 112 && t != null ? LaunchdErrors.domainNotFound(t)
                    : verb.equals("kickstart") ? LaunchdErrors.kickstartFailed(label, code)
                    : "Could not " + verb + ": " + code + ": " + LaunchdErrors.text(code) + "\n";
        };
        return Reply.err(code, text);
    }
}
