package heph.logs;

import com.dd.plist.NSDictionary;
import heph.ExitCode;
import heph.HephException;
import heph.doctor.Subject;
import heph.fs.BoundedRead;
import heph.launchd.plist.LaunchdPlist;
import heph.proc.ExecResult;
import heph.proc.ProcessRunner;
import heph.service.Settings;
import heph.systemd.UnitFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code heph logs [-f] [-n N]}: where the agent's output goes and its last lines. launchd: the installed plist's
 * StandardOutPath and StandardErrorPath. systemd: the unit's {@code StandardOutput=}/{@code StandardError=} files
 * ({@code append:}, {@code file:}, {@code truncate:}) when set, else the journal through
 * {@code journalctl --user-unit <unit>} ({@code -u} looks in the system journal's units and misses user units).
 * Lines go to stdout, each marked; notes (nothing to show, and why) to stderr.
 */
public final class AgentLogs {
    public static final int DEFAULT_LINES = 20;

    private AgentLogs() {
    }

    /** Where the logs are: files, or the journal; {@code why} says why there is nothing when both are empty. */
    public record Sources(List<LogFile> files, boolean journal, String why) {
    }

    /** {@code out | line}. */
    public static String mark(String mark, String line) {
        return mark + " | " + line;
    }

    public static Sources launchd(Subject subj) {
        Path plist = subj.plist();
        if (!Files.exists(plist)) {
            return new Sources(List.of(), false, subj.hephd() ? "not installed: no " + plist + " (run `heph start`)"
                    : "no such agent: no " + plist + " (`heph list` shows the installed agents; `heph start --plist"
                    + " FILE` installs one)");
        }
        NSDictionary d;
        try {
            d = LaunchdPlist.read(plist);
        } catch (HephException e) {
            return new Sources(List.of(), false, e.getMessage());
        }
        Optional<String> out = LaunchdPlist.string(d, "StandardOutPath").filter(v -> !v.isBlank());
        Optional<String> err = LaunchdPlist.string(d, "StandardErrorPath").filter(v -> !v.isBlank());
        List<LogFile> files = pair(out.map(AgentLogs::absolute), err.map(AgentLogs::absolute));
        String why = files.isEmpty() ? plist + " sets no StandardOutPath or StandardErrorPath: launchd discards "
                + subj.who() + "'s output " + (subj.hephd() ? "(`heph start` sets both)" : "(add StandardOutPath and"
                + " StandardErrorPath to its plist, then `heph restart --plist FILE`)") : "";
        return new Sources(files, false, why);
    }

    public static Sources systemd(Subject subj) {
        Path unit = subj.unitFile();
        if (!Files.exists(unit)) {
            return new Sources(List.of(), true, "");
        }
        UnitFile.Parsed parsed;
        try {
            parsed = UnitFile.parse(new String(BoundedRead.definition(unit), StandardCharsets.UTF_8),
                    unit.toString());
        } catch (IOException | HephException e) {
            return new Sources(List.of(), true, "");
        }
        Optional<Path> out = parsed.value("Service", "StandardOutput").flatMap(AgentLogs::fileOf);
        Optional<String> errSetting = parsed.value("Service", "StandardError");
        // StandardError= defaults to inherit: stderr goes where stdout goes (systemd.exec(5))
        Optional<Path> err = errSetting.isEmpty() || errSetting.get().equals("inherit") ? out
                : errSetting.flatMap(AgentLogs::fileOf);
        List<LogFile> files = pair(out, err);
        boolean journal = out.isEmpty() || err.isEmpty();
        return new Sources(files, journal, "");
    }

    /** {@code append:/p}, {@code file:/p}, {@code truncate:/p} → /p (systemd.exec(5)); anything else: not a file. */
    static Optional<Path> fileOf(String setting) {
        for (String prefix : List.of("append:", "file:", "truncate:")) {
            if (setting.startsWith(prefix) && Path.of(setting.substring(prefix.length())).isAbsolute()) {
                return Optional.of(Path.of(setting.substring(prefix.length())).normalize());
            }
        }
        return Optional.empty();
    }

    private static Path absolute(String value) {
        return Path.of("/").resolve(value).normalize(); // launchd opens a relative path against "/"
    }

    private static List<LogFile> pair(Optional<Path> out, Optional<Path> err) {
        List<LogFile> files = new ArrayList<>();
        if (out.isPresent() && err.isPresent() && out.get().equals(err.get())) {
            files.add(new LogFile("o+e", out.get()));
            return files;
        }
        out.ifPresent(p -> files.add(new LogFile("out", p)));
        err.ifPresent(p -> files.add(new LogFile("err", p)));
        return files;
    }

    /**
     * Prints the last {@code n} lines of each source, then, with {@code follow}, what is appended until the JVM is
     * stopped (Ctrl-C). Exit 0 when the sources are known (also when they are still empty: a note says so), 1 when
     * the agent is not installed or its definition cannot be read.
     */
    public static int show(Settings s, Subject subj, int n, boolean follow, ProcessRunner runner, PrintWriter out,
                           PrintWriter err) throws InterruptedException {
        Sources src = s.backend().equals("systemd") ? systemd(subj) : launchd(subj);
        if (src.files().isEmpty() && !src.journal()) {
            err.println("heph: nothing to show: " + src.why());
            return ExitCode.FAILED.code;
        }
        Map<Path, Long> shown = new HashMap<>();
        for (LogFile f : src.files()) {
            if (!Files.exists(f.path())) {
                err.println("heph: " + f.mark() + ": " + f.path() + " does not exist yet (" + subj.who()
                        + " has not written to it" + (follow ? "; waiting for it" : "") + ")");
                shown.put(f.path(), 0L);
                continue;
            }
            try {
                Tail.Lines t = Tail.last(f.path(), n);
                if (t.size() == 0) { // -n 0 shows no line of a file that has some: not "empty"
                    err.println("heph: " + f.mark() + ": " + f.path() + " is empty");
                }
                t.lines().forEach(line -> out.println(mark(f.mark(), line)));
                shown.put(f.path(), t.size());
            } catch (IOException e) {
                err.println("heph: cannot read " + f.path() + ": " + e.getMessage());
                return ExitCode.FAILED.code;
            }
        }
        out.flush();
        err.flush();
        if (src.journal()) {
            int code = journal(s, subj, n, follow && src.files().isEmpty(), runner, out, err);
            if (src.files().isEmpty() || code != 0 && !follow) {
                return src.files().isEmpty() ? code : ExitCode.OK.code;
            }
        }
        if (follow) {
            Follower f = new Follower(src.files(), shown, line -> {
                out.println(line);
                out.flush();
            }, note -> {
                err.println("heph: " + note);
                err.flush();
            });
            f.run(() -> Thread.currentThread().isInterrupted());
        }
        return ExitCode.OK.code;
    }

    /** {@code journalctl --user-unit <unit> -n N --no-pager} (bounded), or with -f streamed until Ctrl-C. */
    static int journal(Settings s, Subject subj, int n, boolean follow, ProcessRunner runner, PrintWriter out,
                       PrintWriter err) {
        String journalctl = s.env().getOrDefault("HEPH_JOURNALCTL", "journalctl");
        List<String> argv = new ArrayList<>(List.of(journalctl, "--user-unit", subj.unit(), "-n",
                Integer.toString(n), "--no-pager"));
        if (follow) {
            argv.add("-f");
            return stream(argv, out, err);
        }
        ExecResult r;
        try {
            r = runner.run(argv, s.commandTimeout());
        } catch (HephException e) {
            err.println("heph: nothing to show: no journald here (" + e.getMessage() + "); " + subj.who() + "'s output"
                    + " goes to the journal unless the unit sets StandardOutput=append:/path");
            return ExitCode.FAILED.code;
        }
        if (!r.ok()) {
            err.println("heph: " + String.join(" ", argv) + " failed: exit " + r.exitCode() + ": "
                    + (r.firstErrorLine().isEmpty() ? "(no output)" : r.firstErrorLine()));
            return ExitCode.FAILED.code;
        }
        List<String> lines = r.stdout().lines().filter(l -> !l.startsWith("-- No entries --")).toList();
        if (lines.isEmpty()) {
            err.println("heph: the journal has no lines for " + subj.unit() + " (not started yet, or the journal"
                    + " is not persistent for user units)");
        }
        lines.forEach(out::println);
        out.flush();
        return ExitCode.OK.code;
    }

    private static int stream(List<String> argv, PrintWriter out, PrintWriter err) {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            err.println("heph: nothing to follow: no journald here (cannot run " + argv.get(0) + ": "
                    + e.getMessage() + ")");
            return ExitCode.FAILED.code;
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.println(line);
                out.flush();
            }
            return p.waitFor() == 0 ? ExitCode.OK.code : ExitCode.FAILED.code;
        } catch (IOException e) {
            return ExitCode.FAILED.code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.OK.code;
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }
}
