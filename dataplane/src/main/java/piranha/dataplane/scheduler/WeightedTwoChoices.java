package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;
import piranha.dataplane.Destination;

/**
 * twos (ip_vs_twos.c): two destinations drawn at random in proportion to their weights, then the
 * one with fewer active connections per unit of weight (the first draw on a tie).
 */
final class WeightedTwoChoices implements Scheduler {
    /** {@code bound -> [0, bound)}; injected so tests can fix the draws. */
    private final IntUnaryOperator random;

    WeightedTwoChoices() {
        this(bound -> ThreadLocalRandom.current().nextInt(bound));
    }

    WeightedTwoChoices(IntUnaryOperator random) {
        this.random = random;
    }

    @Override
    public String name() {
        return "twos";
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        long total = 0;
        for (Destination d : dests) {
            if (Scheduler.usable(d)) {
                total += d.weight();
            }
        }
        if (total == 0) {
            return null;
        }
        int bound = (int) Math.min(total, Integer.MAX_VALUE);
        Destination first = draw(dests, random.applyAsInt(bound));
        Destination second = draw(dests, random.applyAsInt(bound));
        // second wins only when strictly less loaded: conns2/w2 < conns1/w1, cross-multiplied
        if ((long) second.activeConns() * first.weight() < (long) first.activeConns() * second.weight()) {
            return second;
        }
        return first;
    }

    private static Destination draw(List<Destination> dests, long point) {
        Destination last = null;
        for (Destination d : dests) {
            if (!Scheduler.usable(d)) {
                continue;
            }
            last = d;
            point -= d.weight();
            if (point < 0) {
                return d;
            }
        }
        return last;
    }
}
