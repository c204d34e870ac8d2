package heph.cli;

import heph.doctor.Check;
import heph.doctor.Doctor;
import heph.doctor.Subject;
import heph.proc.ZtExecRunner;
import heph.service.Settings;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code heph doctor [--json]}: every probe, one line per check; exit 0 when nothing failed, else 1. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check everything hephd (or the agent --label/--plist, --unit/--unit-file names) needs"
                + " (domain or user bus, disabled label, plist/unit, program, log folders, loaded state, hephd's"
                + " socket) and print one line per check with its fix. Reads only. Exit 0 when nothing fails, 1"
                + " otherwise.")
final class DoctorCommand extends Verbs.Verb {
    @Override
    public Integer call() {
        heph.Heph heph = heph(options()); // hephd, or the agent --label/--plist/--unit(-file) names
        Settings s = heph.settings();
        Doctor.Report report = Doctor.run(s, Subject.of(s, heph.isHephd(), heph.installedFile()), new ZtExecRunner());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            java.util.List<Check> failing = report.checks().stream()
                    .filter(c -> c.status() == Check.Status.FAIL).toList();
            String error = failing.isEmpty() ? null : failing.size() + (failing.size() == 1 ? " check" : " checks")
                    + " failed; first: " + failing.get(0).name() + ": " + failing.get(0).message();
            return printJson(report.exitCode(), error, report.toJson());
        }
        out.print(report.text());
        out.flush();
        return report.exitCode();
    }
}
