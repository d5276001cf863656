package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import piranha.dataplane.Destination;

/**
 * wrr: IPVS's interleaved weighted round robin. The current weight {@code cw} steps down by the
 * gcd of the weights after each pass; a destination is chosen while its weight is at least cw,
 * so with weights 3 and 1 the sequence is A A A B (A A B A ... for other ratios, interleaved).
 */
final class WeightedRoundRobin implements Scheduler {
    private int index = -1;
    private int cw;
    private int maxWeight;
    private int gcd = 1;

    @Override
    public String name() {
        return "wrr";
    }

    @Override
    public void update(List<Destination> dests) {
        maxWeight = 0;
        int g = 0;
        for (Destination d : dests) {
            int w = d.weight();
            if (w > 0) {
                maxWeight = Math.max(maxWeight, w);
                g = g == 0 ? w : gcd(g, w);
            }
        }
        gcd = g == 0 ? 1 : g;
        if (cw > maxWeight) cw = maxWeight;
        if (index >= dests.size()) index = -1;
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        int n = dests.size();
        if (n == 0) return null;
        update(dests); // weights may change between calls (edit), which is cheap to follow
        if (maxWeight == 0) return null;
        // At most one full descent of cw from max to gcd plus one pass: bounded.
        int bound = n * (maxWeight / gcd + 2);
        for (int i = 0; i < bound; i++) {
            index = (index + 1) % n;
            if (index == 0) {
                cw -= gcd;
                if (cw <= 0) cw = maxWeight;
            }
            Destination d = dests.get(index);
            if (d.isAvailable() && d.weight() > 0 && d.weight() >= cw) return d;
        }
        return null;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
