package heph.sim.launchd;

import heph.sim.Knobs;
import heph.sim.SimTool.Reply;
import java.util.List;
import java.util.Optional;

/** launchctl kickstart, print, print-disabled, enable and disable (docs/facts/launchd-facts.md §3-§6) on the simulated domain. */
final class ServiceVerbs {
    private final int uid;
    private final Knobs knobs;
    private final Domains domains;
    private final DisabledStore disabled;

    ServiceVerbs(int uid, Knobs knobs, Domains domains, DisabledStore disabled) {
        this.uid = uid;
        this.knobs = knobs;
        this.domains = domains;
        this.disabled = disabled;
    }

    /** §4. */
    Reply kickstart(List<String> a) {
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
                        return Replies.usage("kickstart");
                    }
                }
            }
        }
        if (i != a.size() - 1) {
            return Replies.usage("kickstart");
        }
        Target t = Target.parse(a.get(i));
        if (t == null || !t.isService()) {
            return Replies.badTarget("kickstart");
        }
        Reply missing = Replies.missingDomain(t, uid);
        if (missing != null) {
            return missing;
        }
        if (t.isGui(uid) && knobs.guiDomainUnrecognized()) {
            return Replies.unrecognizedDomain("kickstart");
        }
        if (t.isGui(uid) && knobs.noGuiDomain()) {
            return Reply.err(112, LaunchdErrors.domainNotFound(t));
        }
        LaunchdDomain domain = domains.of(t);
        LaunchdDomain.Kick k = domain != null ? domain.kickstart(t.name(), kill) : new LaunchdDomain.Kick(113, 0);
        if (k.code() == 113) {
            return Reply.err(113, LaunchdErrors.serviceNotFound(t.name(), t));
        }
        if (k.code() != 0) {
            return Reply.err(k.code(), LaunchdErrors.kickstartFailed(t.name(), k.code()));
        }
        // kickstart -k that returned before the respawn (Knobs#kickstartAsync) knows no new pid yet: prints none
        return printPid && k.pid() > 0 ? Reply.out("service spawned with pid: " + k.pid() + "\n") : Reply.ok();
    }

    /** §3. */
    Reply print(List<String> a) {
        if (a.size() != 1) {
            return Replies.usage("print");
        }
        Target t = Target.parse(a.get(0));
        if (t == null) {
            return Replies.badTarget("print");
        }
        Reply missing = Replies.missingDomain(t, uid);
        if (missing != null) {
            return missing;
        }
        if (t.isGui(uid) && knobs.guiDomainUnrecognized()) {
            return Replies.unrecognizedDomain("print");
        }
        if (t.isGui(uid) && knobs.noGuiDomain()) {
            return Reply.err(112, LaunchdErrors.domainNotFound(t));
        }
        LaunchdDomain domain = domains.of(t);
        boolean ours = domain != null;
        if (!t.isService()) {
            return Reply.out(ServicePrinter.domain(t.domain(), ours ? domain.views() : List.of(), disabled.all()));
        }
        return (ours ? domain.view(t.name()) : Optional.<ServicePrinter.View>empty())
                .map(v -> Reply.out(knobs.legacyPrint() ? ServicePrinter.serviceLegacy(t.domain(), v)
                        : ServicePrinter.service(t.domain(), v)))
                .orElseGet(() -> Reply.err(113, LaunchdErrors.serviceNotFound(t.name(), t)));
    }

    /** §6: gui/ and user/ of the own uid show the same set. */
    Reply printDisabled(List<String> a) {
        if (a.size() != 1) {
            return Replies.usage("print-disabled");
        }
        Target t = Target.parse(a.get(0));
        if (t == null || t.isService()) {
            return Replies.badTarget("print-disabled");
        }
        Reply missing = Replies.missingDomain(t, uid);
        if (missing == null && t.isGui(uid) && knobs.guiDomainUnrecognized()) {
            return Replies.unrecognizedDomain("print-disabled");
        }
        return missing != null ? missing
                : Reply.out(ServicePrinter.disabled(disabled.all(), knobs.printDisabledTrueFalse()));
    }

    /** §5: persisted, exit 0 even for labels never seen. */
    Reply enable(String verb, List<String> a) {
        if (a.size() != 1) {
            return Replies.usage(verb);
        }
        Target t = Target.parse(a.get(0));
        if (t == null || !t.isService()) {
            return Replies.badTarget(verb);
        }
        Reply missing = Replies.missingDomain(t, uid);
        if (missing != null) {
            return missing;
        }
        if (t.isGui(uid) && knobs.guiDomainUnrecognized()) {
            return Replies.unrecognizedDomain(verb); // err-51: `enable gui/502/...` without a GUI login
        }
        disabled.set(t.name(), verb.equals("disable"));
        return Reply.ok();
    }
}
