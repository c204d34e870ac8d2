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
 * <p>
 * The tests work in gui/&lt;uid&gt;; heph also asks the other per-user domain about the label before a mutating
 * verb and in status ({@code print user/<uid>/<label>}). Unless a test scripts {@code on("print user/", ...)}, that
 * print answers 113 (not loaded there) and is kept apart ({@link #elsewhere()}), so the call sequences stay gui's.
 */
public final class ScriptedRunner implements ProcessRunner {
    public record Reply(int exit, String stdout, String stderr, boolean hang) {
    }

    private final Map<String, Deque<Reply>> script = new HashMap<>();
    private final List<List<String>> calls = new ArrayList<>();
    private final List<List<String>> elsewhere = new ArrayList<>();

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
        String verb = verb(argv);
        if (verb.equals("print") && argv.size() > 2 && argv.get(argv.size() - 1).startsWith("user/")) {
            elsewhere.add(List.copyOf(argv));
            if (!script.containsKey("print user/")) {
                String target = argv.get(argv.size() - 1);
                return new ExecResult(argv, 113, "", "Could not find service \"" + target.substring(
                        target.lastIndexOf('/') + 1) + "\" in domain for user: " + target.split("/")[1] + "\n", 1);
            }
            verb = "print user/";
        } else {
            calls.add(List.copyOf(argv));
        }
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

    /** The prints of user/&lt;uid&gt;/... (the other per-user domain), in order. */
    public synchronized List<List<String>> elsewhere() {
        return List.copyOf(elsewhere);
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
