package piranha.dataplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import piranha.dataplane.Destination;
import piranha.dataplane.DestinationSpec;

/** Each scheduler against its IPVS definition, on destinations whose counters the test sets. */
class SchedulerTest {
    private static final InetAddress VIP = ip("192.0.2.1");

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Destination> dests(int... weights) {
        List<Destination> l = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            l.add(new Destination(DestinationSpec.nat(new InetSocketAddress(ip("10.0.0." + (i + 1)), 80), weights[i])));
        }
        return l;
    }

    private static Scheduler sched(String name, List<Destination> d) {
        Scheduler s = Schedulers.create(name);
        s.update(d);
        return s;
    }

    private static Map<Destination, Integer> count(Scheduler s, List<Destination> d, int n) {
        Map<Destination, Integer> m = new HashMap<>();
        for (int i = 0; i < n; i++) m.merge(s.schedule(d, ip("198.51.100.7"), VIP), 1, Integer::sum);
        return m;
    }

    @Test
    void rrCyclesAndSkipsQuiesced() {
        List<Destination> d = dests(1, 0, 5);
        Scheduler s = sched("rr", d);
        List<Destination> seq = new ArrayList<>();
        for (int i = 0; i < 4; i++) seq.add(s.schedule(d, ip("198.51.100.7"), VIP));
        assertThat(seq).containsExactly(d.get(0), d.get(2), d.get(0), d.get(2));
    }

    @Test
    void wrrGivesExactRatiosInterleaved() {
        List<Destination> d = dests(3, 1, 2);
        Scheduler s = sched("wrr", d);
        Map<Destination, Integer> m = count(s, d, 600);
        assertThat(m.get(d.get(0))).isEqualTo(300);
        assertThat(m.get(d.get(1))).isEqualTo(100);
        assertThat(m.get(d.get(2))).isEqualTo(200);
        // IPVS order for 3,1,2: cw=3: A; cw=2: A C; cw=1: A B C
        Scheduler t = sched("wrr", d);
        List<Destination> seq = new ArrayList<>();
        for (int i = 0; i < 6; i++) seq.add(t.schedule(d, ip("198.51.100.7"), VIP));
        assertThat(seq).containsExactly(d.get(0), d.get(0), d.get(2), d.get(0), d.get(1), d.get(2));
    }

    @Test
    void wrrFollowsWeightChangeAndAllZero() {
        List<Destination> d = dests(1, 1);
        Scheduler s = sched("wrr", d);
        d.get(0).setWeight(0);
        s.update(d);
        assertThat(count(s, d, 10)).containsOnlyKeys(d.get(1));
        d.get(1).setWeight(0);
        s.update(d);
        assertThat(s.schedule(d, ip("198.51.100.7"), VIP)).isNull();
    }

    @Test
    void lcPicksLeastOverheadIgnoringWeight() {
        List<Destination> d = dests(10, 1, 1);
        d.get(0).setConnectionCounts(2, 0); // 512
        d.get(1).setConnectionCounts(1, 300); // 556
        d.get(2).setConnectionCounts(1, 200); // 456
        assertThat(sched("lc", d).schedule(d, null, VIP)).isSameAs(d.get(2));
        d.get(2).setWeight(0);
        assertThat(sched("lc", d).schedule(d, null, VIP)).isSameAs(d.get(0));
    }

    @Test
    void wlcPicksLeastOverheadPerWeight() {
        List<Destination> d = dests(1, 3, 2);
        d.get(0).setConnectionCounts(1, 0); // 256/1
        d.get(1).setConnectionCounts(2, 0); // 512/3 = 170
        d.get(2).setConnectionCounts(2, 0); // 512/2 = 256
        assertThat(sched("wlc", d).schedule(d, null, VIP)).isSameAs(d.get(1));
        d.get(1).setWeight(0);
        assertThat(sched("wlc", d).schedule(d, null, VIP)).isSameAs(d.get(0)); // tie keeps the first
    }

    @Test
    void sedAndNq() {
        List<Destination> d = dests(1, 4);
        d.get(0).setConnectionCounts(0, 0); // sed (0+1)/1 = 1
        d.get(1).setConnectionCounts(2, 0); // sed (2+1)/4 = 0.75
        assertThat(sched("sed", d).schedule(d, null, VIP)).isSameAs(d.get(1));
        assertThat(sched("nq", d).schedule(d, null, VIP)).isSameAs(d.get(0)); // idle wins at once
        d.get(0).setConnectionCounts(1, 0); // (1+1)/1 = 2 vs 0.75
        assertThat(sched("nq", d).schedule(d, null, VIP)).isSameAs(d.get(1));
    }

    @Test
    void shAndDhChooseTheSameWhateverOrderTheDestinationsCameIn() {
        List<Destination> d = dests(1, 1, 2);
        List<Destination> reversed = new java.util.ArrayList<>(d);
        java.util.Collections.reverse(reversed);
        for (String name : List.of("sh", "dh")) {
            Scheduler inOrder = sched(name, d);
            Scheduler backwards = sched(name, reversed);
            for (int i = 0; i < 512; i++) {
                InetAddress c = ip("203.0." + (113 + i / 256) + "." + (i % 256));
                assertThat(backwards.schedule(reversed, c, c)).as(name + " for " + c)
                        .isSameAs(inOrder.schedule(d, c, c));
            }
        }
    }

    @Test
    void shIsStablePerClientAndFollowsWeights() {
        List<Destination> d = dests(1, 3);
        Scheduler s = sched("sh", d);
        Map<Destination, Integer> m = new HashMap<>();
        for (int i = 0; i < 1024; i++) {
            InetAddress c = ip("198.51." + (i / 256) + "." + (i % 256));
            Destination first = s.schedule(d, c, VIP);
            for (int k = 0; k < 3; k++) assertThat(s.schedule(d, c, VIP)).isSameAs(first);
            m.merge(first, 1, Integer::sum);
        }
        // 64 of 256 buckets vs 192: about 1:3 over many clients
        assertThat(m.get(d.get(1))).isBetween(600, 930);
        // Its bucket owner quiesced: no destination for that client (IPVS sh without fallback).
        InetAddress c = ip("198.51.100.7");
        Destination owner = s.schedule(d, c, VIP);
        owner.setWeight(0);
        assertThat(s.schedule(d, c, VIP)).isNull();
    }

    @Test
    void dhMapsADestinationAddressToOneServer() {
        List<Destination> d = dests(1, 1, 1, 1);
        Scheduler s = sched("dh", d);
        Set<Destination> forVip = new HashSet<>();
        for (int i = 0; i < 50; i++) forVip.add(s.schedule(d, ip("198.51.100." + i), VIP));
        assertThat(forVip).hasSize(1);
        Set<Destination> overDaddrs = new HashSet<>();
        for (int i = 0; i < 64; i++) overDaddrs.add(s.schedule(d, ip("198.51.100.7"), ip("203.0.113." + i)));
        assertThat(overDaddrs).hasSize(4);
    }

    @Test
    void lblcSticksUntilOverloaded() {
        List<Destination> d = dests(2, 2);
        Scheduler s = sched("lblc", d);
        Destination first = s.schedule(d, null, VIP);
        assertThat(first).isSameAs(d.get(0));
        first.setConnectionCounts(2, 0); // at its weight: not overloaded
        assertThat(s.schedule(d, null, VIP)).isSameAs(first);
        first.setConnectionCounts(3, 0); // above weight while the other is idle: overloaded
        assertThat(s.schedule(d, null, VIP)).isSameAs(d.get(1));
        assertThat(s.schedule(d, null, VIP)).isSameAs(d.get(1));
    }

    @Test
    void lblcrReplicatesWhenOverloaded() {
        List<Destination> d = dests(2, 2, 2);
        Scheduler s = sched("lblcr", d);
        assertThat(s.schedule(d, null, VIP)).isSameAs(d.get(0));
        d.get(0).setConnectionCounts(3, 0);
        Destination second = s.schedule(d, null, VIP);
        assertThat(second).isNotSameAs(d.get(0));
        // the set now holds both; the least loaded member is chosen
        second.setConnectionCounts(2, 0);
        d.get(0).setConnectionCounts(1, 0);
        assertThat(s.schedule(d, null, VIP)).isSameAs(d.get(0));
    }

    @Test
    void everyNameExistsAndUnknownIsRefused() {
        for (String n : Schedulers.NAMES) assertThat(Schedulers.create(n).name()).isEqualTo(n);
        assertThatThrownBy(() -> Schedulers.create("fifo"))
                .hasMessageContaining("unknown scheduler 'fifo'").hasMessageContaining("wlc");
    }

    @Test
    void foSendsEverythingToTheHighestWeightAvailableFirstOfEquals() {
        List<Destination> d = dests(2, 5, 5, 0);
        assertThat(count(sched("fo", d), d, 10)).containsOnlyKeys(d.get(1));
        d.get(1).setWeight(0);
        assertThat(sched("fo", d).schedule(d, null, VIP)).isSameAs(d.get(2));
        d.get(2).setWeight(0);
        d.get(0).setWeight(0);
        assertThat(sched("fo", d).schedule(d, null, VIP)).isNull();
    }

    @Test
    void ovfFillsTheHeaviestUpToItsWeightThenOverflows() {
        List<Destination> d = dests(2, 3);
        Scheduler s = sched("ovf", d);
        d.get(1).setConnectionCounts(3, 0);
        assertThat(s.schedule(d, null, VIP)).as("3 active, weight 3: not over yet").isSameAs(d.get(1));
        d.get(1).setConnectionCounts(4, 0);
        assertThat(s.schedule(d, null, VIP)).isSameAs(d.get(0));
        d.get(0).setConnectionCounts(3, 0);
        assertThat(s.schedule(d, null, VIP)).isNull();
    }

    @Test
    void twosTakesTheLessLoadedOfTwoWeightedDraws() {
        List<Destination> d = dests(1, 3, 0);
        int[] draws = {0, 1, 3, 0};
        int[] next = {0};
        WeightedTwoChoices s = new WeightedTwoChoices(bound -> {
            assertThat(bound).isEqualTo(4);
            return draws[next[0]++];
        });
        d.get(0).setConnectionCounts(1, 0);
        d.get(1).setConnectionCounts(2, 0);
        // draw 0 -> d0 (1 conn / 1), draw 1 -> d1 (2 conns / 3): d1 is less loaded
        assertThat(s.schedule(d, null, VIP)).isSameAs(d.get(1));
        // draw 3 -> d1, draw 0 -> d0: d0 is not strictly less loaded than d1? 1/1 > 2/3: d1 stays
        assertThat(s.schedule(d, null, VIP)).isSameAs(d.get(1));
        assertThat(count(sched("twos", d), d, 50)).doesNotContainKey(d.get(2));
    }
}
