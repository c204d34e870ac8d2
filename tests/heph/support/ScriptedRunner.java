package heph.support;

import heph.proc.CommandTimeoutException;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted fake launchctl/systemctl behind the {@link ProcessRunner} seam: for each verb (the first argument
 * after the executable, skipping "--user") a queue of replies; the last reply of a queue repeats. Every argv is
 * recorded so tests can assert exact call sequences.
 */
public final class ScriptedRunner implements ProcessRunner {
    public record Reply(int exit, String stdout, String stderr, boolean hang) {
    }

    private final Map<String, Deque<Reply>> script = new HashMap<>();
    private final List<List<String>> calls = new ArrayList<>();

    public static Reply ok() {
        return new Reply(0, "", "", false);
    }

    public static Reply out(String stdout) {
        return new Reply(0, stdout, "", false);
    }

    public static Reply fail(int code, String stderr) {
        return new Reply(code, "", stderr, false);
    }

    public static Reply hang() {
        return new Reply(0, "", "", true);
    }

    public ScriptedRunner on(String verb, Reply... replies) {
        script.computeIfAbsent(verb, k -> new ArrayDeque<>()).addAll(List.of(replies));
        return this;
    }

    @Override
    public synchronized ExecResult run(List<String> argv, Duration timeout) {
        calls.add(List.copyOf(argv));
        String verb = verb(argv);
        Deque<Reply> q = script.get(verb);
        if ((q == null || q.isEmpty()) && verb.equals("print-disabled")) {
            // read-only; start/restart of a loaded job asks it: unscripted, launchd has no overrides
            return new ExecResult(argv, 0, "disabled services = {\n}\n", "", 1);
        }
        if (q == null || q.isEmpty()) {
            throw new AssertionError("unscripted call: " + String.join(" ", argv));
        }
        Reply r = q.size() > 1 ? q.poll() : q.peek();
        if (r.hang()) {
            throw new CommandTimeoutException(argv, timeout);
        }
        return new ExecResult(argv, r.exit(), r.stdout(), r.stderr(), 1);
    }

    static String verb(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            if (!argv.get(i).equals("--user")) {
                return argv.get(i);
            }
        }
        return "";
    }

    public synchronized List<List<String>> calls() {
        return List.copyOf(calls);
    }

    /** The verbs called, in order ("print", "bootout", ...). */
    public synchronized List<String> verbs() {
        return calls.stream().map(ScriptedRunner::verb).toList();
    }

    public synchronized long count(String verb) {
        return verbs().stream().filter(verb::equals).count();
    }
}
