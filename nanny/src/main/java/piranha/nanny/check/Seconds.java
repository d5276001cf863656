package piranha.nanny.check;

import java.time.Duration;

final class Seconds {
    private Seconds() {}

    /** "6 s", "1.5 s", "250 ms": how reasons print a deadline. */
    static String show(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        return String.format("%.1f s", ms / 1000.0);
    }
}
