package heph.doctor;

import heph.launchd.Launchctl;
import heph.proc.ProcessRunner;
import heph.service.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code heph doctor}: runs every probe of the backend ({@link LaunchdProbes} or {@link SystemdProbes}) and reports
 * one {@link Check} per line. Reads only: {@code print}, {@code print-disabled}, {@code show}, {@code loginctl
 * show-user}, files and the socket; nothing is written, loaded or enabled.
 */
public final class Doctor {
    private Doctor() {
    }

    /** Everything doctor found, in probe order. */
    public record Report(String backend, String target, List<Check> checks) {
        public Report {
            checks = List.copyOf(checks);
        }

        public boolean failed() {
            return checks.stream().anyMatch(c -> c.status() == Check.Status.FAIL);
        }

        /** 0 when nothing failed (warnings allowed), 1 otherwise. */
        public int exitCode() {
            return failed() ? 1 : 0;
        }

        /** One line per check, then a summary line. */
        public String text() {
            StringBuilder b = new StringBuilder();
            for (Check c : checks) {
                b.append(c.line()).append('\n');
            }
            long fails = checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
            long warns = checks.stream().filter(c -> c.status() == Check.Status.WARN).count();
            b.append(target).append(": ").append(fails).append(fails == 1 ? " failure, " : " failures, ")
                    .append(warns).append(warns == 1 ? " warning" : " warnings").append('\n');
            return b.toString();
        }

        /** {@code changed} (always false), {@code ok}, {@code backend}, {@code target}, {@code checks}. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("changed", false);
            m.put("ok", !failed());
            m.put("backend", backend);
            m.put("target", target);
            m.put("checks", checks.stream().map(Check::toJson).toList());
            return m;
        }
    }

    /** hephd's label/unit from the settings. */
    public static Report run(Settings s, ProcessRunner runner) {
        return run(s, Subject.of(s), runner);
    }

    public static Report run(Settings s, Subject subject, ProcessRunner runner) {
        if (s.backend().equals("systemd")) {
            return new Report("systemd", subject.unit(), SystemdProbes.run(s, subject, runner));
        }
        Launchctl lc = new Launchctl(runner, s.launchctl(), s.commandTimeout());
        return new Report("launchd", subject.target(), LaunchdProbes.run(s, subject, lc));
    }
}
