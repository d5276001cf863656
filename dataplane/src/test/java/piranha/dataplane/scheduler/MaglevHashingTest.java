package piranha.dataplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import piranha.dataplane.Destination;
import piranha.dataplane.DestinationSpec;

/**
 * mh against the kernel's ip_vs_mh.c. The expected values come from a line-by-line C transcription
 * of lib/siphash.c (hsiphash on x86-64: SipHash-1-3) and of ip_vs_mh.c's hashkey, permutate,
 * populate, get and get_fallback, with the destination list in the kernel's order (each new
 * destination at the head), compiled and run on x86-64; its SipHash rounds reproduce the SipHash
 * paper's SipHash-2-4 vectors, checked here too.
 */
class MaglevHashingTest {
    private static final InetAddress VIP = ip("192.0.2.1");

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Destinations added in this order: 10.0.0.1, .2, .3 on port 80. */
    private static List<Destination> v4(int... weights) {
        List<Destination> l = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            l.add(new Destination(DestinationSpec.nat(new InetSocketAddress(ip("10.0.0." + (i + 1)), 80), weights[i])));
        }
        return l;
    }

    private static Scheduler mh(List<Destination> d, String... flags) {
        Scheduler s = Schedulers.create("mh", Set.of(flags));
        s.update(d);
        return s;
    }

    private static Destination pick(Scheduler s, List<Destination> d, String client, int port) {
        return s.schedule(d, ip(client), port, VIP);
    }

    @Test
    void sipHashRoundsGiveThePapersSipHash24Vectors() {
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        assertThat(SipHash.hash(2, 4, k0, k1, new byte[0])).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(SipHash.hash(2, 4, k0, k1, new byte[] {0, 1, 2, 3, 4, 5, 6, 7})).isEqualTo(0x93f5f5799a932462L);
        assertThat(SipHash.hash(2, 4, k0, k1, "".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x726fdb47dd0e0e31L);
    }

    @Test
    void hsiphashOfOneWordWithMhsKeysIsTheKernels() {
        long h1 = 2654435761L;
        long h2 = 2654446892L;
        assertThat(SipHash.hsiphash32(0, h1, h1)).isEqualTo(0x1d5a77c2);
        assertThat(SipHash.hsiphash32(0, h2, h2)).isEqualTo(0xf882433f);
        assertThat(SipHash.hsiphash32(1, h1, h1)).isEqualTo(0x16ec66b2);
        assertThat(SipHash.hsiphash32(1, h2, h2)).isEqualTo(0x8210aad1);
        assertThat(SipHash.hsiphash32(0xC6336407, h1, h1)).isEqualTo(0xadb98ab6); // 198.51.100.7
        assertThat(SipHash.hsiphash32(0xC6336407, h2, h2)).isEqualTo(0x54962ab3);
        // 192.0.2.1 with port 80: hashkey(addr, port) = hsiphash(port + addr)
        assertThat(MaglevHashing.hashKey(ip("192.0.2.1"), 80, h1, 0)).isEqualTo(0x7cadd839);
        assertThat(MaglevHashing.hashKey(ip("192.0.2.1"), 80, h2, 0)).isEqualTo(0x952cb340);
    }

    @Test
    void equalWeightsShareTheTableAsTheKernelFillsIt() {
        List<Destination> d = v4(1, 1, 1);
        MaglevHashing s = (MaglevHashing) mh(d);
        Map<Destination, Integer> slots = slots(s);
        assertThat(slots.get(d.get(2))).isEqualTo(1365); // the newest is first in the kernel's list
        assertThat(slots.get(d.get(1))).isEqualTo(1364);
        assertThat(slots.get(d.get(0))).isEqualTo(1364);
        // kernel list index of the first twelve slots' owners: 0 = .3, 1 = .2, 2 = .1
        int[] kernel = {2, 1, 1, 0, 0, 2, 1, 0, 0, 2, 2, 1};
        for (int i = 0; i < kernel.length; i++) assertThat(s.slotOwner(i)).isSameAs(d.get(2 - kernel[i]));
    }

    @Test
    void clientsGoWhereTheKernelSendsThem() {
        List<Destination> d = v4(1, 1, 1);
        Scheduler s = mh(d);
        assertThat(pick(s, d, "198.51.100.7", 40000)).isSameAs(d.get(0));
        assertThat(pick(s, d, "198.51.100.8", 40000)).isSameAs(d.get(2));
        assertThat(pick(s, d, "198.51.100.9", 40000)).isSameAs(d.get(0));
        assertThat(pick(s, d, "203.0.113.1", 40000)).isSameAs(d.get(2));
        assertThat(pick(s, d, "203.0.113.2", 40000)).isSameAs(d.get(2));
        assertThat(pick(s, d, "203.0.113.200", 40000)).isSameAs(d.get(1));
        // without mh-port the source port is not hashed: the same client, another port, the same server
        assertThat(pick(s, d, "198.51.100.7", 1)).isSameAs(d.get(0));
        assertThat(s.schedule(d, ip("198.51.100.7"), VIP)).isSameAs(d.get(0));
    }

    @Test
    void mhPortHashesTheSourcePort() {
        List<Destination> d = v4(1, 1, 1);
        Scheduler s = mh(d, "mh-port");
        assertThat(pick(s, d, "198.51.100.7", 40000)).isSameAs(d.get(1));
        assertThat(pick(s, d, "198.51.100.8", 40000)).isSameAs(d.get(0));
        assertThat(pick(s, d, "198.51.100.9", 40000)).isSameAs(d.get(0));
        assertThat(pick(s, d, "203.0.113.1", 40000)).isSameAs(d.get(0));
        assertThat(pick(s, d, "203.0.113.200", 40000)).isSameAs(d.get(2));
    }

    @Test
    void weightsGiveSlotsInProportionAndClientsFollowTheKernel() {
        List<Destination> d = v4(1, 2, 3);
        Scheduler s = mh(d);
        Map<Destination, Integer> slots = slots((MaglevHashing) s);
        assertThat(slots.get(d.get(2))).isEqualTo(2047);
        assertThat(slots.get(d.get(1))).isEqualTo(1364);
        assertThat(slots.get(d.get(0))).isEqualTo(682);
        assertThat(pick(s, d, "198.51.100.7", 0)).isSameAs(d.get(0));
        assertThat(pick(s, d, "198.51.100.8", 0)).isSameAs(d.get(2));
        assertThat(pick(s, d, "198.51.100.9", 0)).isSameAs(d.get(2));
        assertThat(pick(s, d, "203.0.113.200", 0)).isSameAs(d.get(1));
    }

    @Test
    void aQuiescedServerKeepsItsSlotsAndOnlyMhFallbackLooksFurther() {
        List<Destination> d = v4(1, 2, 3);
        Scheduler plain = mh(d);
        Scheduler fallback = mh(d, "mh-fallback");
        d.get(2).setWeight(0); // quiesced: last_weight stays 3, the table is unchanged
        plain.update(d);
        fallback.update(d);
        assertThat(pick(plain, d, "198.51.100.7", 0)).isSameAs(d.get(0));
        assertThat(pick(plain, d, "198.51.100.8", 0)).isNull();
        assertThat(pick(plain, d, "198.51.100.9", 0)).isNull();
        assertThat(pick(plain, d, "203.0.113.200", 0)).isSameAs(d.get(1));
        assertThat(pick(fallback, d, "198.51.100.8", 0)).isSameAs(d.get(0));
        assertThat(pick(fallback, d, "198.51.100.9", 0)).isSameAs(d.get(1));
        assertThat(pick(fallback, d, "203.0.113.1", 0)).isSameAs(d.get(0));
        assertThat(pick(fallback, d, "203.0.113.200", 0)).isSameAs(d.get(1));
    }

    @Test
    void ipv6AddressesAreFoldedAsTheKernelFoldsThem() {
        List<Destination> d = new ArrayList<>();
        d.add(new Destination(DestinationSpec.nat(new InetSocketAddress(ip("2001:db8::11"), 8080), 1)));
        d.add(new Destination(DestinationSpec.nat(new InetSocketAddress(ip("2001:db8::12"), 8080), 1)));
        Scheduler s = mh(d);
        Map<Destination, Integer> slots = slots((MaglevHashing) s);
        assertThat(slots.get(d.get(1))).isEqualTo(2047);
        assertThat(slots.get(d.get(0))).isEqualTo(2046);
        assertThat(pick(s, d, "2001:db8:1::1", 1234)).isSameAs(d.get(1));
        assertThat(pick(s, d, "2001:db8:1::2", 1234)).isSameAs(d.get(1));
        assertThat(pick(s, d, "2001:db8:1::3", 1234)).isSameAs(d.get(0));
        assertThat(pick(s, d, "2001:db8:ffff::abcd", 1234)).isSameAs(d.get(1));
        Scheduler port = mh(d, "mh-port");
        assertThat(pick(port, d, "2001:db8:1::1", 1234)).isSameAs(d.get(1));
        assertThat(pick(port, d, "2001:db8:1::2", 1234)).isSameAs(d.get(0));
        assertThat(pick(port, d, "2001:db8:1::3", 1234)).isSameAs(d.get(1));
    }

    @Test
    void noWeightNoTableAndFlagsOfOtherSchedulersAreRefused() {
        List<Destination> d = v4(0, 0);
        assertThat(pick(mh(d, "mh-fallback"), d, "198.51.100.7", 0)).isNull();
        assertThat(pick(mh(List.of()), List.of(), "198.51.100.7", 0)).isNull();
        assertThatThrownBy(() -> Schedulers.create("rr", Set.of("mh-port")))
                .hasMessageContaining("does not apply to scheduler 'rr'");
        assertThatThrownBy(() -> Schedulers.create("mh", Set.of("sh-port")))
                .hasMessageContaining("expected mh-fallback, mh-port");
    }

    /** The table and clients of the kvm suite's step 6, which asks the guest kernel the same questions. */
    @Test
    void theKernelSuitesTableGivesTheKernelSuitesAnswers() {
        List<Destination> d = new ArrayList<>();
        for (int i = 1; i <= 3; i++) d.add(new Destination(DestinationSpec.nat(new InetSocketAddress(ip("203.0.113." + i), 80), 1)));
        Scheduler plain = mh(d);
        Scheduler port = mh(d, "mh-port");
        String[][] expected = {
            {"198.51.100.7", "203.0.113.2", "203.0.113.1"},
            {"198.51.100.8", "203.0.113.1", "203.0.113.3"},
            {"198.51.100.9", "203.0.113.2", "203.0.113.2"},
            {"198.51.100.50", "203.0.113.3", "203.0.113.2"},
            {"198.51.100.77", "203.0.113.2", "203.0.113.2"},
            {"198.51.100.200", "203.0.113.3", "203.0.113.3"},
        };
        for (String[] e : expected) {
            assertThat(pick(plain, d, e[0], 12345).address().getAddress().getHostAddress()).as(e[0]).isEqualTo(e[1]);
            assertThat(pick(port, d, e[0], 40000).address().getAddress().getHostAddress()).as(e[0] + ":40000").isEqualTo(e[2]);
        }
    }

    private static Map<Destination, Integer> slots(MaglevHashing s) {
        Map<Destination, Integer> m = new HashMap<>();
        for (int i = 0; i < MaglevHashing.TABLE_SIZE; i++) m.merge(s.slotOwner(i), 1, Integer::sum);
        return m;
    }
}
