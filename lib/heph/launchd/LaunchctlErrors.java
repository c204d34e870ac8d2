package heph.launchd;

import heph.HephException;
import heph.proc.ExecResult;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * launchctl's error numbers (its exit status equals the number in its message, docs/facts/launchd-facts.md "General rules") as
 * text, and as one-line advice for a heph user.
 */
public final class LaunchctlErrors {
    private LaunchctlErrors() {
    }

    // docs/facts/launchd-facts.md §8: `launchctl error <code>` texts, enumerated on macOS 26.5.1; 2 and 64 from §1/General rules.
    // 1 and 150: real-launchctl err-48 (kickstart), err-41 (bootout).
    private static final Map<Integer, String> MEANINGS = Map.ofEntries(
            Map.entry(1, "Operation not permitted"),
            Map.entry(2, "No such file or directory"),
            Map.entry(3, "No such process"),
            Map.entry(5, "Input/output error"),
            Map.entry(17, "File exists"),
            Map.entry(36, "Operation now in progress"),
            Map.entry(37, "Operation already in progress"),
            Map.entry(64, "Usage error"),
            Map.entry(108, "Invalid path"),
            Map.entry(110, "Invalid or missing service identifier"),
            Map.entry(112, "Could not find specified domain"),
            Map.entry(113, "Could not find specified service"),
            Map.entry(119, "Service is disabled"),
            Map.entry(122, "Path had bad ownership/permissions"),
            Map.entry(124, "Domain is tearing down"),
            Map.entry(125, "Domain does not support specified action"),
            Map.entry(133, "Multiple errors were returned"),
            Map.entry(134, "Service cannot load in requested session"),
            Map.entry(150, "Operation not permitted while System Integrity Protection is engaged"),
            Map.entry(155, "Refusing to execute/trust quarantined program"),
            Map.entry(159, "Sandbox restriction"),
            Map.entry(161, "Service cannot be launched because of BTM policy"));

    private static final String VERBOSE = "retry with --verbose for launchctl's own words";
    /** docs/facts/launchd-facts.md §13: user/&lt;uid&gt; exists over ssh, bootstrap into it succeeds; it is not restored at login. */
    public static final String USER_DOMAIN_HINT = "; or use `heph --domain user <verb>`: user/$(id -u) works over ssh"
            + " without a GUI login, but launchd does not restore it at the next login";

    /** The text `launchctl error <code>` prints, or "launchctl error N" for a number heph does not know. */
    public static String meaning(int code) {
        return MEANINGS.getOrDefault(code, "launchctl error " + code);
    }

    /**
     * One line for the user: {@code launchctl <verb> failed: <code>: <meaning>: <what it means here>; <next step>}
     * ({@code launchctl <verb> failed: launchctl error <code>: ...} for a number heph does not know).
     * {@code verb} is the launchctl subcommand (bootstrap, bootout, kickstart, print, enable, ...).
     */
    public static String explain(String verb, int code, String label) {
        return explain(verb, code, "", label);
    }

    /**
     * {@link #explain(String, int, String)} refined by launchctl's stderr: the line that names the cause, when
     * launchctl printed one beyond its {@code Bootstrap failed: N: <meaning>} line and the {@code Try re-running ...}
     * hint (e.g. {@code Service cannot load in requested session}, {@code <plist>: service already loaded},
     * {@code <plist>: No such file or directory}, {@code Unrecognized target specifier.}), is quoted after the
     * meaning, and the advice follows it (real transcripts: tests/fixtures/real-launchctl, docs/facts/launchd-facts.md §1-§5, §13).
     */
    public static String explain(String verb, int code, String stderr, String label) {
        String v = verb == null || verb.isBlank() ? "launchctl" : "launchctl " + verb.strip();
        String l = label == null || label.isBlank() ? "the service" : label.strip();
        String said = MEANINGS.containsKey(code) ? "" : saidMeaning(code, stderr);
        String what = MEANINGS.containsKey(code) ? code + ": " + meaning(code)
                : said.isEmpty() ? meaning(code) : code + ": " + said;
        String cause = causeLine(code, stderr);
        String quoted = cause.isEmpty() ? "" : " (\"" + cause + "\")";
        return v + " failed: " + what + quoted + ": " + advice(v, code, cause, l);
    }

