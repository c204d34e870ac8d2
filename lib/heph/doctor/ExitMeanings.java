package heph.doctor;

import java.util.Map;

/**
 * What a daemon's exit status usually means, for doctor's "last exit code" line: the sysexits(3) names launchd prints
 * beside the number (docs/facts/launchd-facts.md §13: {@code last exit code = 78: EX_CONFIG}), and the causes launchd users meet.
 * Pure.
 */
public final class ExitMeanings {
    private ExitMeanings() {
    }

    private static final Map<Integer, String> SYSEXITS = Map.ofEntries(
            Map.entry(64, "EX_USAGE: the program was called with bad arguments"),
            Map.entry(65, "EX_DATAERR: bad input data"),
            Map.entry(66, "EX_NOINPUT: an input file did not exist or was not readable"),
            Map.entry(67, "EX_NOUSER"),
            Map.entry(68, "EX_NOHOST"),
            Map.entry(69, "EX_UNAVAILABLE: a service it needs is unavailable"),
            Map.entry(70, "EX_SOFTWARE: an internal software error"),
            Map.entry(71, "EX_OSERR: an operating system error"),
            Map.entry(72, "EX_OSFILE: a system file is missing"),
            Map.entry(73, "EX_CANTCREAT: it cannot create an output file"),
            Map.entry(74, "EX_IOERR: an input/output error"),
            Map.entry(75, "EX_TEMPFAIL: a temporary failure"),
            Map.entry(76, "EX_PROTOCOL"),
            Map.entry(77, "EX_NOPERM: permission denied"),
            Map.entry(78, "EX_CONFIG: launchd could not set the job up before running it: usually a"
                    + " StandardOutPath/StandardErrorPath it cannot write, a program that does not exist or is not"
                    + " executable, or a WorkingDirectory that does not exist"));

    /** The meaning of exit status {@code code}, or "" when there is nothing to say beyond the number. */
    public static String of(int code) {
        if (code == 0) {
            return "a clean exit";
        }
        if (SYSEXITS.containsKey(code)) {
            return SYSEXITS.get(code);
        }
        if (code == 126) {
            return "the program was found but could not be executed";
        }
        if (code == 127) {
            return "the program (or its interpreter) was not found";
        }
        if (code > 128 && code < 160) {
            return "killed by signal " + (code - 128) + " (exit status 128 + signal, as shells report it)";
        }
        return "";
    }
}
