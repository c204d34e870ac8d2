package heph.agents;

import heph.plan.DryRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code heph apply DIR} did, or with {@code --dry-run} would do: one result per file, in file-name order.
 *
 * @param dir     the folder applied
 * @param results one per {@code *.plist} / {@code *.service} file
 * @param dryRun  whether this is a plan ({@code --dry-run}): nothing was changed
 * @param warnings what went wrong beside the services without failing the run (each also said on stderr)
 */
public record ApplyReport(Path dir, List<Result> results, boolean dryRun, List<String> warnings) {
    public ApplyReport {
        results = List.copyOf(results);
        warnings = List.copyOf(warnings);
    }

    public ApplyReport(Path dir, List<Result> results, boolean dryRun) {
        this(dir, results, dryRun, List.of());
    }

    public ApplyReport(Path dir, List<Result> results) {
        this(dir, results, false);
    }

    /**
     * One service.
     *
     * @param label   its launchd label or systemd unit, or null when its file could not even be read for one
     * @param path    its file in the folder
     * @param ok      whether it converged (dry run: whether it could be planned)
     * @param changed whether the system changed (dry run: would change): a file written, a definition loaded, a
     *                process started or restarted, as in {@code heph start --json}
     * @param how     the path taken (start, kickstart, restart, reload, none), or "failed"
     * @param message one line for the user
     * @param plan    in a dry run, what it would do; null in a real run and when planning failed
     */
    public record Result(String label, String path, boolean ok, boolean changed, String how, String message,
                         DryRun plan) {
        public Result(String label, String path, boolean ok, boolean changed, String how, String message) {
            this(label, path, ok, changed, how, message, null);
        }

        /**
         * A real run's entry: {@code label}, {@code file} (the installed plist/unit, from {@code installed}),
         * {@code source} (the file in the folder), {@code ok}, {@code changed}, {@code path} (the route taken, as in
         * {@code heph start --json}), {@code how} (the same), {@code message}.
         */
        public Map<String, Object> toJson(Function<String, String> installed) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", label);
            m.put("file", label == null ? null : installed.apply(label));
            m.put("source", path);
            m.put("ok", ok);
            m.put("changed", changed);
            m.put("path", how);
            m.put("how", how);
            m.put("message", message);
            return m;
        }

        /**
         * A dry run's entry: the service's {@link DryRun} object (action, dry_run, changed, path — the path it would
         * take, as in {@code heph start --dry-run --json} — commands, diff, message, warnings), then label, file
         * (installed), source (in the folder), ok, how (= path).
         */
        public Map<String, Object> toDryRunJson(String action, Function<String, String> installed) {
            Map<String, Object> m = plan != null ? plan.toJson()
                    : new DryRun(action, label, "failed", false, List.of(), "", message, List.of()).toJson();
            m.put("label", label);
            m.put("file", label == null ? null : installed.apply(label));
            m.put("source", path);
            m.put("ok", ok);
            m.put("how", m.get("path"));
            return m;
        }

        /** "label: message" for the user, the file when there is no label, not named twice. */
        public String line() {
            String who = label != null ? label : path;
            return message != null && (message.startsWith(who + ":") || message.startsWith(path + ":")
                    || message.startsWith(path + " ")) ? message : who + ": " + message;
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
        long changed = results.stream().filter(r -> r.changed() && !Prune.isPrunes(r)).count();
        long services = results.stream().filter(r -> !Prune.isPrunes(r)).count();
        long removed = results.stream().filter(r -> r.how().equals(Prune.REMOVED)).count();
        long dropped = results.stream().filter(r -> r.how().equals(Prune.DROPPED)).count();
        String prune = (removed == 0 ? "" : ", " + removed + (dryRun ? " to remove" : " removed"))
                + (dropped == 0 ? "" : ", " + dropped + " no longer in the folder (--prune removes them)");
        if (dryRun) {
            return "dry run: apply " + dir + " would change " + changed + " of " + services + " service(s)" + prune
                    + ", " + failed() + " could not be planned";
        }
        return "applied " + dir + ": " + services + " service(s), " + changed + " changed" + prune + ", " + failed()
                + " failed";
    }

    /**
     * {@code action} is what each service would get in a dry run (start, or restart with --restart);
     * {@code installed} gives a label's installed plist/unit file.
     */
    public Map<String, Object> toJson(String action, Function<String, String> installed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", "apply");
        if (dryRun) {
            m.put("dry_run", true);
        }
        m.put("dir", dir.toString());
        m.put("changed", changed());
        m.put("failed", failed());
        List<Object> services = new ArrayList<>();
        results.forEach(r -> services.add(dryRun ? r.toDryRunJson(action, installed) : r.toJson(installed)));
        m.put("services", services);
        m.put("warnings", warnings);
        m.put("message", summary());
        return m;
    }

    public Map<String, Object> toJson() {
        return toJson("start", label -> null);
    }
}
