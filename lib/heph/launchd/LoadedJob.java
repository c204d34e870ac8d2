package heph.launchd;

import heph.launchd.plist.PlistDefinition;
import heph.launchd.plist.LaunchdPlist;
import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import heph.proc.ExecResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One {@code launchctl print} of the job as launchd runs it: {@link PrintInfo} plus what this package reads from the
 * same text for comparing definitions and judging a start (docs/facts/launchd-facts.md §3: the layout is not API, so every field
 * is optional): the top-level fields, and the {@code environment = { K => V }} block. Pure.
 */
record LoadedJob(PrintInfo info, Map<String, String> fields, Map<String, String> environment,
                 boolean environmentShown) {
    /** Variables launchd adds to every job's environment (docs/facts/launchd-facts.md §3 captures): never the plist's. */
    static final Set<String> LAUNCHD_ADDED = Set.of("XPC_SERVICE_NAME", "OSLogRateLimit");

    LoadedJob {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    static LoadedJob of(ExecResult r) {
        return parse(r.exitCode(), r.stdout(), r.stderr());
    }

    static LoadedJob parse(int exitCode, String stdout, String stderr) {
        PrintInfo info = PrintInfo.parse(exitCode, stdout, stderr);
        if (!info.loaded()) {
            return new LoadedJob(info, Map.of(), Map.of(), false);
        }
        Optional<Map<String, String>> env = environmentBlock(stdout);
        return new LoadedJob(info, PrintInfo.fields(stdout), env.orElse(Map.of()), env.isPresent());
    }

    boolean loaded() {
        return info.loaded();
    }

    /** Being spawned: {@code xpcproxy} or {@code spawning}; neither running nor stopped yet. */
    boolean transitional() {
        return info.transitional();
    }

    long runs() {
        return info.runs().orElse(0);
    }

    OptionalLong pid() {
        return info.pid();
    }

    /** {@code last terminating signal = Terminated: 15} (print-07), or "". */
    String lastSignal() {
        return info.lastSignal();
    }

    /** {@code last exit reason = OS_REASON_CODESIGNING} (print-03), or "". */
    String lastExitReason() {
        return info.lastExitReason();
    }

    /** How the last run ended, in launchd's words: exit code, signal and/or reason. */
    String lastEnd() {
        List<String> parts = new ArrayList<>();
        if (!info.lastExitCode().isEmpty()) {
            parts.add("last exit code = " + info.lastExitCode());
        }
        if (!lastSignal().isEmpty()) {
            parts.add("last terminating signal = " + lastSignal());
        }
        if (!lastExitReason().isEmpty()) {
            parts.add("last exit reason = " + lastExitReason());
        }
        return parts.isEmpty() ? "no exit recorded" : String.join(", ", parts);
    }

    /** Whether a run started after {@code runsBefore} has already ended (so an exit seen now is not an old one). */
    boolean newRunEnded(long runsBefore) {
        return info.loaded() && runs() > runsBefore && !info.running() && !transitional() && endRecorded();
    }

    /** An exit code, a terminating signal or an exit reason; not {@code (never exited)}. */
    boolean endRecorded() {
        return info.lastExitStatus().isPresent() || !lastSignal().isEmpty() || !lastExitReason().isEmpty();
    }

    /** KeepAlive respawning a daemon that keeps dying: {@code spawn scheduled} after more than one new run. */
    boolean crashLoop(long runsBefore) {
        return "spawn scheduled".equals(info.state()) && runs() > runsBefore
                && (runs() - runsBefore >= 2 || endRecorded());
    }

    String path() {
        return info.path();
    }

    Optional<String> field(String name) {
        String v = fields.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /**
     * Where the running definition differs from {@code desired}, as far as print shows it: the arguments (or the
     * program when there is no arguments block), every variable of the plist's EnvironmentVariables, and the log
     * paths and working directory when print shows them. Empty when nothing shown differs. Variables print shows
     * that the plist lacks are not a difference (launchd adds its own); the loaded copy catches removals.
     */
    Optional<String> differsFrom(NSDictionary desired) {
        List<String> args = LaunchdPlist.programArguments(desired);
        Optional<String> program = LaunchdPlist.string(desired, "Program");
        if (args.isEmpty() && program.isPresent()) {
            args = List.of(program.get()); // a job with Program only runs [Program] (launchd.plist(5))
        }
        if (!info.arguments().isEmpty() ? !info.arguments().equals(args)
                : !info.program().isEmpty() && !args.isEmpty() && !info.program().equals(args.get(0))) {
            return Optional.of("launchd runs " + (info.arguments().isEmpty() ? info.program() : info.arguments()));
        }
        if (program.isPresent() && !info.program().isEmpty() && !info.program().equals(program.get())) {
            return Optional.of("launchd runs the program " + info.program());
        }
        if (environmentShown) {
            for (Map.Entry<String, String> e : PlistDefinition.environment(desired).entrySet()) {
                if (!e.getValue().equals(environment.get(e.getKey()))) {
                    // the name only: environment values are secrets, never printed
                    return Optional.of(environment.containsKey(e.getKey()) ? "launchd runs it with another value of "
                            + e.getKey() : "launchd runs it without " + e.getKey());
                }
            }
        }
        for (String[] key : new String[][] {{"StandardOutPath", "stdout path"}, {"StandardErrorPath", "stderr path"},
                {"WorkingDirectory", "working directory"}}) {
            Optional<String> want = LaunchdPlist.string(desired, key[0]);
            Optional<String> shown = field(key[1]);
            if (want.isPresent() && shown.isPresent() && !want.get().equals(shown.get())) {
                return Optional.of("launchd runs it with " + key[1] + " " + shown.get());
            }
        }
        return Optional.empty();
    }

    /**
     * ExitTimeOut and ThrottleInterval as print shows them ({@code exit timeout}, {@code minimum runtime};
     * docs/facts/launchd-facts.md §3), for when heph has no copy of what it loaded (a job loaded by another tool, or heph's state
     * removed): a hand edit of those keys is then still seen. Only values launchd honours as given are compared
     * (ExitTimeOut above 0, ThrottleInterval of 10 s or more: launchd ignores 0 and, on some versions, less), so a
     * value launchd adjusts cannot cause a reload at every run.
     */
    Optional<String> numbersDifferFrom(NSDictionary desired) {
        String[][] keys = {{"ExitTimeOut", "exit timeout", "1"}, {"ThrottleInterval", "minimum runtime", "10"}};
        for (String[] key : keys) {
            if (desired.get(key[0]) instanceof com.dd.plist.NSNumber want && want.longValue() >= Long.parseLong(key[2])
                    && field(key[1]).isPresent() && !field(key[1]).get().equals(Long.toString(want.longValue()))) {
                return Optional.of("launchd runs it with " + key[1] + " " + field(key[1]).get() + ", the plist says "
                        + want.longValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The definition launchd runs, as far as print shows it, as a plist to bake from when the file is gone:
     * Label, ProgramArguments, the environment without launchd's own variables, log paths, working directory.
     */
    NSDictionary toPlist(String label) {
        NSDictionary d = new NSDictionary();
        d.put("Label", new NSString(label));
        d.put("RunAtLoad", new com.dd.plist.NSNumber(true)); // heph's job always has both
        d.put("KeepAlive", new com.dd.plist.NSNumber(true));
        List<String> args = !info.arguments().isEmpty() ? info.arguments()
                : info.program().isEmpty() ? List.of() : List.of(info.program());
        d.put("ProgramArguments", new NSArray(args.stream().map(NSString::new).toArray(NSObject[]::new)));
        NSDictionary env = new NSDictionary();
        environment.forEach((k, v) -> {
            if (!LAUNCHD_ADDED.contains(k)) {
                env.put(k, new NSString(v));
            }
        });
        if (!env.isEmpty()) {
            d.put("EnvironmentVariables", env);
        }
        field("stdout path").ifPresent(p -> d.put("StandardOutPath", new NSString(p)));
        field("stderr path").ifPresent(p -> d.put("StandardErrorPath", new NSString(p)));
        field("working directory").ifPresent(p -> d.put("WorkingDirectory", new NSString(p)));
        return d;
    }

    /**
     * The top-level {@code environment = {} block's {@code K => V} lines (not {@code default environment} nor
     * {@code inherited environment}), or empty when print shows no such block. Depth is tracked like PrintInfo
     * does, by openers and closers.
     */
    static Optional<Map<String, String>> environmentBlock(String stdout) {
        Map<String, String> env = new LinkedHashMap<>();
        boolean seen = false;
        if (stdout == null) {
            return Optional.empty();
        }
        List<String> lines = stdout.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        int top = !lines.isEmpty() && lines.get(0).endsWith("{") && lines.get(0).contains("/") ? 1 : 0;
        int depth = 0;
        boolean inEnv = false;
        boolean inArgs = false;
        for (String t : lines) {
            if (inArgs) {
                inArgs = !t.equals("}"); // arguments are verbatim: one may end with '{'
                continue;
            }
            if (depth == top && t.matches("arguments\\s*=\\s*\\{")) {
                inArgs = true;
            } else if (t.endsWith("{")) {
                depth++;
                inEnv = !seen && depth == top + 1 && t.matches("environment\\s*=\\s*\\{");
                seen |= inEnv;
            } else if (t.equals("}")) {
                depth = Math.max(0, depth - 1);
                inEnv = false;
            } else if (inEnv) {
                int arrow = t.indexOf("=>");
                if (arrow > 0) {
                    env.putIfAbsent(t.substring(0, arrow).strip(), t.substring(arrow + 2).strip());
                }
            }
        }
        return seen ? Optional.of(env) : Optional.empty();
    }
}
