package heph.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a mutating verb did, for humans ({@link #message}) and scripts ({@link #toJson}).
 *
 * @param action     the verb: start, stop, restart, uninstall
 * @param path       the path taken: kickstart, reload, start, stop, uninstall, or none (nothing to do)
 * @param changed    whether the system was changed: the plist/unit on disk written or removed, a definition loaded,
 *                   a process started, restarted or stopped, a unit enabled. Any path other than none is a change
 *                   (the constructor makes it so), as in {@link heph.plan.DryRun#changed}
 * @param oldPid     the daemon's pid before, or null
 * @param newPid     the daemon's pid after, or null
 * @param waitedMs   milliseconds spent in wait-until-unloaded (0 when it did not run)
 * @param attempts   bootstrap attempts (0 when bootstrap did not run)
 * @param message    one line for the user
 * @param warnings   things the user must know (a file moved aside, ...)
 * @param details    backend-specific extra JSON fields, after the common ones (launchd: {@code unload_via},
 *                   {@code print_polls} when it booted the job out); empty for most outcomes
 */
public record Outcome(String action, String path, boolean changed, Long oldPid, Long newPid, long waitedMs,
                      int attempts, String message, List<String> warnings, Map<String, Object> details) {
    public Outcome {
        warnings = List.copyOf(warnings);
        changed = changed || !"none".equals(path); // the same meaning as a dry run's: a path taken is a change
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public Outcome(String action, String path, boolean changed, Long oldPid, Long newPid, long waitedMs,
                   int attempts, String message, List<String> warnings) {
        this(action, path, changed, oldPid, newPid, waitedMs, attempts, message, warnings, Map.of());
    }

    /** This outcome with one more detail field. */
    public Outcome with(String key, Object value) {
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put(key, value);
        return new Outcome(action, path, changed, oldPid, newPid, waitedMs, attempts, message, warnings, d);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", action);
        m.put("path", path);
        m.put("changed", changed);
        m.put("old_pid", oldPid);
        m.put("new_pid", newPid);
        m.put("waited_ms", waitedMs);
        m.put("bootstrap_attempts", attempts);
        m.put("message", message);
        m.put("warnings", warnings);
        details.forEach(m::putIfAbsent);
        return m;
    }
}
