package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import piranha.dataplane.Addresses;
import piranha.dataplane.Destination;

/** The 256-bucket table dh and sh fill on every destination change. */
final class HashTable {
    static final int SIZE = 256;
    private final Destination[] buckets = new Destination[SIZE];

    /**
     * Fills the buckets walking the destinations in address order (then port); each destination takes
     * {@code share(d)} consecutive buckets before the walk moves on (dh: 1, sh: its weight, at least 1).
     * The kernel walks its list in the order the destinations were added, which on a director follows
     * the history of health checks (a real server comes back at the end); in address order every
     * director with the same table chooses the same real server for a client, which active-active
     * directors behind ECMP depend on.
     */
    void fill(List<Destination> given, boolean byWeight) {
        if (given.isEmpty()) {
            Arrays.fill(buckets, null);
            return;
        }
        List<Destination> dests = new java.util.ArrayList<>(given);
        dests.sort(CANONICAL);
        int p = 0;
        int count = 0;
        for (int i = 0; i < SIZE; i++) {
            Destination d = dests.get(p);
            buckets[i] = d;
            count++;
            if (!byWeight || count >= d.weight()) {
                p = (p + 1) % dests.size();
                count = 0;
            }
        }
    }

    /** Address bytes (shorter family first), then port. */
    static final java.util.Comparator<Destination> CANONICAL = (a, b) -> {
        byte[] x = a.address().getAddress().getAddress();
        byte[] y = b.address().getAddress().getAddress();
        int c = x.length != y.length ? Integer.compare(x.length, y.length) : Arrays.compareUnsigned(x, y);
        return c != 0 ? c : Integer.compare(a.address().getPort(), b.address().getPort());
    };

    Destination get(int bucket) {
        return buckets[bucket & (SIZE - 1)];
    }

    /** ip_vs_dh_hashkey: the folded address times the golden ratio prime, low 8 bits. */
    static int dhHash(InetAddress a) {
        return (int) (((Addresses.fold(a) & 0xffffffffL) * 2654435761L) & (SIZE - 1));
    }

    /** ip_vs_sh_hashkey (port not hashed): hash_32(addr, 8). */
    static int shHash(InetAddress a) {
        return (Addresses.fold(a) * 0x61C88647) >>> (32 - 8);
    }
}
