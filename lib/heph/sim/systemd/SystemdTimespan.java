package heph.sim.systemd;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * systemd.time(7) time spans as the systemctl fake needs them: parsing unit values such as {@code 90}, {@code 1s},
 * {@code 1min 30s}, {@code 500ms}, {@code infinity} (a bare number is seconds), and rendering them the way
 * {@code systemctl show} prints {@code *USec} properties ({@code 1min 30s}). Pure.
 */
final class SystemdTimespan {
    /** "infinity". */
    static final long INFINITY = Long.MAX_VALUE;
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([a-zμ]*)");
    private static final List<Object[]> FORMAT_UNITS = List.of(
            new Object[] {"d", 86_400_000_000L}, new Object[] {"h", 3_600_000_000L},
            new Object[] {"min", 60_000_000L}, new Object[] {"s", 1_000_000L}, new Object[] {"ms", 1_000L},
            new Object[] {"us", 1L});

    private SystemdTimespan() {
    }

    /** Microseconds, or -1 when {@code text} is not a valid time span (systemd then ignores the assignment). */
    static long parseMicros(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("infinity")) {
            return INFINITY;
        }
        if (t.isEmpty()) {
            return -1;
        }
        Matcher m = PART.matcher(t);
        long total = 0;
        int at = 0;
        while (at < t.length()) {
            if (Character.isWhitespace(t.charAt(at))) {
                at++;
                continue;
            }
            if (!m.find(at) || m.start() != at) {
                return -1;
            }
            long unit = unitMicros(m.group(2));
            if (unit < 0) {
                return -1;
            }
            total += (long) (Double.parseDouble(m.group(1)) * unit);
            at = m.end();
        }
        return total;
    }

    private static long unitMicros(String unit) {
        return switch (unit) {
            case "", "s", "sec", "second", "seconds" -> 1_000_000L;
            case "us", "usec", "μs" -> 1L;
            case "ms", "msec" -> 1_000L;
            case "m", "min", "minute", "minutes" -> 60_000_000L;
            case "h", "hr", "hour", "hours" -> 3_600_000_000L;
            case "d", "day", "days" -> 86_400_000_000L;
            default -> -1;
        };
    }

    /** {@code format_timespan}: "1min 30s", "100ms", "0", "infinity". */
    static String format(long micros) {
        if (micros == INFINITY) {
            return "infinity";
        }
        if (micros <= 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        long left = micros;
        for (Object[] u : FORMAT_UNITS) {
            long size = (Long) u[1];
            if (left >= size) {
                sb.append(sb.length() == 0 ? "" : " ").append(left / size).append(u[0]);
                left %= size;
            }
        }
        return sb.toString();
    }
}