    /**
     * The failure of one launchctl call as heph reports it: {@link #explain}'s line, plus {@code suffix}, with the
     * command and launchctl's own stderr kept as the --verbose detail.
     */
    public static HephException failure(String verb, ExecResult r, String label, String suffix) {
        return HephException.failed(explain(verb, r.exitCode(), r.stderr(), label) + suffix,
                r.commandLine() + "\n" + r.stderr());
    }

    private static final Pattern FAILED_LINE = Pattern.compile("^(?:[A-Z][\\w-]*(?: [\\w-]+)? failed"
            + "|Could not \\w+ service.*?): -?\\d+: .*$"); // `Bootstrap failed: 5: ...`, `Boot-out failed: 3: ...`
    /** The code and meaning in launchctl's failure line; kickstart and enable have their own prefixes (err-48/49). */
    private static final Pattern FAILED_CODE = Pattern.compile("^(?:[A-Z][\\w-]*(?: [\\w-]+)? failed"
            + "|Could not \\w+ service(?: \"[^\"]*\")?): (-?\\d+): (.+)$");
    /** launchctl's first usage line when the domain of a target does not exist (no GUI login: err-51). */
    public static final String UNRECOGNIZED_DOMAIN = "Unrecognized domain-target specifier.";

    /**
     * launchctl answered 64 with {@code Unrecognized domain-target specifier.}: the domain named does not exist
     * (real-launchctl err-51: {@code enable gui/502/...} for a user with no GUI login). Not a heph syntax error.
     */
    public static boolean unrecognizedDomain(int code, String stderr) {
        return code == 64 && stderr != null && stderr.contains(UNRECOGNIZED_DOMAIN);
    }

    /** The meaning launchctl printed after {@code <code>: } in its failure line, for a code heph does not know. */
    private static String saidMeaning(int code, String stderr) {
        for (String raw : (stderr == null ? "" : stderr).lines().toList()) {
            java.util.regex.Matcher m = FAILED_CODE.matcher(raw.strip());
            if (m.matches() && m.group(1).equals(String.valueOf(code))) {
                String t = m.group(2).strip().replaceAll("\\p{Cntrl}", "?");
                return t.length() > MAX_CAUSE ? t.substring(0, MAX_CAUSE) + "..." : t;
            }
        }
        return "";
    }
    private static final int MAX_CAUSE = 200;

    /**
     * The stderr line that says more than the code: not launchctl's {@code <Verb> failed: N: <meaning>} line, not its
     * {@code Try re-running the command as root for richer errors.} hint, not {@code Bad request.}, not usage text,
     * not the {@code Could not find service/domain} texts of 113/112 and not the bare meaning; "" when none is left.
     */
    static String causeLine(int code, String stderr) {
        if (stderr == null) {
            return "";
        }
        for (String raw : stderr.lines().toList()) {
            String t = raw.strip().replaceAll("\\p{Cntrl}", "?");
            if (t.isEmpty() || FAILED_LINE.matcher(t).matches() || t.contains("for richer errors")
                    || t.equals("Bad request.") || t.startsWith("Usage:") || t.contains("takes a form of")
                    || t.startsWith("Please refer to `man launchctl`")
                    || t.startsWith("Could not find service") || t.startsWith("Could not find domain")
                    || t.equalsIgnoreCase(meaning(code)) || t.equalsIgnoreCase(meaning(code) + ".")) {
                continue;
            }
            return t.length() > MAX_CAUSE ? t.substring(0, MAX_CAUSE) + "..." : t;
        }
        return "";
    }

