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
 * @param stdoutLog    where stdout goes (launchd) or "journalctl --user -u heph.service"
 * @param stderrLog    where stderr goes
 * @param socket       hephd's socket path
 * @param hint         a next step when something is off (installed but not loaded, ...), or null
 */
public record ServiceStatus(String backend, String name, boolean installed, boolean loaded, String state, Long pid,
                            String lastExitCode, Long runs, String program, List<String> arguments, String file,
                            String stdoutLog, String stderrLog, String socket, String hint) {
    public ServiceStatus {
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }

    public boolean running() {
        return pid != null && pid > 0;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend);
        m.put("name", name);
        m.put("installed", installed);
        m.put("loaded", loaded);
        m.put("running", running());
        m.put("state", state);
        m.put("pid", pid);
        m.put("last_exit_code", lastExitCode);
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
