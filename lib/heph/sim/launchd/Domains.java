package heph.sim.launchd;

/**
 * The two per-user domains the simulator models (docs/facts/launchd-facts.md §13): gui/&lt;uid&gt;, which needs a GUI login session
 * (with {@code Knobs#noGuiDomain} it answers 125/112, as over ssh), and user/&lt;uid&gt;, which exists in any session
 * (bootstrap into it succeeds silently over ssh, homebrew-services 528) but whose agents launchd does not restore at
 * the next login (home-manager 9656). They hold separate jobs: a label loaded in one is not found in the other
 * (§2: {@code bootout user/<uid>/<label>} of a gui job answers 3). The disabled overrides are shared (§6).
 */
record Domains(int uid, LaunchdDomain gui, LaunchdDomain user) {

    /** The domain {@code t} names for this uid, or null (another uid, system, login, pid ...). */
    LaunchdDomain of(Target t) {
        if (t == null || t.handle() != uid) {
            return null;
        }
        return switch (t.type()) {
            case "gui" -> gui;
            case "user" -> user;
            default -> null;
        };
    }
}
