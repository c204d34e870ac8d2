package heph.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** "10" or "10s" = seconds, "500ms" = milliseconds; positive, at most a day. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String raw) {
        String v = raw.strip();
        boolean millis = v.endsWith("ms");
        String digits = millis ? v.substring(0, v.length() - 2) : v.endsWith("s") ? v.substring(0, v.length() - 1) : v;
        if (!digits.matches("[0-9]{1,9}")) {
            throw new TypeConversionException("'" + raw + "' is not valid; expected whole seconds (e.g. 30) or"
                    + " milliseconds (e.g. 500ms)");
        }
        Duration d = millis ? Duration.ofMillis(Long.parseLong(digits)) : Duration.ofSeconds(Long.parseLong(digits));
        if (d.isZero() || d.compareTo(Duration.ofDays(1)) > 0) {
            throw new TypeConversionException("'" + raw + "' is not valid; expected a duration from 1ms to 1 day");
        }
        return d;
    }
}
