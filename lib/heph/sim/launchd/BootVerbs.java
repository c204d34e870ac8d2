package heph.sim.launchd;

import heph.sim.Knobs;
import heph.sim.SimOptions;
import heph.sim.SimTool.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** launchctl bootstrap and bootout (docs/facts/launchd-facts.md §1, §2, §11) against the simulated domain. */
final class BootVerbs {
    private final int uid;
    private final Knobs knobs;
    private final Domains domains;
    private final DisabledStore disabled;
    private final SimOptions options;

    BootVerbs(int uid, Knobs knobs, Domains domains, DisabledStore disabled, SimOptions options) {
        this.uid = uid;
        this.knobs = knobs;
        this.domains = domains;
        this.disabled = disabled;
        this.options = options;
    }

    /** load()'s answer for a plist that is not a valid property list under Knobs#invalidPlistExit133. */
    private static final int INVALID_PLIST = -133;

    /** §1 (all rows). */
    Reply bootstrap(List<String> a, String cwd) {
        if (a.size() < 2) {
            return Replies.usage("bootstrap");
        }
        Target t = Target.parse(a.get(0));
        if (t == null || t.isService()) {
            return Replies.badTarget("bootstrap");
        }
        Reply missing = Replies.missingDomain(t, uid);
        if (missing != null) {
            return missing;
        }
        if (t.isGui(uid) && knobs.guiDomainUnrecognized()) {
            return Replies.unrecognizedDomain("bootstrap"); // err-51: no gui domain at all
        }
        if (t.isGui(uid) && knobs.noGuiDomain()) {
            return Reply.err(125, LaunchdErrors.bootstrapFailed(125));
        }
        LaunchdDomain domain = domains.of(t); // gui/<uid> or user/<uid> (§13: user/ works without a GUI session)
        List<String> perPath = new ArrayList<>();
        int last = 0;
        for (String p : a.subList(1, a.size())) {
            Path path = Path.of(cwd).resolve(p).normalize();
            int code = domain != null ? load(path, domain) : 5;
            if (code != 0) {
                perPath.add(code == INVALID_PLIST ? LaunchdErrors.invalidPropertyList(path)
                        : path + ": " + LaunchdErrors.text(code) + "\n");
                last = code;
            }
        }
        if (perPath.isEmpty()) {
            return Reply.ok();
        }
        if (a.size() == 2 && last == INVALID_PLIST) {
            return Reply.err(133, perPath.get(0)); // err-52: only `<plist>: Invalid property list`, exit 133
        }
        last = last == INVALID_PLIST ? 133 : last;
        if (a.size() == 2) {
            return Reply.err(last, LaunchdErrors.bootstrapFailed(last));
        }
        int code = perPath.size() > 1 ? 133 : last;
        return Reply.err(code, String.join("", perPath) + LaunchdErrors.bootstrapFailed(code));
    }

    /** One plist: 0, or the code bootstrap answers as a non-root user (§1: nearly everything collapses to 5). */
    private int load(Path path, LaunchdDomain domain) {
        if (!Files.isRegularFile(path) || !acceptableOwnership(path)) {
            return 5; // §1 missing plist (HERMES-31212); bad ownership/permissions (§11, RUNDESK)
        }
        com.dd.plist.NSObject root;
        try {
            root = ImportedPlist.read(path);
        } catch (ImportedPlist.Invalid e) {
            // §1 unparsable plist as user (uncertainty 5); Knobs#invalidPlistExit133: 133 and its own line (err-52)
            return knobs.invalidPlistExit133() ? INVALID_PLIST : 5;
        }
        ImportedPlist spec;
        try {
            spec = ImportedPlist.from(path, root, options.defaultExitTimeOutSec(), options.defaultThrottleSec());
        } catch (ImportedPlist.Invalid e) {
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

    /** §2; {@code --wait} per {@link Knobs#bootoutWait} (§2 last rows, §13). */
    Reply bootout(List<String> a, String cwd) {
        boolean wait = !a.isEmpty() && a.get(0).equals("--wait");
        if (wait && !knobs.bootoutWait()) {
            return Reply.err(64, LaunchdErrors.unrecognizedBootoutTarget()); // macOS 14/15: err-05a/05b
        }
        if (wait) {
            a = a.subList(1, a.size());
        }
        if (a.isEmpty()) {
            return Reply.err(64, LaunchctlUsage.bootout(knobs.bootoutWait()));
        }
        Target t = Target.parse(a.get(0));
        if (t == null) {
            return Replies.badTarget("bootout");
        }
        Reply missing = Replies.missingDomain(t, uid);
        if (missing != null) {
            return missing;
        }
        if (t.isGui(uid) && knobs.guiDomainUnrecognized()) {
            return Replies.unrecognizedDomain("bootout"); // err-51: no gui domain at all
        }
        if (t.isGui(uid) && knobs.noGuiDomain()) {
            return Reply.err(125, LaunchdErrors.bootoutFailed(125)); // §2 gui domain unusable (HB-CLI)
        }
        if (wait && (!t.isService() || a.size() > 1)) {
            return Reply.err(64, "--wait can only be used for booting-out a single service.\n"); // §2 (RUNDESK)
        }
        LaunchdDomain domain = domains.of(t);
        if (t.isService()) {
            boolean found = domain != null && (wait ? domain.bootoutAndWait(t.name()) : domain.bootout(t.name()));
            return found ? Reply.ok() : Reply.err(3, LaunchdErrors.bootoutFailed(3));
        }
        if (a.size() == 1) {
            return Reply.err(1, "launchctl (heph simulator): booting out a whole domain is not simulated\n");
        }
        for (String p : a.subList(1, a.size())) {
            String label = labelOf(Path.of(cwd).resolve(p).normalize());
            if (label == null || domain == null || !domain.bootout(label)) {
                return Reply.err(5, LaunchdErrors.bootoutFailed(5)); // §2 bootout by path, not loaded (KIWI-328)
            }
        }
        return Reply.ok();
    }

    private String labelOf(Path plist) {
        try {
            return ImportedPlist.from(plist, ImportedPlist.read(plist), 0, 10).label();
        } catch (Exception e) {
            return null;
        }
    }
}
