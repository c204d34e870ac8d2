package heph.sim.launchd;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import com.dd.plist.XMLPropertyListParser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilder;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The imported copy of a LaunchAgent plist (docs/facts/launchd-facts.md §1 note: launchd keeps its own copy; editing the file
 * later changes nothing) with launchd.plist(5) defaults applied (§11). Pure: {@link #from} never touches the disk.
 *
 * @param exitTimeOutSec 0 means "never SIGKILL" (§9: "The value zero is interpreted as infinity")
 */
record ImportedPlist(Path path, String label, String program, List<String> arguments, boolean inferredProgram,
               Map<String, String> environment, boolean runAtLoad, KeepAlive keepAlive, String stdoutPath,
               String stderrPath, String workingDirectory, int exitTimeOutSec, int throttleIntervalSec,
               boolean abandonProcessGroup, String processType) {

    /** KeepAlive as the simulator honours it; a dict with keys other than SuccessfulExit counts as ALWAYS. */
    enum KeepAlive { NONE, ALWAYS, ON_SUCCESS, ON_FAILURE }

    /** Why a plist cannot be imported; launchctl shows it only as "5: Input/output error" (§1). */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    ImportedPlist {
        arguments = List.copyOf(arguments);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    /** §11 KeepAlive: "The use of this key implicitly implies RunAtLoad". */
    boolean startsAtLoad() {
        return runAtLoad || keepAlive != KeepAlive.NONE;
    }

    /** Whether a process that ended by itself is relaunched (§9 "KeepAlive job on kill"). */
    boolean respawns(boolean cleanExit) {
        return switch (keepAlive) {
            case NONE -> false;
            case ALWAYS -> true;
            case ON_SUCCESS -> cleanExit;
            case ON_FAILURE -> !cleanExit;
        };
    }

    /**
     * Parses a plist file in any format dd-plist reads. XML goes through a document builder whose error handler
     * stays silent, so a malformed plist does not print "[Fatal Error]" lines on the simulator's stderr.
     */
    static NSObject read(Path path) throws Invalid {
        try {
            byte[] bytes = Files.readAllBytes(path);
            String head = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8).stripLeading();
            if (!head.startsWith("<")) {
                return PropertyListParser.parse(bytes);
            }
            DocumentBuilder builder = XMLPropertyListParser.getDocBuilder();
            builder.setErrorHandler(new DefaultHandler());
            return XMLPropertyListParser.parse(builder.parse(new ByteArrayInputStream(bytes)));
        } catch (Exception e) {
            throw new Invalid(path + ": not a property list (" + e.getMessage() + ")");
        }
    }

    static ImportedPlist from(Path path, NSObject root, int defaultExitTimeOutSec, int defaultThrottleSec) throws Invalid {
        if (!(root instanceof NSDictionary d)) {
            throw new Invalid(path + ": the top level is not a dictionary");
        }
        String label = string(d, "Label");
        if (label == null || label.isEmpty()) {
            throw new Invalid(path + ": no Label");
        }
        if (label.startsWith("com.apple.launchd") || label.startsWith("com.apple.launchctl")) {
            throw new Invalid(path + ": reserved Label prefix");
        }
        List<String> args = strings(d.objectForKey("ProgramArguments"));
        String program = string(d, "Program");
        if (program == null && args.isEmpty()) {
            throw new Invalid(path + ": neither Program nor ProgramArguments");
        }
        if (args.isEmpty()) {
            args = List.of(program);
        }
        int exitTimeOut = integer(d, "ExitTimeOut", defaultExitTimeOutSec);
        int throttle = integer(d, "ThrottleInterval", defaultThrottleSec);
        return new ImportedPlist(path, label, program == null ? args.get(0) : program, args, program == null,
                environment(d.objectForKey("EnvironmentVariables")), bool(d, "RunAtLoad"),
                keepAlive(d.objectForKey("KeepAlive")), string(d, "StandardOutPath"), string(d, "StandardErrorPath"),
                string(d, "WorkingDirectory"), Math.max(0, exitTimeOut),
                throttle <= 0 ? defaultThrottleSec : throttle, // §9: zero is ignored
                bool(d, "AbandonProcessGroup"), string(d, "ProcessType"));
    }

    private static String string(NSDictionary d, String key) {
        return d.objectForKey(key) instanceof NSString s ? s.getContent() : null;
    }

    private static boolean bool(NSDictionary d, String key) {
        return d.objectForKey(key) instanceof NSNumber n && n.type() == NSNumber.BOOLEAN && n.boolValue();
    }

    private static int integer(NSDictionary d, String key, int fallback) {
        return d.objectForKey(key) instanceof NSNumber n && n.type() == NSNumber.INTEGER ? n.intValue() : fallback;
    }

    private static List<String> strings(NSObject o) throws Invalid {
        List<String> out = new ArrayList<>();
        if (o instanceof NSArray a) {
            for (NSObject item : a.getArray()) {
                if (!(item instanceof NSString s)) {
                    throw new Invalid("ProgramArguments holds a non-string");
                }
                out.add(s.getContent());
            }
        }
        return out;
    }

    /** §11 EnvironmentVariables: "Values other than strings will be ignored." */
    private static Map<String, String> environment(NSObject o) {
        Map<String, String> env = new LinkedHashMap<>();
        if (o instanceof NSDictionary d) {
            for (Map.Entry<String, NSObject> e : d.entrySet()) {
                if (e.getValue() instanceof NSString s) {
                    env.put(e.getKey(), s.getContent());
                }
            }
        }
        return env;
    }

    private static KeepAlive keepAlive(NSObject o) {
        if (o instanceof NSNumber n && n.type() == NSNumber.BOOLEAN) {
            return n.boolValue() ? KeepAlive.ALWAYS : KeepAlive.NONE;
        }
        if (o instanceof NSDictionary d) {
            if (d.objectForKey("SuccessfulExit") instanceof NSNumber s && s.type() == NSNumber.BOOLEAN) {
                return s.boolValue() ? KeepAlive.ON_SUCCESS : KeepAlive.ON_FAILURE;
            }
            return KeepAlive.ALWAYS;
        }
        return KeepAlive.NONE;
    }
}
