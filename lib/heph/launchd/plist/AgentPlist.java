package heph.launchd.plist;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import heph.HephException;
import heph.config.FlagValidation;
import heph.fs.BoundedRead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * Any LaunchAgent's plist, used as given: heph never rewrites it, it only installs its bytes as
 * {@code ~/Library/LaunchAgents/<Label>.plist} and compares it as a parsed dictionary. Validated before anything
 * happens (each rule a one-line usage error naming the file): it parses as a dictionary; its {@code Label} is one
 * launchd accepts; it has {@code Program} or a non-empty {@code ProgramArguments} of strings, and the program
 * ({@code Program}, else {@code ProgramArguments[0]}) is an absolute path.
 *
 * @param label  the plist's Label
 * @param dict   the parsed plist
 * @param bytes  the file's bytes, exactly as read
 * @param source the file it was read from
 */
public record AgentPlist(String label, NSDictionary dict, byte[] bytes, Path source) {
    /** Reads and validates {@code file}; {@link HephException#usage} (exit 2) naming it on any problem. */
    public static AgentPlist read(Path file) {
        byte[] bytes;
        try {
            bytes = BoundedRead.definition(file);
        } catch (NoSuchFileException e) {
            throw HephException.usage(file + ": no such file; expected a launchd plist");
        } catch (BoundedRead.Refused e) {
            throw HephException.usage(file + ": " + e.getMessage() + "; expected a launchd plist");
        } catch (IOException e) {
            throw HephException.usage(file + ": cannot read (" + e.getMessage() + "); expected a launchd plist");
        }
        return parse(bytes, file);
    }

    /** Validates {@code bytes} as the plist of {@code file} (pure). */
    public static AgentPlist parse(byte[] bytes, Path file) {
        NSDictionary dict;
        try {
            dict = LaunchdPlist.parse(bytes, file.toString());
        } catch (PlistParseException e) {
            throw HephException.usage(e.getMessage());
        }
        String label = LaunchdPlist.label(dict).orElseThrow(() -> HephException.usage(file
                + ": has no Label string; expected a launchd job with a Label like org.example.agent"));
        try {
            FlagValidation.label("Label", label);
        } catch (HephException e) {
            throw HephException.usage(file + ": " + e.getMessage());
        }
        String program = program(dict, file);
        if (!Path.of(program).isAbsolute()) {
            throw HephException.usage(file + ": the program '" + program + "' is not an absolute path; expected"
                    + " Program or ProgramArguments[0] to start with /");
        }
        return new AgentPlist(label, dict, bytes.clone(), file);
    }

    /** {@code Program}, else {@code ProgramArguments[0]}; checks both keys' types. */
    private static String program(NSDictionary dict, Path file) {
        NSObject program = dict.get("Program");
        NSObject args = dict.get("ProgramArguments");
        if (program != null && !(program instanceof NSString)) {
            throw HephException.usage(file + ": Program is not a string; expected the absolute path of the program");
        }
        if (args != null) {
            if (!(args instanceof NSArray array)
                    || !java.util.Arrays.stream(array.getArray()).allMatch(o -> o instanceof NSString)) {
                throw HephException.usage(file + ": ProgramArguments is not an array of strings; expected"
                        + " [program, arguments...]");
            }
        }
        if (program instanceof NSString p && !p.getContent().isBlank()) {
            return p.getContent();
        }
        List<String> argv = LaunchdPlist.programArguments(dict);
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw HephException.usage(file + ": has neither Program nor a non-empty ProgramArguments; expected the"
                    + " program to run");
        }
        return argv.get(0);
    }

    /**
     * The installed file must not be group- or world-writable: launchd refuses such a plist (122, docs/facts/launchd-facts.md §11).
     * heph installs given files 0644, but an agent managed by its installed file ({@code --label}) is used as is.
     */
    public static void requireNotWritableByOthers(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw HephException.usage(file + ": is group- or world-writable, which launchd refuses (122);"
                        + " expected mode 0644 (chmod 644 " + file + ")");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw HephException.usage(file + ": cannot read its mode (" + e.getMessage() + ")");
        }
    }

    /**
     * What launchd should be seen doing once the job is loaded: {@link Expect#KEEPS_RUNNING} for
     * {@code KeepAlive = true} (hephd's case), {@link Expect#RUNS_AT_LOAD} for {@code RunAtLoad = true} or a
     * KeepAlive dictionary (launchd.plist(5): KeepAlive implies RunAtLoad), else {@link Expect#ON_DEMAND} (a job
     * started by a schedule, a path or a socket: loaded is all heph can check).
     */
    public static Expect expect(NSDictionary dict) {
        NSObject keepAlive = dict == null ? null : dict.get("KeepAlive");
        if (keepAlive instanceof NSNumber n && n.isBoolean() && n.boolValue()) {
            return Expect.KEEPS_RUNNING;
        }
        NSObject runAtLoad = dict == null ? null : dict.get("RunAtLoad");
        if (keepAlive instanceof NSDictionary
                || (runAtLoad instanceof NSNumber r && r.isBoolean() && r.boolValue())) {
            return Expect.RUNS_AT_LOAD;
        }
        return Expect.ON_DEMAND;
    }

    /** See {@link #expect}. */
    public enum Expect { KEEPS_RUNNING, RUNS_AT_LOAD, ON_DEMAND }
}
