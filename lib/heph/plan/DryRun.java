package heph.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a verb would do, computed by the same decision as the real run, with nothing changed: the path it would
 * take (the names of the real {@code --json} {@code path}), the argv it would run in order, and a unified diff of
 * the plist/unit file it would write or remove.
 *
 * @param action   the verb: start, restart, stop, uninstall
 * @param name     the launchd label or systemd unit
 * @param path     start, kickstart, restart, reload, stop, uninstall, or none
 * @param changed  whether the real run would change anything: a path other than none, or a file written
 * @param commands the launchctl/systemctl calls, in order, each with what to know about it (or null)
 * @param diff     the file's unified diff ({@link UnifiedDiff}), "" when it would not change; environment values
 *                 read {@code <redacted>} ({@link Redaction})
 * @param message  one line: what and why
 * @param warnings what the real run would also say (a file moved aside, flags read from the loaded job, ...)
 */
public record DryRun(String action, String name, String path, boolean changed, List<Command> commands, String diff,
                     String message, List<String> warnings) {
    public DryRun {
        commands = List.copyOf(commands);
        warnings = List.copyOf(warnings);
        diff = diff == null ? "" : diff;
    }

    /** One call: its argv, and a note (polled, retried, the variant where an option is absent), or null. */
    public record Command(List<String> argv, String note) {
        public Command {
            argv = List.copyOf(argv);
        }

        public static Command of(List<String> argv) {
            return new Command(argv, null);
        }

        /** The argv as a shell line, each word quoted when it needs it, the note as a comment. */
        public String line() {
            StringBuilder b = new StringBuilder();
            for (String w : argv) {
                b.append(b.length() == 0 ? "" : " ").append(quote(w));
            }
            return note == null ? b.toString() : b + "   # " + note;
        }

        static String quote(String w) {
            if (!w.isEmpty() && w.matches("[A-Za-z0-9_@%+=:,./-]+")) {
                return w;
            }
            return "'" + w.replace("'", "'\\''") + "'";
        }
    }

    /** The plan for humans: the header line, one command per line, then the diff. */
    public String text() {
        StringBuilder b = new StringBuilder("heph: dry run: ").append(message).append('\n');
        for (String w : warnings) {
            b.append("heph: dry run: warning: ").append(w).append('\n');
        }
        for (Command c : commands) {
            b.append(c.line()).append('\n');
        }
        b.append(diff);
        return b.toString();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", action);
        m.put("dry_run", true);
        m.put("changed", changed);
        m.put("path", path);
        List<Object> argvs = new ArrayList<>();
        List<Object> notes = new ArrayList<>();
        for (Command c : commands) {
            argvs.add(c.argv());
            notes.add(c.note());
        }
        m.put("commands", argvs);
        m.put("command_notes", notes);
        m.put("diff", diff);
        m.put("message", message);
        m.put("warnings", warnings);
        return m;
    }
}
