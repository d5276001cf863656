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
     * Fills the buckets walking the destination list; each destination takes {@code share(d)}
     * consecutive buckets before the walk moves on (dh: 1, sh: its weight, at least 1).
     */
    void fill(List<Destination> dests, boolean byWeight) {
        if (dests.isEmpty()) {
            Arrays.fill(buckets, null);
            return;
        }
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
