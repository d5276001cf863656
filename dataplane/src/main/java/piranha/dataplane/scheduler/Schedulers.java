package piranha.dataplane.scheduler;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The schedulers by their ipvsadm names. */
public final class Schedulers {
    private Schedulers() {}

    /** Piranha's eight, then those it does not offer (fo, ovf: kernel 4.x; mh: 4.18; twos: 6.x). */
    public static final List<String> NAMES =
            List.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos");

    /** ipvsadm's {@code -b} flag names of mh: IP_VS_SVC_F_SCHED1 and IP_VS_SVC_F_SCHED2. */
    public static final String MH_FALLBACK = "mh-fallback";
    public static final String MH_PORT = "mh-port";
    /** The scheduler flags this table implements, by scheduler. */
    public static final Map<String, List<String>> FLAGS = Map.of("mh", List.of(MH_FALLBACK, MH_PORT));

    public static Scheduler create(String name) {
        return create(name, Set.of());
    }

    /** The scheduler with its {@code -b} flags; a flag the scheduler does not have is refused. */
    public static Scheduler create(String name, Set<String> flags) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        List<String> known = FLAGS.getOrDefault(n, List.of());
        for (String f : flags) {
            if (!known.contains(f)) {
                throw new IllegalArgumentException("scheduler flag '" + f + "' does not apply to scheduler '" + name + "'"
                        + (known.isEmpty() ? "" : " (expected " + String.join(", ", known) + ")"));
            }
        }
        if (n.equals("mh")) return new MaglevHashing(flags.contains(MH_FALLBACK), flags.contains(MH_PORT));
        Supplier<Scheduler> s = lookup(n);
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
