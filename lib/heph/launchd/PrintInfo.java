package heph.launchd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code launchctl print <domain>/<label>} parsed defensively: its output "is NOT API" (docs/facts/launchd-facts.md §3), so
 * only named fields of the top level of the service block are read, in any order, with any indentation (tabs, 4 or
 * 8 spaces, a paste indented as a whole); nested blocks other than {@code arguments} are skipped, and so are lines
 * without a {@code key = value} (e.g. {@code submitted job. ignore execute allowed}) and {@code key => value} pairs.
 * The block's header may carry a domain ({@code gui/501/x = {}, {@code system/x = {}, {@code user/501/x = {}) or not
 * ({@code x = {}, macOS 10.10-10.15, docs/facts/launchd-facts.md §13); text without a header (a grep of print output) is read as
 * top-level fields, the least indented {@code key = value} lines being the top level. Presence comes from the exit
 * status alone (0 loaded, 113 not found, 112 no domain, anything else error). Absent text fields are "", absent
 * numbers empty.
 *
 * <p>Instead of {@code last exit code} launchd may print {@code last terminating signal = Terminated: 15} (after
 * {@code kickstart -k}) or {@code last exit reason = JETSAM_REASON_MEMORY_IDLE_EXIT} (docs/facts/launchd-facts.md §3, §13); they
 * are {@link #lastSignal()} and {@link #lastExitReason()}. {@code pended nondemand spawn = speculative} (a RunAtLoad
 * that never fired, §13) is {@link #pendedSpawn()}. {@code job state} (exited, running, spawn failed) is
 * {@link #jobState()}. A job an app registered through SMAppService prints {@code path = (submitted by smd.553)}
 * (real-launchctl print-18, print-43): that is no file, so {@link #path()} is "" and {@link #submittedBy()} is
 * "smd.553".
 */
public record PrintInfo(Presence presence, String state, OptionalLong pid, String program, List<String> arguments,
                        String path, OptionalInt exitTimeoutSecs, OptionalLong runs, String lastExitCode,
                        List<String> properties, String lastSignal, String lastExitReason, String pendedSpawn,
                        String jobState, String submittedBy) {

    /** What launchctl said about the service. */
    public enum Presence { LOADED, NOT_FOUND /*113*/, NO_DOMAIN /*112*/, ERROR /*any other nonzero*/ }

    private static final Pattern OPENER = Pattern.compile("^(.*?)\\s*=>?\\s*\\{$"); // `x = {`, defensively `x => {`
    private static final Pattern LEADING_INT = Pattern.compile("^\\s*(-?\\d+)");
    private static final Pattern EXIT_NAME = Pattern.compile("^\\s*-?\\d+\\s*:\\s*(\\S.*)$");
    private static final Pattern SUBMITTED = Pattern.compile("^\\(submitted by (.*)\\)$");
    /** Blocks nested in a service block; a first line opening one of these is a fragment, not a header. */
    private static final Set<String> NESTED_BLOCKS = Set.of("arguments", "environment", "default environment",
            "inherited environment", "semaphores", "endpoints", "dynamic endpoints", "pid-local endpoints",
            "instance-specific endpoints", "event triggers", "event channels", "sockets", "resource coalition",
            "jetsam coalition", "probabilistic guard malloc policy", "spawn", "disabled services", "services");
    /** launchd's states that mean "a spawn is under way": keep waiting (docs/facts/launchd-facts.md §3 enum, §13 xpcproxy). */
    private static final Set<String> TRANSITIONAL = Set.of("spawning", "xpcproxy");

    public PrintInfo {
        state = state == null ? "" : state;
        program = program == null ? "" : program;
        path = path == null ? "" : path;
        lastExitCode = lastExitCode == null ? "" : lastExitCode;
        lastSignal = lastSignal == null ? "" : lastSignal;
        lastExitReason = lastExitReason == null ? "" : lastExitReason;
        pendedSpawn = pendedSpawn == null ? "" : pendedSpawn;
        jobState = jobState == null ? "" : jobState;
        submittedBy = submittedBy == null ? "" : submittedBy;
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
        properties = properties == null ? List.of() : List.copyOf(properties);
        pid = pid == null ? OptionalLong.empty() : pid;
        exitTimeoutSecs = exitTimeoutSecs == null ? OptionalInt.empty() : exitTimeoutSecs;
        runs = runs == null ? OptionalLong.empty() : runs;
    }

    /** The record before last signal / exit reason / pended spawn were read; those are "". */
    public PrintInfo(Presence presence, String state, OptionalLong pid, String program, List<String> arguments,
                     String path, OptionalInt exitTimeoutSecs, OptionalLong runs, String lastExitCode,
                     List<String> properties) {
        this(presence, state, pid, program, arguments, path, exitTimeoutSecs, runs, lastExitCode, properties,
                "", "", "");
    }

    /** The record before job state and submitted-by were read; those are "". */
    public PrintInfo(Presence presence, String state, OptionalLong pid, String program, List<String> arguments,
                     String path, OptionalInt exitTimeoutSecs, OptionalLong runs, String lastExitCode,
                     List<String> properties, String lastSignal, String lastExitReason, String pendedSpawn) {
        this(presence, state, pid, program, arguments, path, exitTimeoutSecs, runs, lastExitCode, properties,
                lastSignal, lastExitReason, pendedSpawn, "", "");
    }

    /** Parses one {@code launchctl print} run; stdout is read only when the exit status is 0. */
    public static PrintInfo parse(int exitCode, String stdout, String stderr) {
        Presence presence = switch (exitCode) {
            case 0 -> Presence.LOADED;
            case 113 -> Presence.NOT_FOUND; // docs/facts/launchd-facts.md §3: `Could not find service ...`, with or without `Bad request.`
            case 112 -> Presence.NO_DOMAIN; // docs/facts/launchd-facts.md §3: `Could not find domain for user gui: <uid>`
            default -> LaunchctlErrors.unrecognizedDomain(exitCode, stderr) ? Presence.NO_DOMAIN : Presence.ERROR;
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
        String path = f.getOrDefault("path", "");
        Matcher submitted = SUBMITTED.matcher(path);
        return new PrintInfo(presence, f.get("state"), parseLong(f.get("pid")), f.get("program"), scan.arguments,
                submitted.matches() ? "" : path,
                timeout.isPresent() && timeout.getAsLong() == (int) timeout.getAsLong()
                        ? OptionalInt.of((int) timeout.getAsLong()) : OptionalInt.empty(),
                parseLong(f.get("runs")), f.get("last exit code"), props, f.get("last terminating signal"),
                f.get("last exit reason"), f.get("pended nondemand spawn"), f.get("job state"),
                submitted.matches() ? submitted.group(1).strip() : "");
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

    /** Loaded but being torn down: bootout sent SIGTERM/SIGKILL and the label is not yet gone (docs/facts/launchd-facts.md §2/§3). */
    public boolean draining() {
        return loaded() && ("SIGTERMed".equals(state) || "SIGKILLed".equals(state));
    }

    /**
     * launchd is spawning the job right now ({@code state = spawning}, or {@code xpcproxy} right after a spawn or
     * kickstart, docs/facts/launchd-facts.md §13): not "not running" — ask again shortly.
     */
    public boolean transitional() {
        return loaded() && TRANSITIONAL.contains(state);
    }

    /**
     * A job that keeps dying, or that launchd cannot even start: {@code job state = spawn failed} (real-launchctl
     * print-43; with a {@code last exit reason} such as {@code OS_REASON_CODESIGNING} standing in for the exit code),
     * or a KeepAlive job in {@code state = spawn scheduled} (throttled respawn pending) after more than one run whose
     * previous run ended badly: a nonzero exit code, a signal or an exit reason (docs/facts/launchd-facts.md §3 "Throttled", §13:
     * print-21 shows runs = 17169, last exit code = 1). {@code spawn scheduled} after {@code last exit code = 0} is a
     * KeepAlive respawn after a clean exit ({@link #respawning()}, print-41), not a crash.
     */
    public boolean crashLoop() {
        if (!loaded() || running()) {
            return false;
        }
        if (spawnFailed()) {
            return runs.isEmpty() || runs.getAsLong() > 1; // one failed spawn is a failure, not yet a loop
        }
        return "spawn scheduled".equals(state) && runs.isPresent() && runs.getAsLong() > 1
                && (lastExitStatus().orElse(0) != 0 || !lastSignal.isEmpty() || !lastExitReason.isEmpty());
    }

    /** launchd's last attempt to start the job failed before it ran ({@code job state = spawn failed}). */
    public boolean spawnFailed() {
        return loaded() && "spawn failed".equals(jobState);
    }

    /**
     * KeepAlive will start the job again after a clean exit: {@code state = spawn scheduled}, {@code last exit code
     * = 0}, no signal, no exit reason, the spawn not failed (real-launchctl print-41: runs = 311, job state = exited).
     */
    public boolean respawning() {
        return loaded() && "spawn scheduled".equals(state) && lastExitStatus().orElse(-1) == 0
                && lastSignal.isEmpty() && lastExitReason.isEmpty() && !spawnFailed();
    }

    /** An SMAppService job: {@code path = (submitted by ...)} instead of a plist path. */
    public boolean submitted() {
        return !submittedBy.isEmpty();
    }

    /**
     * What print says of a crash loop, for messages: "state = spawn scheduled, job state = spawn failed, runs 22138,
     * last exit code 78: EX_CONFIG" (the parts print shows), plus what a known exit reason means.
     */
    public String crashSummary() {
        List<String> parts = new ArrayList<>();
        if (!state.isEmpty()) {
            parts.add("state = " + state);
        }
        if (!jobState.isEmpty()) {
            parts.add("job state = " + jobState);
        }
        runs.ifPresent(n -> parts.add("runs " + n));
        String end = lastExit();
        if (!end.isEmpty()) {
            String reason = exitReasonMeaning();
            parts.add(end + (lastExitCode.isEmpty() && !reason.isEmpty() ? " (" + reason + ")" : ""));
        }
        return String.join(", ", parts);
    }

    /** What a known {@code last exit reason} means, in words; "" for none or an unknown one. */
    public String exitReasonMeaning() {
        return EXIT_REASONS.getOrDefault(lastExitReason, "");
    }

    /** launchd's exit reasons that come without an exit code (docs/facts/launchd-facts.md §13, sutando 2981), in words. */
    private static final Map<String, String> EXIT_REASONS = Map.of(
            "OS_REASON_CODESIGNING", "macOS rejected the program's code signature: sign it again or rebuild it",
            "JETSAM_REASON_MEMORY_IDLE_EXIT", "launchd ended it while idle to free memory",
            "OS_REASON_EXEC", "the program could not be executed");

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

    /** The name after the number of {@code last exit code = 78: EX_CONFIG} ("EX_CONFIG"), or "". */
    public String lastExitName() {
        Matcher m = EXIT_NAME.matcher(lastExitCode);
        return m.matches() ? m.group(1).strip() : "";
    }

    /**
     * How the previous run ended, in launchd's words, for messages: {@code last exit code}, else {@code last
     * terminating signal}, else {@code last exit reason}; "" when print shows none of them.
     */
    public String lastExit() {
        if (!lastExitCode.isEmpty()) {
            return "last exit code " + lastExitCode;
        }
        if (!lastSignal.isEmpty()) {
            return "last terminating signal " + lastSignal;
        }
        return lastExitReason.isEmpty() ? "" : "last exit reason " + lastExitReason;
    }

    private static final Pattern OVERRIDE = Pattern.compile("^\\s*\"(.+)\"\\s*=>\\s*(\\S+)\\s*$");

    /**
     * The label's entry in {@code launchctl print-disabled <domain>}: true = disabled, false = enabled, empty = no
     * entry. Only the {@code disabled services} block counts (print-32 also shows {@code login item associations}
     * with quoted {@code "label" => "bundle"} pairs). The value is {@code disabled}/{@code enabled} from macOS 13 on
     * and {@code true}/{@code false} before (real-launchctl print-32, print-33, print-34); any other value is no
     * entry.
     */
    public static java.util.Optional<Boolean> disabledOverride(String printDisabled, String label) {
        List<String> lines = (printDisabled == null ? "" : printDisabled).lines().toList();
        // a fragment of the block (print-34 as pasted) has no opener: its entries count as they are
        boolean inBlock = lines.stream().noneMatch(l -> OPENER.matcher(l.strip()).matches());
        for (String line : lines) {
            String t = line.strip();
            Matcher opener = OPENER.matcher(t);
            if (opener.matches()) {
                inBlock = opener.group(1).strip().equals("disabled services");
                continue;
            }
            if (t.equals("}")) {
                inBlock = false;
                continue;
            }
            Matcher m = OVERRIDE.matcher(line);
            if (inBlock && m.matches() && m.group(1).equals(label)) {
                return switch (m.group(2)) {
                    case "disabled", "true" -> java.util.Optional.of(true);
                    case "enabled", "false" -> java.util.Optional.of(false);
                    default -> java.util.Optional.empty();
                };
            }
        }
        return java.util.Optional.empty();
    }

    private record Scan(Map<String, String> fields, List<String> arguments) {
    }

    /**
     * Tracks block depth by <code>name = {</code> openers and <code>}</code> closers. The top level is depth 1 inside
     * a leading <code>[domain/]name = {</code> header (reading stops at its closing brace), or depth 0 when the text
     * has no header (a fragment); in a fragment, lines indented deeper than its least indented field are from nested
     * blocks whose openers the filter dropped (docs/facts/launchd-facts.md §13: coalitions' {@code state = active}).
     */
    private static Scan scan(String text) {
        List<String> lines = text.lines().toList();
        boolean header = lines.stream().filter(l -> !l.isBlank()).findFirst().map(PrintInfo::isHeader).orElse(false);
        int top = header ? 1 : 0;
        int fragmentIndent = header ? -1 : lines.stream().filter(l -> split(l.strip()) != null)
                .mapToInt(PrintInfo::indent).min().orElse(0);
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        int depth = 0;
        int argumentsIndent = -1; // indentation of the `arguments = {` opener while inside it
        boolean argumentsSeen = false;
        for (String line : lines) {
            String t = line.strip();
            if (argumentsIndent >= 0) {
                if (t.equals("}") && indent(line) <= argumentsIndent) {
                    argumentsIndent = -1;
                    depth--;
                } else if (!line.isEmpty()) {
                    args.add(line.stripLeading()); // one argument per line, verbatim minus indentation
                }
                continue;
            }
            Matcher opener = OPENER.matcher(t);
            if (opener.matches()) {
                depth++;
                if (depth == top + 1 && opener.group(1).equals("arguments") && !argumentsSeen) {
                    argumentsIndent = indent(line);
                    argumentsSeen = true;
                }
            } else if (t.equals("}")) {
                depth = Math.max(0, depth - 1);
                if (header && depth == 0) {
                    break; // the service block is closed; anything after it is not launchd's
                }
            } else if (depth == top && (header || indent(line) <= fragmentIndent)) {
                String[] kv = split(t);
                if (kv != null) {
                    fields.putIfAbsent(kv[0], kv[1]);
                }
            }
        }
        return new Scan(fields, args);
    }

    /**
     * The first line of print output opens the service block: {@code gui/501/x = {}, {@code system/x = {},
     * {@code user/501/x = {} or, before Big Sur, {@code x = {}; not a quoted endpoint name or a nested block such as
     * {@code arguments = {} (the first line of a fragment).
     */
    private static boolean isHeader(String line) {
        Matcher m = OPENER.matcher(line.strip());
        if (!m.matches()) {
            return false;
        }
        String name = m.group(1);
        return !name.isEmpty() && !name.startsWith("\"") && !name.contains(" ")
                && (name.contains("/") || name.contains(".") || !NESTED_BLOCKS.contains(name));
    }

    /**
     * {@code key = value} as [key, value], or null for a line that is not one: no {@code =} at all, or a
     * {@code key => value} pair (environment variables, semaphores, {@code "name" => disabled}). The first
     * {@code " = "} splits, so values may contain {@code =} ({@code checked allocations = 0 (queried = 1)}); a quoted
     * key is skipped over before looking.
     */
    static String[] split(String t) {
        int from = 0;
        if (t.startsWith("\"")) {
            int close = t.indexOf('"', 1);
            from = close < 0 ? t.length() : close + 1;
        }
        int pair = t.indexOf(" => ", from);
        int eq = t.indexOf(" = ", from);
        if (eq < 0 && t.endsWith(" =") && t.length() > 2) {
            eq = t.length() - 2; // `key =` with an empty value
        }
        if (eq < 0) {
            int bare = t.indexOf('=', from); // defensively `key=value`
            eq = bare > 0 && !t.startsWith("=>", bare) ? bare : -1;
        }
        if (eq <= 0 || (pair >= 0 && pair < eq)) {
            return null;
        }
        String key = t.substring(0, eq).strip();
        int valueStart = t.charAt(eq) == '=' ? eq + 1 : eq + 3;
        String value = valueStart >= t.length() ? "" : t.substring(valueStart).strip();
        return key.isEmpty() ? null : new String[] {key, value};
    }

    /** Leading whitespace in columns, a tab reaching the next multiple of 8 (pastes turn tabs into 8 spaces). */
    private static int indent(String line) {
        int col = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                col = (col / 8 + 1) * 8;
            } else if (c == ' ') {
                col++;
            } else {
                break;
            }
        }
        return col;
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
