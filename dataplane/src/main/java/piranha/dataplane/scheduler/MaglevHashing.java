package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import piranha.dataplane.Addresses;
import piranha.dataplane.Destination;

/**
 * mh (ip_vs_mh.c): Maglev consistent hashing. Each destination gets a preference order of the
 * lookup table's slots from two hashes of its address and port; the slots are dealt out in turn,
 * each destination taking as many per turn as its weight (divided by the weights' gcd, shifted so
 * the largest fits in 6 bits); a client's source address (and port with mh-port) picks a slot.
 * Everything is computed as the kernel does, so the same table sends the same client to the same
 * real server here and in the kernel: table size 4093 (CONFIG_IP_VS_MH_TAB_INDEX 12, the default),
 * the fixed hash keys, the destination list walked newest first (IPVS adds at the list's head),
 * and a quiesced destination keeping the slots of its last non-zero weight.
 */
final class MaglevHashing implements Scheduler {
    /** primes[CONFIG_IP_VS_MH_TAB_INDEX - 8] with the default index 12. */
    static final int TABLE_SIZE = 4093;
    /** IP_VS_MH_TAB_BITS: CONFIG_IP_VS_MH_TAB_INDEX / 2. */
    private static final int TABLE_BITS = 6;
    private static final long HASH1 = 2654435761L;
    private static final long HASH2 = 2654446892L;

    private final boolean fallback;
    private final boolean hashPort;
    private Destination[] lookup = new Destination[TABLE_SIZE];
    /** IPVS's last_weight: set when a destination is added, then by every non-zero weight. */
    private Map<Destination, Integer> lastWeight = new IdentityHashMap<>();

    /**
     * @param fallback  mh-fallback: an unavailable slot owner makes the lookup walk on through the table
     * @param hashPort  mh-port: the client's source port is hashed with its address
     */
    MaglevHashing(boolean fallback, boolean hashPort) {
        this.fallback = fallback;
        this.hashPort = hashPort;
    }

    @Override
    public String name() {
        return "mh";
    }

    /** ip_vs_mh_hashkey: hsiphash of offset + port + the folded address, as one u32. */
    static int hashKey(InetAddress addr, int port, long key, int offset) {
        int v = offset + port + Addresses.fold(addr);
        return SipHash.hsiphash32(v, key, key);
    }

    private static int slot(int hash, int modulus) {
        return (int) (Integer.toUnsignedLong(hash) % modulus);
    }

    @Override
    public void update(List<Destination> dests) {
        Map<Destination, Integer> weights = new IdentityHashMap<>();
        for (Destination d : dests) {
            Integer before = lastWeight.get(d);
            weights.put(d, before == null || d.weight() != 0 ? d.weight() : before);
        }
        lastWeight = weights;
        List<Destination> list = new ArrayList<>(dests);
        Collections.reverse(list); // the kernel's list: newest first
        int gcd = 0;
        int max = 0;
        for (Destination d : list) {
            int w = weights.get(d);
            if (w > 0) gcd = gcd > 0 ? gcd(w, gcd) : w;
            max = Math.max(max, w);
        }
        Destination[] table = new Destination[TABLE_SIZE];
        if (gcd < 1) {
            lookup = table;
            return;
        }
        int shift = Math.max(0, fls(max / gcd) - TABLE_BITS);
        int n = list.size();
        int[] perm = new int[n];
        int[] skip = new int[n];
        int[] turns = new int[n];
        for (int i = 0; i < n; i++) {
            InetSocketAddress a = list.get(i).address();
            perm[i] = slot(hashKey(a.getAddress(), a.getPort(), HASH1, 0), TABLE_SIZE);
            skip[i] = slot(hashKey(a.getAddress(), a.getPort(), HASH2, 0), TABLE_SIZE - 1) + 1;
            int lw = weights.get(list.get(i));
            int t = (lw / gcd) >> shift;
            turns[i] = t != 0 ? t : (lw != 0 ? 1 : 0);
        }
        boolean[] taken = new boolean[TABLE_SIZE];
        int filled = 0;
        int inTurn = 0;
        while (filled < TABLE_SIZE) {
            for (int i = 0; i < n && filled < TABLE_SIZE; ) {
                if (turns[i] < 1) {
                    i++;
                    continue;
                }
                while (taken[perm[i]]) {
                    perm[i] += skip[i];
                    if (perm[i] >= TABLE_SIZE) perm[i] -= TABLE_SIZE;
                }
                taken[perm[i]] = true;
                table[perm[i]] = list.get(i);
                filled++;
                if (++inTurn >= turns[i]) {
                    inTurn = 0;
                    i++;
                }
            }
        }
        lookup = table;
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        return choose(client, 0);
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, int clientPort, InetAddress daddr) {
        return choose(client, hashPort ? clientPort : 0);
    }

    private Destination choose(InetAddress client, int port) {
        int first = slot(hashKey(client, port, HASH1, 0), TABLE_SIZE);
        Destination d = lookup[first];
        if (d == null) return null;
        if (Scheduler.usable(d)) return d;
        if (!fallback) return null;
        for (int offset = 0; offset < TABLE_SIZE; offset++) {
            int roffset = (offset + first) % TABLE_SIZE;
            d = lookup[slot(hashKey(client, port, HASH1, roffset), TABLE_SIZE)];
            if (d == null) return null;
            if (Scheduler.usable(d)) return d;
        }
        return null;
    }

    /** The table slot's owner, for tests that compare tables. */
    Destination slotOwner(int slot) {
        return lookup[slot];
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** The kernel's fls(): the 1-based index of the highest set bit, 0 for 0. */
    private static int fls(int x) {
        return 32 - Integer.numberOfLeadingZeros(x);
    }
}