    private static String advice(String verb, int code, String cause, String label) {
        boolean bootstrap = verb.endsWith("bootstrap");
        boolean bootout = verb.endsWith("bootout");
        String c = cause.toLowerCase(Locale.ROOT);
        if (code == 150 || c.contains("system integrity protection")) {
            return label + " is protected by System Integrity Protection (an Apple system service): launchd will"
                    + " not " + (bootout ? "unload" : "change") + " it, and heph manages only your own agents;"
                    + " check the label";
        }
        return switch (code) {
            case 1 -> verb.endsWith("kickstart")
                    ? "launchd did not permit restarting " + label + " (macOS 14.4 and later refuse `kickstart -k` of"
                    + " critical system services, and nobody may kick another user's job): check the label, and run"
                    + " heph as the user who owns the agent"
                    : "launchd did not permit this for " + label + ": run heph as the user who owns the agent, not"
                    + " under sudo";
            case 2 -> "the plist of " + label + " is missing: run `heph start` to write it again";
            case 3, 113 -> bootout
                    ? label + " is not loaded, so there was nothing to stop; run `heph status` to see its state"
                    : label + " is not loaded: run `heph start`";
            case 5 -> bootstrap
                    ? "launchd refused the plist: the label may still be registered (bootout still draining), or the"
                    + " plist is missing, unreadable, group/world-writable, disabled or on an external volume, or its"
                    + " program does not exist; run `heph status`, and " + VERBOSE
                    : "launchd gave no reason (it collapses many errors to 5); " + label + " may not be loaded or"
                    + " its plist may be missing: run `heph status`, and " + VERBOSE;
            case 17, 37 -> c.contains("already loaded") || c.contains("already bootstrapped")
                    ? label + " is already loaded (an earlier load is still registered): run `heph status`;"
                    + " `heph restart` replaces it"
                    : label + " is already loaded or a load/unload of it is still in progress: retry in a few"
                    + " seconds, and run `heph status` if it persists";
            case 36 -> label + " is still being unloaded (bootout in progress; older macOS answer 36 where newer ones"
                    + " return 0): wait until `heph status` says it is not loaded, then retry";
            case 64 -> c.contains("unrecognized domain-target specifier")
                    ? "launchctl does not know the domain gui/$(id -u): it does not exist because this user has no"
                    + " GUI login session (over ssh, or a background account); log in at the Mac's console, then retry" + USER_DOMAIN_HINT
                    : c.contains("unrecognized target specifier")
                    ? "this launchctl does not accept the target or option heph passed (older macOS answer 64 and"
                    + " the usage text to syntax they lack, e.g. `bootout --wait` before macOS 26), which is a heph"
                    + " bug: " + VERBOSE + " and report it with the output of `sw_vers`"
                    : "launchctl rejected heph's arguments, which is a heph bug: " + VERBOSE + " and report it";
            case 133 -> c.contains("invalid property list")
                    ? "the plist of " + label + " is not a valid property list (launchd answers 133 at once; heph"
                    + " does not retry it): check it with `plutil -lint`, then run `heph start` to write it again"
                    : "launchd could not use the plist of " + label + " (invalid path or property list):"
                    + " check it with `plutil -lint`, then run `heph start` to write it again";
            case 108 -> "launchd could not use the plist of " + label + " (invalid path or property list):"
                    + " check it with `plutil -lint`, then run `heph start` to write it again";
            case 110 -> "launchd rejected the label \"" + label + "\": use a reverse-DNS label like org.example.name";
            case 112 -> "no launchd domain gui/$(id -u) for this user, i.e. no GUI login session (over ssh, or a"
                    + " background account): log in at the Mac's console, then retry" + USER_DOMAIN_HINT;
            case 119 -> label + " is disabled in launchd's override database (heph enables it before bootstrap, so"
                    + " something disabled it again): run `launchctl enable gui/$(id -u)/" + label + "` and retry";
            case 122 -> "the plist of " + label + " has bad ownership or permissions: it must be owned by you and"
                    + " not group/world-writable (chmod 644 it), then retry";
            case 124 -> "your GUI session is logging out: log in again, then run `heph start`";
            case 125 -> (c.contains("cannot load in requested session") ? label + " cannot load in this session: "
                    : "") + "no GUI login session for this user (over ssh?): log in at the Mac's console, or run heph"
                    + " from a Terminal in the GUI session" + USER_DOMAIN_HINT;
            case 134 -> label + " cannot load in this kind of session (e.g. ssh instead of the GUI login):"
                    + " run heph from a Terminal in the GUI session";
            case 155 -> "macOS quarantined the program of " + label + ": remove the quarantine with"
                    + " `xattr -d com.apple.quarantine <program>` and retry";
            case 159 -> "a sandbox prevented launchd from acting for heph: run heph from a normal Terminal";
            case 161 -> "Login Items policy blocks " + label + ": allow it in System Settings > General >"
                    + " Login Items, then retry";
            default -> "unexpected for " + label + ": " + VERBOSE;
        };
    }
}
