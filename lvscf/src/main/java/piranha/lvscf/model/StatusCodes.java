package piranha.lvscf.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP status codes a check accepts ({@code http_status}): single codes and ranges, such as
 * {@code 200-299,301}.
 */
public record StatusCodes(List<Range> ranges) {
    /** keepalived's and HAProxy's default: any 2xx. */
    public static final StatusCodes SUCCESS = new StatusCodes(List.of(new Range(200, 299)));

    /** One code ({@code low == high}) or an inclusive range. */
    public record Range(int low, int high) {
        @Override
        public String toString() {
            return low == high ? Integer.toString(low) : low + "-" + high;
        }
    }

    public StatusCodes {
        ranges = List.copyOf(ranges);
    }

    /**
     * Reads {@code 200-299,301}: comma-separated codes or ranges of 100 to 599, blanks not allowed.
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static StatusCodes parse(String text) {
        List<Range> ranges = new ArrayList<>();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("no status code given");
        }
        for (String part : text.split(",", -1)) {
            int dash = part.indexOf('-', 1);
            int low = code(dash < 0 ? part : part.substring(0, dash), part);
            int high = dash < 0 ? low : code(part.substring(dash + 1), part);
            if (high < low) {
                throw new IllegalArgumentException("'" + part + "': the range ends before it starts");
            }
            ranges.add(new Range(low, high));
        }
        return new StatusCodes(ranges);
    }

    private static int code(String s, String part) {
        if (!s.matches("[0-9]{3}")) {
            throw new IllegalArgumentException("'" + part + "' is not a status code (100 to 599) or a range such as 200-299");
        }
        int c = Integer.parseInt(s);
        if (c < 100 || c > 599) {
            throw new IllegalArgumentException("'" + part + "': status codes go from 100 to 599");
        }
        return c;
    }

    public boolean accepts(int code) {
        for (Range r : ranges) {
            if (code >= r.low && code <= r.high) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        ranges.forEach(r -> parts.add(r.toString()));
        return String.join(",", parts);
    }
}
