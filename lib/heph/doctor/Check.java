package heph.doctor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finding of {@code heph doctor}: what was checked, how it went, what was seen and, when it is not ok, what to do.
 *
 * @param name    a stable identifier (e.g. {@code gui-domain}, {@code label-enabled}, {@code program})
 * @param status  ok, warn (worth knowing, nothing broken yet) or fail (hephd cannot run, or does not)
 * @param message what the probe saw, one line
 * @param fix     the next step, one line; "" when ok
 */
public record Check(String name, Status status, String message, String fix) {
    public enum Status { OK, WARN, FAIL;

        /** "ok", "warn", "fail" (text and JSON). */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Check {
        fix = fix == null ? "" : fix;
    }

    public static Check ok(String name, String message) {
        return new Check(name, Status.OK, message, "");
    }

    public static Check warn(String name, String message, String fix) {
        return new Check(name, Status.WARN, message, fix);
    }

    public static Check fail(String name, String message, String fix) {
        return new Check(name, Status.FAIL, message, fix);
    }

    /** {@code ok    name: message} or {@code fail  name: message; fix: ...}, one line. */
    public String line() {
        String head = String.format("%-5s %s: %s", status.word(), name, message);
        return fix.isEmpty() ? head : head + "; fix: " + fix;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("status", status.word());
        m.put("message", message);
        m.put("fix", fix);
        return m;
    }
}
