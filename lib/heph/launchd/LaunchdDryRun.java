package heph.launchd;

import com.dd.plist.NSDictionary;
import heph.launchd.plist.AgentPlist;
import heph.launchd.plist.LaunchdPlist;
import heph.launchd.plist.PlistDefinition;
import heph.plan.DryRun;
import heph.plan.DryRun.Command;
import heph.plan.Redaction;
import heph.service.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A launchd decision ({@link LaunchdBackend#decide}, or stop/uninstall's probe) as a {@link DryRun}: the argv the
 * real run would send, in order, and the plist's diff. Pure apart from reading the plist and heph's loaded copy.
 * The first bootout of a run is {@code bootout --wait} ({@link BootoutWait}: the call is its own probe), so the plan
 * lists that and names the plain bootout that follows where launchctl has no {@code --wait}.
 */
final class LaunchdDryRun {
    static final String RETRIED = "retried on 5 and 37 (bootstrap-with-retry)";
    static final String POLLED = "polled until it answers 113 (wait-until-unloaded)";

    private final Settings s;
    private final Launchctl launchctl;
    private final LoadedCopy copy;
    private final String who;
    private final String domain;
    private final String target;
    private final Path plist;

    LaunchdDryRun(Settings s, Launchctl launchctl, LoadedCopy copy, String who) {
        this.s = s;
        this.launchctl = launchctl;
        this.copy = copy;
        this.who = who;
        this.domain = Launchctl.domain(s);
        this.target = Launchctl.target(s);
        this.plist = s.plistPath();
    }

    DryRun converge(LaunchdBackend.Decision d) {
        List<Command> commands = new ArrayList<>();
        List<String> warnings = new ArrayList<>(d.warnings());
        d.aside().pending().ifPresent(warnings::add);
        String diff = d.writeFile() ? Redaction.plistDiff(existing(), text(fileBytes()), plist.toString(),
                text(d.bytes())) : "";
        String name = s.label();
        String message;
        switch (d.path()) {
            case "start" -> {
                if (d.drainedFrom() != null) {
                    commands.add(new Command(launchctl.argv("print", target), POLLED + ": launchd is still tearing"
                            + " it down (state = " + d.drainedFrom() + ")"));
                }
                load(commands);
                message = d.action() + " would start " + name + (d.drainedFrom() != null
                        ? " once launchd has let go of it (state = " + d.drainedFrom() + ")" : " (not loaded)");
            }
            case "none" -> message = d.action() + " would change nothing" + (d.writeFile() ? " but write " + plist
                    + " (launchd runs this definition)" : "") + ": " + LaunchdBackend.alreadyMessage(who, d.job(),
                    AgentPlist.expect(d.desired()));
            case "kickstart" -> {
                boolean kill = d.job().info().running() || d.job().transitional();
                commands.add(Command.of(kill ? launchctl.argv("kickstart", "-k", target)
                        : launchctl.argv("kickstart", target)));
                message = d.action() + " would " + (kill ? "restart " + name + " in place (launchctl kickstart -k)"
                        : "start " + name + " (launchctl kickstart)") + ": launchd runs this definition";
            }
            default -> {
                unload(commands);
                load(commands);
                String from = "";
                if (!d.writeFile() && d.copied() != null && !LaunchdPlist.sameJob(d.desired(), d.copied())) {
                    // a hand edit: the file already holds what heph would load; launchd runs heph's copy
                    diff = Redaction.plistDiff(copy.file().toString(), text(LaunchdPlist.toXml(d.copied())),
                            plist.toString(), text(LaunchdPlist.toXml(d.desired())));
                    from = "; the diff is from heph's copy of what it loaded, " + copy.file();
                }
                message = d.action() + " would reload " + name + " (" + d.why() + from + ")";
            }
        }
        boolean changed = !d.path().equals("none") || d.writeFile();
        return new DryRun(d.action(), name, d.path(), changed, commands, diff, message, warnings);
    }

    DryRun stop(LoadedJob job) {
        if (!job.loaded()) {
            return new DryRun("stop", s.label(), "none", false, List.of(), "", "stop would do nothing: " + who
                    + " is already stopped", List.of());
        }
        List<Command> commands = new ArrayList<>();
        unload(commands);
        return new DryRun("stop", s.label(), "stop", true, commands, "", "stop would stop " + s.label() + was(job),
                List.of());
    }

    DryRun uninstall(LoadedJob job) {
        boolean file = Files.exists(plist);
        if (!file && !job.loaded()) {
            return new DryRun("uninstall", s.label(), "none", false, List.of(), "", "uninstall would do nothing: "
                    + who + " is not installed", List.of());
        }
        List<Command> commands = new ArrayList<>();
        if (job.loaded()) {
            unload(commands);
        }
        String diff = file ? Redaction.plistDiff(plist.toString(), text(fileBytes()), null, "") : "";
        String what = (job.loaded() ? "stop " + s.label() + was(job) + (file ? " and " : "") : "")
                + (file ? "remove " + plist : "");
        return new DryRun("uninstall", s.label(), "uninstall", true, commands, diff, "uninstall would " + what,
                List.of());
    }

    private static String was(LoadedJob job) {
        return job.pid().isPresent() ? " (pid " + job.pid().getAsLong() + ")" : " (loaded, not running)";
    }

    /** bootout [--wait], then print until 113: what {@link BootoutWait} and wait-until-unloaded send. */
    private void unload(List<Command> commands) {
        commands.add(new Command(launchctl.argv("bootout", "--wait", target), "plain `launchctl bootout " + target
                + "` where launchctl has no --wait (macOS 14/15 answer 64)"));
        commands.add(new Command(launchctl.argv("print", target), POLLED));
    }

    /** enable, then bootstrap-with-retry. */
    private void load(List<Command> commands) {
        commands.add(Command.of(launchctl.argv("enable", target)));
        commands.add(new Command(launchctl.argv("bootstrap", domain, plist.toString()), RETRIED));
    }

    /** The plist's path when a file is there (null: the diff starts from /dev/null). */
    private String existing() {
        return Files.exists(plist) ? plist.toString() : null;
    }

    private byte[] fileBytes() {
        byte[] b = Files.isRegularFile(plist) ? PlistDefinition.readBytes(plist) : null;
        return b == null ? new byte[0] : b;
    }

    /** A plist as text: binary plists as the XML heph would render of them. */
    private static String text(byte[] bytes) {
        if (bytes.length >= 6 && new String(bytes, 0, 6, StandardCharsets.ISO_8859_1).equals("bplist")) {
            try {
                NSDictionary d = LaunchdPlist.parse(bytes, "binary plist");
                return new String(LaunchdPlist.toXml(d), StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                return "(binary plist, unreadable)\n";
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
