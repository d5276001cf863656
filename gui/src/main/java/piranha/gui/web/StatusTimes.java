package piranha.gui.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/** Times as the status pages show them: the daemons' instants in this host's local time, and ages. */
final class StatusTimes {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    /**
     * lvsd's {@code last_check} ({@code 2026-11-22T01:02:03.456Z}, as {@code Instant.toString} writes it)
     * in milliseconds since the epoch, read by position: the general ISO parser costs more than the
     * rest of a row. Long.MIN_VALUE when it has another shape; {@link Instant#parse} then decides.
     */
    static long epochMillis(String iso) {
        int n = iso.length();
        if (n >= 20 && iso.charAt(4) == '-' && iso.charAt(7) == '-' && iso.charAt(10) == 'T' && iso.charAt(13) == ':'
                && iso.charAt(16) == ':' && iso.charAt(n - 1) == 'Z' && (n == 20 || iso.charAt(19) == '.')) {
            int y = digits(iso, 0, 4), mo = digits(iso, 5, 7), d = digits(iso, 8, 10);
            int h = digits(iso, 11, 13), mi = digits(iso, 14, 16), sec = digits(iso, 17, 19);
            int frac = n == 20 ? 0 : digits(iso, 20, Math.min(n - 1, 23));
            if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 60
                    && frac >= 0 && (n == 20 || n - 1 > 20)) {
                for (int i = Math.min(n - 1, 23); i < 23; i++) {
                    frac *= 10; // .4Z is 400 ms
                }
                try {
                    long day = java.time.LocalDate.of(y, mo, d).toEpochDay();
                    return ((day * 24 + h) * 60 + mi) * 60_000L + sec * 1000L + frac;
                } catch (java.time.DateTimeException e) {
                    return Long.MIN_VALUE;
                }
            }
        }
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    /** The decimal number in {@code s[from, to)}, or -1. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** An epoch second as this host's local time, formatted once per rendering. */
    static String local(long epochSecond, Map<Long, String> times) {
        return times.computeIfAbsent(epochSecond, s -> WHEN.format(Instant.ofEpochSecond(s)));
    }

    /** An ISO-8601 instant from a daemon as this host's local time; anything else as it came. */
    static Object when(Object iso) {
        if (!(iso instanceof String s)) {
            return iso;
        }
        try {
            return WHEN.format(Instant.parse(s));
        } catch (DateTimeParseException e) {
            return s;
        }
    }

    /** 42 s, 7 min 3 s, 5 h 12 min, 3 d 4 h. */
    static String uptime(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        if (s < 86400) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return s / 86400 + " d " + s % 86400 / 3600 + " h";
    }

    private StatusTimes() {}
}
