package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import piranha.dataplane.DestinationSpec;
import piranha.dataplane.ForwardingMethod;
import piranha.dataplane.Protocol;
import piranha.dataplane.ServiceKey;
import piranha.lvscf.HostResolver;
import piranha.lvscf.LvsCfDocument;
import piranha.lvsd.table.Table;
import piranha.lvsd.table.TableDiff;
import piranha.lvsd.table.TableOp;
import piranha.lvsd.testing.Ipvs;

/** A reload plans only the blocks a re-read did not take over, and diffs only their services. */
class PlannerTest {

    private static String config(String network, int serial, int weightOfLast) {
        StringBuilder sb = new StringBuilder("serial_no = " + serial + "\nprimary = 198.51.100.11\nnetwork = " + network + "\n");
        for (int v = 0; v < 3; v++) {
            sb.append("virtual v").append(v).append(" {\n active = 1\n address = 198.51.100.10 eth0:1\n port = ").append(80 + v)
                    .append("\n timeout = 5\n server a {\n  address = 127.0.0.").append(v + 1).append("\n  active = 1\n  weight = ")
                    .append(v == 2 ? weightOfLast : 1).append("\n }\n}\n");
        }
        return sb.toString();
    }

    private static LvsCfDocument read(String text) {
        return LvsCfDocument.parse("lvs.cf", text.getBytes(StandardCharsets.UTF_8), HostResolver.NUMERIC_ONLY);
    }

    @Test
    void unchangedBlocksKeepTheirPlannedServices() {
        Planner planner = new Planner();
        LvsCfDocument first = read(config("nat", 1, 1));
        Plan before = planner.plan(first.config());
        // serial_no changes with every write from the GUI: it does not make every block new.
        LvsCfDocument next = first.reread(config("nat", 2, 5).getBytes(StandardCharsets.UTF_8));
        Plan after = planner.plan(next.config());
        assertThat(after).isEqualTo(Plan.from(read(config("nat", 2, 5)).config()));
        assertThat(after.services().get(0)).isSameAs(before.services().get(0));
        assertThat(after.services().get(1)).isSameAs(before.services().get(1));
        assertThat(after.services().get(2)).isNotEqualTo(before.services().get(2));
    }

    @Test
    void aChangedForwardingMethodPlansEveryBlockAgain() {
        Planner planner = new Planner();
        LvsCfDocument first = read(config("nat", 1, 1));
        Plan before = planner.plan(first.config());
        Plan after = planner.plan(first.reread(config("direct", 1, 1).getBytes(StandardCharsets.UTF_8)).config());
        assertThat(after).isEqualTo(Plan.from(read(config("direct", 1, 1)).config()));
        for (int i = 0; i < 3; i++) {
            assertThat(after.services().get(i).servers().values().iterator().next().destination().method()).isEqualTo(ForwardingMethod.ROUTE);
            assertThat(after.services().get(i)).isNotEqualTo(before.services().get(i));
        }
    }

    @Test
    void aDiffOfSomeServicesIsTheWholeDiffWhenTheOthersAreAsWanted() {
        ServiceKey a = Ipvs.key(Protocol.TCP, "198.51.100.10", 80);
        ServiceKey b = Ipvs.key(Protocol.TCP, "198.51.100.10", 81);
        ServiceKey c = Ipvs.key(Protocol.UDP, "198.51.100.10", 53);
        DestinationSpec d1 = Ipvs.destination("127.0.0.1", 80, ForwardingMethod.MASQ, 1);
        DestinationSpec d2 = Ipvs.destination("127.0.0.2", 80, ForwardingMethod.MASQ, 1);
        Table current = new Table.Builder().service(Ipvs.spec(a, "wlc", 0, null)).destination(a, d1).destination(a, d2)
                .service(Ipvs.spec(b, "wlc", 0, null)).destination(b, d1).build();
        Table desired = new Table.Builder().service(Ipvs.spec(a, "rr", 0, null)).destination(a, d1.withWeight(3))
                .service(Ipvs.spec(c, "wlc", 0, null)).destination(c, d2).build();
        List<TableOp> whole = TableDiff.between(current, desired);
        assertThat(TableDiff.between(current, desired, List.of(a, b, c))).isEqualTo(whole);
        assertThat(TableDiff.between(current, desired, List.of(a))).containsExactly(
                new TableOp.DeleteDestination(a, d2), new TableOp.EditService(Ipvs.spec(a, "rr", 0, null)),
                new TableOp.EditDestination(a, d1.withWeight(3)));
        assertThat(current.with(desired, List.of(a, b, c))).isEqualTo(desired);
        assertThat(current.with(desired, List.of(b)).services().keySet()).containsExactly(a);
    }

    @Test
    void mhFlagsBecomeIpvsadmsSchedFlags() {
        String cf = "primary = 198.51.100.11\nvirtual web {\n active = 1\n address = 198.51.100.10 eth0:1\n port = 80\n"
                + " scheduler = mh\n mh_fallback = 1\n mh_port = 1\n server a {\n  address = 127.0.0.1\n  active = 1\n }\n}\n";
        LvsCfDocument doc = read(cf);
        assertThat(doc.errors()).isEmpty();
        piranha.dataplane.ServiceSpec spec = Plan.from(doc.config()).services().get(0).spec();
        assertThat(spec.schedulerFlags()).containsExactly("mh-fallback", "mh-port");
        assertThat(piranha.dataplane.IpvsadmArgs.INSTANCE.addService(spec))
                .containsExactly("-A", "-t", "198.51.100.10:80", "-s", "mh", "-b", "mh-fallback,mh-port");
        // the flags belong to mh: with another scheduler they plan nothing
        LvsCfDocument rr = read(cf.replace("scheduler = mh", "scheduler = rr"));
        assertThat(Plan.from(rr.config()).services().get(0).spec().schedulerFlags()).isEmpty();
    }
}
