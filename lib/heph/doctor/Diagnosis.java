package heph.doctor;

import heph.HephException;
import heph.launchd.Launchctl;
import heph.launchd.PrintInfo;
import heph.proc.ExecResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Why a bootstrap still fails after its retries. launchd collapses many causes into {@code 5: Input/output error}
 * as a user (docs/facts/launchd-facts.md §1, §13: a disabled label, a missing or unparseable plist, bad ownership, a missing
 * program, an unusable domain, a label still registered), so heph asks the same questions doctor asks and names
 * what it finds, with the fix.
 */
public final class Diagnosis {
    private Diagnosis() {
    }

    /**
     * The causes the probes find for a failed {@code bootstrap <domain> <plist>} of {@code label}, most likely first,
     * each as "what; fix: what to do"; empty when none (the caller keeps launchctl's own words). Only reads:
     * print-disabled, print, the plist; a probe that cannot run is skipped.
     */
    public static List<String> afterBootstrapFailure(Launchctl lc, String domain, String plistPath, String label) {
        // the primitives know only the label: hephd's default label is hephd, any other is named by --label (which
        // also means hephd when it is HEPH_LABEL's), so every fix names a command that works on it
        Subject subj = new Subject(label, Path.of(plistPath), domain, "", Path.of(""),
                label.equals(heph.service.Settings.DEFAULT_LABEL) ? "" : "--label " + label);
        List<Check> found = new ArrayList<>();
        probe(() -> LaunchdProbes.enabled(subj, lc.printDisabled(domain)), found);
        PlistProbes.Result plist = PlistProbes.run(subj, uidOf(domain));
        if (plist.plist().isEmpty() && !java.nio.file.Files.exists(subj.plist())) {
            found.add(Check.fail("plist", "the plist " + plistPath + " does not exist", subj.hephd()
                    ? "`heph start` writes it" : "`heph start --plist FILE` installs it"));
        }
        found.addAll(plist.checks());
        probe(() -> {
            ExecResult r = lc.print(domain); // only a missing domain is a cause here (112, 125)
            return r.exitCode() == 112 || r.exitCode() == 125 ? LaunchdProbes.domain(subj, r) : Check.ok("domain", "");
        }, found);
        probe(() -> {
            PrintInfo info = lc.printInfo(subj.target());
            return info.draining() ? Check.fail("loaded", label + " is still registered (state = " + info.state()
                    + "): launchd has not finished unloading it", "wait until `" + subj.heph("status") + "` says not"
                    + " loaded, then `" + subj.heph("start") + "`") : Check.ok("loaded", "");
        }, found);
        return found.stream().filter(c -> c.status() == Check.Status.FAIL)
                .map(c -> c.message() + (c.fix().isEmpty() ? "" : "; fix: " + c.fix())).toList();
    }

    /**
     * {@code failure} with the causes found appended ("...; heph looked: <cause>; fix: ..."), or {@code failure}
     * itself when nothing was found or the code is not one launchd uses for many causes (5, 37).
     */
    public static HephException explainBootstrap(HephException failure, ExecResult last, Launchctl lc, String domain,
                                                 String plistPath, String label) {
        if (last.exitCode() != 5 && last.exitCode() != 37) {
            return failure;
        }
        List<String> causes;
        try {
            causes = afterBootstrapFailure(lc, domain, plistPath, label);
        } catch (RuntimeException e) {
            return failure; // diagnosing must never hide the failure itself
        }
        if (causes.isEmpty()) {
            return failure;
        }
        return new HephException(failure.exitCode(), failure.getMessage() + "; heph looked: "
                + String.join("; and ", causes), failure.detail());
    }

    private static void probe(java.util.function.Supplier<Check> p, List<Check> into) {
        try {
            into.add(p.get());
        } catch (HephException e) {
            // a probe that cannot run (timeout, launchctl missing) tells nothing about the cause
        }
    }

    private static int uidOf(String domain) {
        Optional<String> n = Optional.of(domain.substring(domain.indexOf('/') + 1));
        try {
            return Integer.parseInt(n.get());
        } catch (NumberFormatException e) {
            return heph.fs.Owner.uid();
        }
    }
}
