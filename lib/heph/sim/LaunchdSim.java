package heph.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The simulated {@code launchctl}: argv in, launchd-facts texts and exit codes out. One gui/&lt;uid&gt; domain for the
 * real uid of this process; other uids answer 112. Supported verbs: bootstrap, bootout, kickstart, print,
 * print-disabled, enable, disable, error, help. Every verb first honours the {@link Knobs} (hang, failNext).
 */
public final class LaunchdSim implements SimTool {
    private static final Set<String> OTHER_REAL_VERBS = Set.of("load", "unload", "list", "start", "stop", "kill",
            "blame", "procinfo", "setenv", "unsetenv", "getenv", "limit", "reboot", "version", "variant", "remove",
            "runstats", "examine", "config", "dumpstate", "managerpid", "manageruid", "managername", "attach",
            "debug", "submit", "asuser", "bsexec", "uncache", "print-cache", "dumpjpcategory", "resolveport");
    private final int uid;
    private final Knobs knobs;
    private final LaunchdDomain domain;
    private final DisabledStore disabled;
    private final SimOptions options;

    LaunchdSim(int uid, Knobs knobs, LaunchdDomain domain, DisabledStore disabled, SimOptions options) {
        this.uid = uid;
        this.knobs = knobs;
        this.domain = domain;
        this.disabled = disabled;
        this.options = options;
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
            // launchd-facts "General rules": unknown subcommand -> message + usage, exit 1
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
            case "bootstrap" -> bootstrap(rest, cwd);
            case "bootout" -> bootout(rest, cwd);
            case "kickstart" -> kickstart(rest);
            case "print" -> print(rest);
            case "print-disabled" -> printDisabled(rest);
            case "enable", "disable" -> enable(verb, rest);
            case "error" -> error(rest);
            default -> help(rest);
        };
    }

    private static Reply usage(String verb) {
        return Reply.err(64, LaunchctlUsage.verb(verb));
    }

    private static Reply badTarget(String verb) {
        return Reply.err(64, LaunchdErrors.badTarget(verb));
    }

    /** 112 for a gui/user domain of another uid (launchd-facts §3 "Domain missing"), else null. */
    private Reply missingDomain(Target t) {
        boolean other = (t.type().equals("gui") || t.type().equals("user")) && t.handle() != uid;
        return other ? Reply.err(112, LaunchdErrors.domainNotFound(t)) : null;
    }

    /** §1 (all rows). */
    private Reply bootstrap(List<String> a, String cwd) {
        if (a.size() < 2) {
            return usage("bootstrap");
        }
        Target t = Target.parse(a.get(0));
        if (t == null || t.isService()) {
            return badTarget("bootstrap");
        }
        Reply missing = missingDomain(t);
        if (missing != null) {
            return missing;
        }
        if (t.isGui(uid) && knobs.noGuiDomain()) {
            return Reply.err(125, LaunchdErrors.bootstrapFailed(125));
        }
        List<String> perPath = new ArrayList<>();
        int last = 0;
        for (String p : a.subList(1, a.size())) {
            Path path = Path.of(cwd).resolve(p).normalize();
            int code = t.isGui(uid) ? load(path) : 5;
            if (code != 0) {
                perPath.add(path + ": " + LaunchdErrors.text(code) + "\n");
                last = code;
            }
        }
        if (perPath.isEmpty()) {
            return Reply.ok();
        }
        if (a.size() == 2) {
            return Reply.err(last, LaunchdErrors.bootstrapFailed(last));
        }
        int code = perPath.size() > 1 ? 133 : last;
        return Reply.err(code, String.join("", perPath) + LaunchdErrors.bootstrapFailed(code));
    }

    /** One plist: 0, or the code bootstrap answers as a non-root user (§1: nearly everything collapses to 5). */
    private int load(Path path) {
        if (!Files.isRegularFile(path) || !acceptableOwnership(path)) {
            return 5; // §1 missing plist (HERMES-31212); bad ownership/permissions (§11, RUNDESK)
        }
        JobSpec spec;
        try {
            spec = JobSpec.from(path, JobSpec.read(path), options.defaultExitTimeOutSec(),
                    options.defaultThrottleSec());
        } catch (JobSpec.Invalid e) {
            return 5; // §1 invalid plist as user (uncertainty 5)
        }
        if (disabled.isDisabled(spec.label())) {
            return 5; // §1 disabled label, as user (OC-849, RINGS)
        }
        return switch (domain.bootstrap(spec)) {
            case OK -> 0;
            case LOADED -> knobs.alreadyLoadedCode(); // §1 already loaded: 5 modern, 37 older (uncertainty 1)
            case DRAINING -> 5; // §1 transitional: still draining after bootout
        };
    }

    /** §11: owned by the loading user, no group/world write. */
    private boolean acceptableOwnership(Path path) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            Object owner = Files.getAttribute(path, "unix:uid");
            return !perms.contains(PosixFilePermission.GROUP_WRITE) && !perms.contains(PosixFilePermission.OTHERS_WRITE)
                    && owner instanceof Integer o && o == uid;
        } catch (Exception e) {
            return false;
        }
    }

    /** §2. */
    private Reply bootout(List<String> a, String cwd) {
        if (a.isEmpty()) {
            return usage("bootout");
        }
        Target t = Target.parse(a.get(0));
        if (t == null) {
            return badTarget("bootout");
        }
        Reply missing = missingDomain(t);
        if (missing != null) {
            return missing;
        }
        if (t.isGui(uid) && knobs.noGuiDomain()) {
            return Reply.err(125, LaunchdErrors.bootoutFailed(125)); // §2 gui domain unusable (HB-CLI)
        }
        if (t.isService()) {
            boolean found = t.isGui(uid) && domain.bootout(t.name());
            return found ? Reply.ok() : Reply.err(3, LaunchdErrors.bootoutFailed(3));
        }
        if (a.size() == 1) {
            return Reply.err(1, "launchctl (heph simulator): booting out a whole domain is not simulated\n");
        }
        for (String p : a.subList(1, a.size())) {
            String label = labelOf(Path.of(cwd).resolve(p).normalize());
            if (label == null || !t.isGui(uid) || !domain.bootout(label)) {
                return Reply.err(5, LaunchdErrors.bootoutFailed(5)); // §2 bootout by path, not loaded (KIWI-328)
            }
        }
        return Reply.ok();
    }

    private String labelOf(Path plist) {
        try {
            return JobSpec.from(plist, JobSpec.read(plist), 0, 10).label();
        } catch (Exception e) {
            return null;
        }
    }

    /** §4. */
    private Reply kickstart(List<String> a) {
        boolean kill = false;
        boolean printPid = false;
        int i = 0;
        for (; i < a.size() && a.get(i).startsWith("-") && a.get(i).length() > 1; i++) {
            for (char c : a.get(i).substring(1).toCharArray()) {
                switch (c) {
                    case 'k' -> kill = true;
                    case 'p' -> printPid = true;
                    case 's' -> { } // start suspended: accepted, not simulated
                    default -> {
                        return usage("kickstart");
                    }
                }
            }
        }
        if (i != a.size() - 1) {
            return usage("kickstart");
        }
        Target t = Target.parse(a.get(i));
        if (t == null || !t.isService()) {
            return badTarget("kickstart");
        }
        Reply missing = missingDomain(t);
        if (missing != null) {
            return missing;
        }
        if (t.isGui(uid) && knobs.noGuiDomain()) {
            return Reply.err(112, LaunchdErrors.domainNotFound(t));
        }
        LaunchdDomain.Kick k = t.isGui(uid) ? domain.kickstart(t.name(), kill) : new LaunchdDomain.Kick(113, 0);
        if (k.code() == 113) {
            return Reply.err(113, LaunchdErrors.serviceNotFound(t.name(), t));
        }
        if (k.code() != 0) {
            return Reply.err(k.code(), LaunchdErrors.kickstartFailed(t.name(), k.code()));
        }
        return printPid ? Reply.out("service spawned with pid: " + k.pid() + "\n") : Reply.ok();
    }

    /** §3. */
    private Reply print(List<String> a) {
        if (a.size() != 1) {
            return usage("print");
        }
        Target t = Target.parse(a.get(0));
        if (t == null) {
            return badTarget("print");
        }
        Reply missing = missingDomain(t);
        if (missing != null) {
            return missing;
        }
        if (t.isGui(uid) && knobs.noGuiDomain()) {
            return Reply.err(112, LaunchdErrors.domainNotFound(t));
        }
        boolean ours = t.isGui(uid);
        if (!t.isService()) {
            return Reply.out(ServicePrinter.domain(t.domain(), ours ? domain.views() : List.of(), disabled.all()));
        }
        return (ours ? domain.view(t.name()) : Optional.<ServicePrinter.View>empty())
                .map(v -> Reply.out(ServicePrinter.service(t.domain(), v)))
                .orElseGet(() -> Reply.err(113, LaunchdErrors.serviceNotFound(t.name(), t)));
    }

    /** §6: gui/ and user/ of the own uid show the same set. */
    private Reply printDisabled(List<String> a) {
        if (a.size() != 1) {
            return usage("print-disabled");
        }
        Target t = Target.parse(a.get(0));
        if (t == null || t.isService()) {
            return badTarget("print-disabled");
        }
        Reply missing = missingDomain(t);
        return missing != null ? missing : Reply.out(ServicePrinter.disabled(disabled.all()));
    }

    /** §5: persisted, exit 0 even for labels never seen. */
    private Reply enable(String verb, List<String> a) {
        if (a.size() != 1) {
            return usage(verb);
        }
        Target t = Target.parse(a.get(0));
        if (t == null || !t.isService()) {
            return badTarget(verb);
        }
        Reply missing = missingDomain(t);
        if (missing != null) {
            return missing;
        }
        disabled.set(t.name(), verb.equals("disable"));
        return Reply.ok();
    }

    /** §8. */
    private Reply error(List<String> a) {
        List<String> codes = a.isEmpty() || !a.get(0).matches("posix|mach|bootstrap") ? a : a.subList(1, a.size());
        if (codes.size() != 1 || !codes.get(0).matches("[0-9]{1,9}")) {
            return usage("error");
        }
        int code = Integer.parseInt(codes.get(0));
        return Reply.out(code + ": " + LaunchdErrors.text(code) + "\n");
    }

    private Reply help(List<String> a) {
        if (a.isEmpty()) {
            return Reply.out(LaunchctlUsage.general());
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
