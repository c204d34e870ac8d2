package heph.launchd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code launchctl print gui/<uid>/<label>} parsed defensively: its output "is NOT API" (launchd-facts §3), so
 * only named fields of the top level of the {@code <target> = { ... }} block are read, in any order, with any
 * indentation; nested blocks other than {@code arguments} are skipped. Presence comes from the exit status alone
 * (0 loaded, 113 not found, 112 no domain, anything else error). Absent text fields are "", absent numbers empty.
 */
public record PrintInfo(Presence presence, String state, OptionalLong pid, String program, List<String> arguments,
                        String path, OptionalInt exitTimeoutSecs, OptionalLong runs, String lastExitCode,
                        List<String> properties) {

    /** What launchctl said about the service. */
    public enum Presence { LOADED, NOT_FOUND /*113*/, NO_DOMAIN /*112*/, ERROR /*any other nonzero*/ }

    private static final Pattern OPENER = Pattern.compile("^(.*?)\\s*=>?\\s*\\{$"); // `x = {`, defensively `x => {`
    private static final Pattern LEADING_INT = Pattern.compile("^\\s*(-?\\d+)");

    public PrintInfo {
        state = state == null ? "" : state;
        program = program == null ? "" : program;
        path = path == null ? "" : path;
        lastExitCode = lastExitCode == null ? "" : lastExitCode;
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
        properties = properties == null ? List.of() : List.copyOf(properties);
        pid = pid == null ? OptionalLong.empty() : pid;
        exitTimeoutSecs = exitTimeoutSecs == null ? OptionalInt.empty() : exitTimeoutSecs;
        runs = runs == null ? OptionalLong.empty() : runs;
    }

    /** Parses one {@code launchctl print} run; stdout is read only when the exit status is 0. */
    public static PrintInfo parse(int exitCode, String stdout, String stderr) {
        Presence presence = switch (exitCode) {
            case 0 -> Presence.LOADED;
            case 113 -> Presence.NOT_FOUND; // launchd-facts §3: `Could not find service ...`, with or without `Bad request.`
            case 112 -> Presence.NO_DOMAIN; // launchd-facts §3: `Could not find domain for user gui: <uid>`
            default -> Presence.ERROR;
        };
        if (presence != Presence.LOADED) {
            return new PrintInfo(presence, "", OptionalLong.empty(), "", List.of(), "", OptionalInt.empty(),
                    OptionalLong.empty(), "", List.of());
        }
        Scan scan = scan(stdout == null ? "" : stdout);
        Map<String, String> f = scan.fields;
        List<String> props = Arrays.stream(f.getOrDefault("properties", "").split("\\|"))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        OptionalLong timeout = parseLong(f.get("exit timeout"));
        return new PrintInfo(presence, f.get("state"), parseLong(f.get("pid")), f.get("program"), scan.arguments,
                f.get("path"),
                timeout.isPresent() && timeout.getAsLong() == (int) timeout.getAsLong()
                        ? OptionalInt.of((int) timeout.getAsLong()) : OptionalInt.empty(),
                parseLong(f.get("runs")), f.get("last exit code"), props);
    }

    /**
     * Every {@code key = value} line of the top level of a print dump, in order (first occurrence wins), for fields
     * this record does not carry ({@code active count}, {@code job state}, {@code successive crashes}, ...).
     */
    public static Map<String, String> fields(String stdout) {
        return Collections.unmodifiableMap(scan(stdout == null ? "" : stdout).fields);
    }

    public boolean loaded() {
        return presence == Presence.LOADED;
    }

    public boolean running() {
        return loaded() && "running".equals(state) && pid.isPresent();
    }

    /** Loaded but being torn down: bootout sent SIGTERM/SIGKILL and the label is not yet gone (launchd-facts §2/§3). */
    public boolean draining() {
        return loaded() && ("SIGTERMed".equals(state) || "SIGKILLed".equals(state));
    }

    /** The number of {@code last exit code = 78: EX_CONFIG}; empty for {@code (never exited)} or when absent. */
    public OptionalInt lastExitStatus() {
        Matcher m = LEADING_INT.matcher(lastExitCode);
        if (!m.find()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(m.group(1)));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private record Scan(Map<String, String> fields, List<String> arguments) {
    }

    /**
     * Tracks block depth by <code>name = {</code> openers and <code>}</code> closers. The top level is depth 1 inside
     * the leading <code>domain/name = {</code> header, or depth 0 when the text has no such header (a fragment).
     */
    private static Scan scan(String text) {
        List<String> lines = text.lines().toList();
        String first = lines.stream().map(String::strip).filter(s -> !s.isEmpty()).findFirst().orElse("");
        Matcher header = OPENER.matcher(first);
        int top = header.matches() && header.group(1).contains("/") ? 1 : 0;
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        int depth = 0;
        boolean inArguments = false;
        boolean argumentsSeen = false;
        for (String line : lines) {
            String t = line.strip();
            if (inArguments) {
                if (t.equals("}")) {
                    inArguments = false;
                    depth--;
                } else if (!line.isEmpty()) {
                    args.add(line.stripLeading()); // one argument per line, verbatim minus indentation
                }
                continue;
            }
            Matcher opener = OPENER.matcher(t);
            if (opener.matches()) {
                depth++;
                inArguments = depth == top + 1 && opener.group(1).equals("arguments") && !argumentsSeen;
                argumentsSeen |= inArguments;
            } else if (t.equals("}")) {
                depth = Math.max(0, depth - 1);
            } else if (depth == top) {
                int eq = t.indexOf('=');
                if (eq > 0 && !t.startsWith("=>", eq)) {
                    fields.putIfAbsent(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
                }
            }
        }
        return new Scan(fields, args);
    }

    private static OptionalLong parseLong(String s) {
        if (s == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(s.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
