package heph.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What `heph status` reports, the same shape on both backends.
 *
 * @param backend      launchd or systemd
 * @param name         the launchd label or the systemd unit
 * @param installed    the plist/unit file exists
 * @param loaded       launchd knows the label / systemd has the unit loaded
 * @param state        the service manager's own word (running, not running, SIGTERMed, active/running, ...)
 * @param pid          the daemon's pid, or null
 * @param lastExitCode the previous run's exit, as the manager reports it, or null
 * @param runs         how many times it was started (launchd runs, systemd NRestarts + 1), or null
 * @param program      hephd's path as loaded (or as in the file when not loaded), or null
 * @param arguments    the full argv as loaded (or as in the file)
 * @param file         the plist/unit path
 * @param stdoutLog    where stdout goes (launchd) or "journalctl --user-unit heph.service"
 * @param stderrLog    where stderr goes
 * @param socket       hephd's socket path
 * @param hint         a next step when something is off (installed but not loaded, ...), or null
 * @param lastSignal   the signal that ended the previous run, or null: launchd's {@code last terminating signal}
 *                     ("Terminated: 15"), systemd's ExecMainStatus when ExecMainCode says killed/dumped
 * @param lastExitReason launchd's {@code last exit reason} (e.g. JETSAM_REASON_MEMORY_IDLE_EXIT), printed instead of
 *                     an exit code; null when absent (always on systemd)
 * @param crashLoop    hephd keeps dying and the manager keeps restarting it: launchd {@code state = spawn scheduled}
 *                     with runs > 1 and a last exit code or signal; systemd NRestarts >= 1 and SubState auto-restart
 *                     or ActiveState failed
 * @param starting     the manager is spawning hephd right now (launchd {@code xpcproxy}/{@code spawning}, systemd
 *                     ActiveState activating other than auto-restart): ask again in a moment
 * @param otherDomain  launchd: the label is (also) loaded in the other per-user domain (user/&lt;uid&gt; when heph
 *                     asked about gui/&lt;uid&gt;, and the other way round), or null; always null on systemd
 */
public record ServiceStatus(String backend, String name, boolean installed, boolean loaded, String state, Long pid,
                            String lastExitCode, Long runs, String program, List<String> arguments, String file,
                            String stdoutLog, String stderrLog, String socket, String hint, String lastSignal,
                            String lastExitReason, boolean crashLoop, boolean starting, Elsewhere otherDomain) {
    public ServiceStatus {
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }

    /**
     * Where else launchd has the label loaded: the domain ({@code user/501}) and its pid (null: not running); or,
     * with {@code unknown} (why), a domain whose answer said neither loaded nor not loaded.
     */
    public record Elsewhere(String domain, Long pid, String unknown) {
        public Elsewhere(String domain, Long pid) {
            this(domain, pid, null);
        }

        /** The other domain could not be read: heph does not know whether the label is loaded there. */
        public static Elsewhere unknown(String domain, String why) {
            return new Elsewhere(domain, null, why);
        }

        public boolean isUnknown() {
            return unknown != null;
        }

        /** {"domain", "pid"}, plus {"unknown": why} when heph could not tell. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("domain", domain);
            m.put("pid", pid);
            if (unknown != null) {
                m.put("unknown", unknown);
            }
            return m;
        }
    }

    /** Not loaded in another domain (otherDomain null). */
    public ServiceStatus(String backend, String name, boolean installed, boolean loaded, String state, Long pid,
                         String lastExitCode, Long runs, String program, List<String> arguments, String file,
                         String stdoutLog, String stderrLog, String socket, String hint, String lastSignal,
                         String lastExitReason, boolean crashLoop, boolean starting) {
        this(backend, name, installed, loaded, state, pid, lastExitCode, runs, program, arguments, file, stdoutLog,
                stderrLog, socket, hint, lastSignal, lastExitReason, crashLoop, starting, null);
    }

    /** This status with {@code elsewhere} as its other domain and {@code hint} as its hint. */
    public ServiceStatus withOtherDomain(Elsewhere elsewhere, String hint) {
        return new ServiceStatus(backend, name, installed, loaded, state, pid, lastExitCode, runs, program, arguments,
                file, stdoutLog, stderrLog, socket, hint, lastSignal, lastExitReason, crashLoop, starting, elsewhere);
    }

    /** Without last signal, exit reason, crash loop or starting (null, null, false, false). */
    public ServiceStatus(String backend, String name, boolean installed, boolean loaded, String state, Long pid,
                         String lastExitCode, Long runs, String program, List<String> arguments, String file,
                         String stdoutLog, String stderrLog, String socket, String hint) {
        this(backend, name, installed, loaded, state, pid, lastExitCode, runs, program, arguments, file, stdoutLog,
                stderrLog, socket, hint, null, null, false, false);
    }

    public boolean running() {
        return pid != null && pid > 0;
    }

    /**
     * What `heph status` exits 0 for: running, or (launchd) a job not meant to run all the time that is loaded and
     * whose last run ended with exit 0 ("loaded is enough"), or (systemd) a Type=oneshot unit that ran and exited 0.
     */
    public boolean fine() {
        return running() || (loaded && hint != null && (hint.startsWith("loaded, waiting for its next run")
                || hint.startsWith("ran, exited 0") || hint.startsWith("active (exited)"))); // systemd oneshot
    }

    /**
     * {@code last_exit_code} in JSON: on launchd a number when launchd gave one, null otherwise ({@code (never
     * exited)}, not loaded); on systemd as reported.
     */
    public Object lastExitCodeJson() {
        if (!backend.equals("launchd")) {
            return lastExitCode;
        }
        java.util.regex.Matcher m = lastExitCode == null ? null
                : java.util.regex.Pattern.compile("^\\s*(-?\\d+)").matcher(lastExitCode);
        return m != null && m.find() ? (Object) Long.parseLong(m.group(1)) : null;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend);
        m.put("name", name);
        m.put("installed", installed);
        m.put("loaded", loaded);
        m.put("other_domain", otherDomain == null ? null : otherDomain.toJson());
        m.put("running", running());
        m.put("state", state);
        m.put("pid", pid);
        m.put("last_exit_code", lastExitCodeJson());
        m.put("last_signal", lastSignal);
        m.put("last_exit_reason", lastExitReason);
        m.put("crash_loop", crashLoop);
        m.put("starting", starting);
        m.put("runs", runs);
        m.put("program", program);
        m.put("arguments", arguments);
        m.put("file", file);
        m.put("stdout_log", stdoutLog);
        m.put("stderr_log", stderrLog);
        m.put("socket", socket);
        m.put("hint", hint);
        return m;
    }
}
