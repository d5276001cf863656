package piranha.pulse.config;

import java.math.BigDecimal;
import java.time.Duration;

/** lvs.cf times are seconds; pulse accepts fractions ("0.1") as an extension. */
public final class Durations {
    private Durations() {}

    public static Duration parseSeconds(String text) {
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number of seconds: " + text);
        }
        if (seconds.signum() < 0) throw new IllegalArgumentException("negative time: " + text);
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    /** "1.5" for 1500 ms, "2" for 2 s: how lvs.cf would spell it. */
    public static String format(Duration d) {
        return BigDecimal.valueOf(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString();
    }
}
