package heph.service;

import heph.HephException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The program a definition runs must exist and be executable, checked before anything is written, bootstrapped or
 * daemon-reloaded (and in a dry run, which shares the decision): otherwise launchd loads the job and it fails every
 * spawn (a crash loop behind "RunAtLoad did not fire"), and systemd fails it with 203/EXEC. The program is resolved
 * as the service manager does: launchd's {@code Program} (absolute), else {@code ProgramArguments[0]} as
 * execvp(3) takes it (a name without '/' searched on the job's PATH); systemd's ExecStart program after its prefixes
 * ({@code @-:+!}) and with {@code %h}/{@code %%} expanded (other specifiers: not checked), a bare name searched on
 * systemd's fixed PATH. One failure line names the program and where it came from.
 */
public final class ProgramCheck {
    /** The PATH launchd gives an agent without EnvironmentVariables PATH (_PATH_STDPATH). */
    public static final String LAUNCHD_PATH = "/usr/bin:/bin:/usr/sbin:/sbin";
    /** Where systemd looks up an ExecStart program given without a '/' (systemd.service(5), "Command lines"). */
    public static final String SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin";

    private ProgramCheck() {
    }

    /**
     * launchd: {@code program} is the plist's Program (null when absent), {@code argv0} ProgramArguments[0] (null
     * when absent), {@code env} its EnvironmentVariables, {@code workingDirectory} its WorkingDirectory (or null).
     */
    public static void launchd(String who, String program, String argv0, Map<String, String> env,
                               String workingDirectory, String source) {
        if (program != null && !program.isEmpty()) {
            require(who, program, resolve(program, LAUNCHD_PATH, workingDirectory), "Program in " + source,
                    "launchd could not start it");
            return;
        }
        if (argv0 == null || argv0.isEmpty()) {
            return; // the plist parser refuses a definition without a program
        }
        String path = env != null && env.get("PATH") != null ? env.get("PATH") : LAUNCHD_PATH;
        require(who, argv0, resolve(argv0, path, workingDirectory), "ProgramArguments[0] in " + source,
                "launchd could not start it");
    }

    /** systemd: the first word of ExecStart= as written (prefixes included), {@code home} for %h. */
    public static void systemd(String who, String firstWord, String home, String source) {
        if (firstWord == null) {
            return;
        }
        String word = firstWord.replaceFirst("^[@\\-:+!]+", "");
        if (word.isEmpty()) {
            return;
        }
        if (word.contains("%")) {
            String expanded = word.replace("%%", "\0").replace("%h", home);
            if (expanded.contains("%")) {
                return; // a specifier heph does not resolve: systemd's to judge
            }
            word = expanded.replace("\0", "%");
        }
        if (!word.contains("/")) {
            require(who, word, resolve(word, SYSTEMD_PATH, null), "ExecStart in " + source,
                    "systemd would fail it with 203/EXEC");
            return;
        }
        if (!word.startsWith("/")) {
            return; // systemd refuses a relative path when it loads the unit, naming it
        }
        require(who, word, resolve(word, SYSTEMD_PATH, null), "ExecStart in " + source,
                "systemd would fail it with 203/EXEC");
    }

    /** The file a program name stands for: absolute as is, relative to the working directory, else searched. */
    static Path resolve(String program, String searchPath, String workingDirectory) {
        try {
            if (program.startsWith("/")) {
                return Path.of(program);
            }
            if (program.contains("/")) {
                return Path.of(workingDirectory == null || workingDirectory.isEmpty() ? "/" : workingDirectory)
                        .resolve(program);
            }
            for (String dir : searchPath.split(":")) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir).resolve(program);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
            return null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static void require(String who, String program, Path file, String from, String consequence) {
        String shown = program.length() > 200 ? program.substring(0, 200) + "…" : program;
        if (file == null) {
            if (!program.contains("/")) {
                throw HephException.refused(who + "'s program " + shown + " (" + from + ") is not found on its PATH;"
                        + " " + consequence + ". Give its absolute path, or install it; nothing was changed");
            }
            throw HephException.refused(who + "'s program " + shown + " (" + from + ") is not a valid path; "
                    + consequence + "; nothing was changed");
        }
        // stat only: never opened (a FIFO there would block)
        if (!Files.exists(file)) {
            throw HephException.refused(who + "'s program " + file + " (" + from + ") does not exist; " + consequence
                    + ". Install it or fix the path; nothing was changed");
        }
        if (!Files.isRegularFile(file)) {
            throw HephException.refused(who + "'s program " + file + " (" + from + ") is not a file; " + consequence
                    + "; nothing was changed");
        }
        if (!Files.isExecutable(file)) {
            throw HephException.refused(who + "'s program " + file + " (" + from + ") is not executable; "
                    + consequence + ". `chmod +x " + file + "`; nothing was changed");
        }
    }
}
