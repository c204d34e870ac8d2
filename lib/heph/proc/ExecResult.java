package heph.proc;

import java.util.List;

/** What one external command did: its argv, exit code, stdout and stderr (kept apart), and how long it took. */
public record ExecResult(List<String> argv, int exitCode, String stdout, String stderr, long millis) {
    public ExecResult {
        argv = List.copyOf(argv);
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** The command as a user would type it, for messages. */
    public String commandLine() {
        return String.join(" ", argv);
    }

    /** stderr, else stdout, trimmed to its first line: the part of the output a one-line error quotes. */
    public String firstErrorLine() {
        String text = stderr.isBlank() ? stdout : stderr;
        return text.strip().lines().findFirst().orElse("");
    }
}
