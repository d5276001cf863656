package piranha.dataplane.scheduler;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** The schedulers by their ipvsadm names. */
public final class Schedulers {
    private Schedulers() {}

    /** Piranha's eight, then those it does not offer (fo, ovf: kernel 4.x; twos: 6.x). */
    public static final List<String> NAMES =
            List.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "twos");

    public static Scheduler create(String name) {
        Supplier<Scheduler> s = lookup(name == null ? "" : name.trim().toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException(
                    "unknown scheduler '" + name + "' (expected one of " + String.join(", ", NAMES) + ")");
        }
        return s.get();
    }

    private static Supplier<Scheduler> lookup(String name) {
        switch (name) {
            case "rr": return RoundRobin::new;
            case "wrr": return WeightedRoundRobin::new;
            case "lc": return LeastConnection::new;
            case "wlc": return WeightedLeastConnection::new;
            case "lblc": return LocalityBasedLeastConnection::new;
            case "lblcr": return LocalityBasedLeastConnectionReplication::new;
            case "dh": return DestinationHashing::new;
            case "sh": return SourceHashing::new;
            case "sed": return ShortestExpectedDelay::new;
            case "nq": return NeverQueue::new;
            case "fo": return WeightedFailover::new;
            case "ovf": return WeightedOverflow::new;
            case "twos": return WeightedTwoChoices::new;
            default: return null;
        }
    }
}
