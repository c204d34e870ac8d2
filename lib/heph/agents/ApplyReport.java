package heph.agents;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code heph apply DIR} did: one result per file, in file-name order.
 *
 * @param dir     the folder applied
 * @param results one per {@code *.plist} / {@code *.service} file
 */
public record ApplyReport(Path dir, List<Result> results) {
    public ApplyReport {
        results = List.copyOf(results);
    }

    /**
     * One service.
     *
     * @param label   its launchd label or systemd unit, or null when its file could not even be read for one
     * @param path    its file in the folder
     * @param ok      whether it converged
     * @param changed whether its installed file changed
     * @param how     the path taken (start, kickstart, restart, reload, none), or "failed"
     * @param message one line for the user
     */
    public record Result(String label, String path, boolean ok, boolean changed, String how, String message) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", label);
            m.put("path", path);
            m.put("ok", ok);
            m.put("changed", changed);
            m.put("how", how);
            m.put("message", message);
            return m;
        }
    }

    public long failed() {
        return results.stream().filter(r -> !r.ok()).count();
    }

    public boolean changed() {
        return results.stream().anyMatch(Result::changed);
    }

    /** One line for the user. */
    public String summary() {
        long changed = results.stream().filter(Result::changed).count();
        return "applied " + dir + ": " + results.size() + " service(s), " + changed + " changed, " + failed()
                + " failed";
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", "apply");
        m.put("dir", dir.toString());
        m.put("changed", changed());
        m.put("failed", failed());
        List<Object> services = new ArrayList<>();
        results.forEach(r -> services.add(r.toJson()));
        m.put("services", services);
        m.put("message", summary());
        return m;
    }
}
