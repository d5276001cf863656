package piranha.nanny;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Piranha's load-monitor arithmetic: read a 1-minute load average, derive a new weight from it. */
public final class LoadRule {
    private LoadRule() {}

    // "load average: 0.52, ..." (uptime, rup) and "load 0.10, ..." (ruptime): the first number after "load".
    private static final Pattern LOAD = Pattern.compile("load(?:\\s+averages?)?\\s*:?\\s*([0-9]+(?:\\.[0-9]+)?)");

    public static OptionalDouble parseLoad(String output) {
        Matcher m = LOAD.matcher(output);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    /**
     * The weight after observing load {@code load}, from the weight {@code last} in force, for a
     * configured weight {@code w}: below 1 it rises by (w/2)(1-L)^(1/3) up to scale * w, above 1 it
     * falls by (w/2)(L-1)^(1/3) down to w. Returns {@code last} when the change is under w/4.
     */
    public static int adjust(int last, int w, int scale, double load) {
        double next;
        if (load < 1) {
            next = Math.min(last + (w / 2.0) * Math.cbrt(1 - load), (double) scale * w);
        } else if (load > 1) {
            next = Math.max(last - (w / 2.0) * Math.cbrt(load - 1), w);
        } else {
            return last;
        }
        int candidate = (int) next;
        return Math.abs(candidate - last) >= w / 4.0 && candidate != last ? candidate : last;
    }
}
