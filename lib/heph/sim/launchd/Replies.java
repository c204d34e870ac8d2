package heph.sim.launchd;

import heph.sim.SimTool.Reply;

/** Replies shared by the launchctl verbs ("General rules" and §3 of docs/facts/launchd-facts.md). */
final class Replies {
    private Replies() {
    }

    /** Usage error: the verb's synopsis on stderr, exit 64. */
    static Reply usage(String verb) {
        return Reply.err(64, LaunchctlUsage.verb(verb));
    }

    /** Bad target specifier: two lines and the verb's synopsis, exit 64. */
    static Reply badTarget(String verb) {
        return Reply.err(64, LaunchdErrors.badTarget(verb));
    }

    /** A domain that does not exist (Knobs#guiDomainUnrecognized): the err-51 text, exit 64. */
    static Reply unrecognizedDomain(String verb) {
        return Reply.err(64, LaunchdErrors.unrecognizedDomain(verb));
    }

    /** 112 for a gui/user domain of another uid (docs/facts/launchd-facts.md §3 "Domain missing"), else null. */
    static Reply missingDomain(Target t, int uid) {
        boolean other = (t.type().equals("gui") || t.type().equals("user")) && t.handle() != uid;
        return other ? Reply.err(112, LaunchdErrors.domainNotFound(t)) : null;
    }
}
