package piranha.lvsd.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import piranha.dataplane.DestinationStats;
import piranha.dataplane.ForwardingMethod;
import piranha.dataplane.Protocol;
import piranha.dataplane.ServiceKey;
import piranha.lvsd.backend.ipvsadm.IpvsadmSave;
import piranha.lvsd.table.Table;
import piranha.lvsd.testing.Ipvs;

/** Reads what ipvsadm 1.31 printed on a 6.1 kernel (recorded verbatim in a kvmlab guest). */
class IpvsadmSaveTest {
    private static final ServiceKey WEB = Ipvs.key(Protocol.TCP, "198.51.100.10", 80);

    /** {@code ipvsadm -S -n}: sorted, tunnels with {@code --tun-type}, no /32 mask, ports filled in. */
    static final String SAVE = """
            -A -t 198.51.100.10:80 -s rr
            -a -t 198.51.100.10:80 -r 203.0.113.5:8080 -m -w 3
            -a -t 198.51.100.10:80 -r 203.0.113.6:80 -g -w 0
            -a -t 198.51.100.10:80 -r 203.0.113.7:80 -i -w 2 --tun-type ipip
            -a -t 198.51.100.10:80 -r 203.0.113.8:80 -g -w 1
            -A -t 198.51.100.10:443 -s rr -p 60 -M 255.255.255.0
            -A -t 198.51.100.10:445 -s sh -p 30
            -A -u 198.51.100.10:53 -s rr
            -a -u 198.51.100.10:53 -r 203.0.113.5:53 -m -w 65535
            -A -f 8 -s rr -p 20 -M 255.255.0.0
            -a -f 8 -r 203.0.113.6:0 -g -w 1
            """;

    /** {@code ipvsadm -L -n}, trailing blanks included. */
    static final String LIST = """
            IP Virtual Server version 1.2.1 (size=4096)
            Prot LocalAddress:Port Scheduler Flags
              -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
            TCP  198.51.100.10:80 rr
              -> 203.0.113.5:8080             Masq    3      4          17        \s
              -> 203.0.113.7:80               Tunnel  2      0          0         \s
            TCP  198.51.100.10:443 rr persistent 60 mask 255.255.255.0
            FWM  8 rr persistent 20 mask 255.255.0.0
              -> 203.0.113.6:0                Route   1      1          2         \s
            """;

    @Test
    void readsTheKernelsSaveFormat() {
        ServiceKey https = Ipvs.key(Protocol.TCP, "198.51.100.10", 443);
        ServiceKey sh = Ipvs.key(Protocol.TCP, "198.51.100.10", 445);
        ServiceKey dns = Ipvs.key(Protocol.UDP, "198.51.100.10", 53);
        ServiceKey mark = ServiceKey.fwmark(8);
        Table expected = new Table.Builder()
                .service(Ipvs.spec(WEB, "rr", 0, null))
                .destination(WEB, Ipvs.destination("203.0.113.5", 8080, ForwardingMethod.MASQ, 3))
                .destination(WEB, Ipvs.destination("203.0.113.6", 80, ForwardingMethod.ROUTE, 0))
                .destination(WEB, Ipvs.destination("203.0.113.7", 80, ForwardingMethod.TUNNEL, 2))
                .destination(WEB, Ipvs.destination("203.0.113.8", 80, ForwardingMethod.ROUTE, 1))
                .service(Ipvs.spec(https, "rr", 60, "255.255.255.0"))
                .service(Ipvs.spec(sh, "sh", 30, null))
                .service(Ipvs.spec(dns, "rr", 0, null))
                .destination(dns, Ipvs.destination("203.0.113.5", 53, ForwardingMethod.MASQ, 65535))
                .service(Ipvs.spec(mark, "rr", 20, "255.255.0.0"))
                .destination(mark, Ipvs.destination("203.0.113.6", 0, ForwardingMethod.ROUTE, 1))
                .build();
        assertThat(IpvsadmSave.parse(SAVE)).isEqualTo(expected);
    }

    @Test
    void aBarePersistentIs360Seconds() {
        Table t = IpvsadmSave.parse("-A -t 198.51.100.10:80 -s rr -p\n");
        assertThat(t.get(WEB).spec().persistentSeconds()).isEqualTo(360);
    }

    @Test
    void readsConnectionCountsOfTheKernelsList() {
        Map<ServiceKey, Map<String, DestinationStats>> c = IpvsadmSave.connections(LIST);
        assertThat(c).containsOnlyKeys(WEB, Ipvs.key(Protocol.TCP, "198.51.100.10", 443), ServiceKey.fwmark(8));
        assertThat(c.get(WEB).get("203.0.113.5:8080").activeConns()).isEqualTo(4);
        assertThat(c.get(WEB).get("203.0.113.5:8080").inactiveConns()).isEqualTo(17);
        assertThat(c.get(WEB)).containsOnlyKeys("203.0.113.5:8080", "203.0.113.7:80");
        assertThat(c.get(ServiceKey.fwmark(8)).get("203.0.113.6:0").inactiveConns()).isEqualTo(2);
    }

    @Test
    void readsIpv6ServicesWithBracketsAndAPrefixLengthMask() {
        ServiceKey web6 = Ipvs.key(Protocol.TCP, "2001:db8::10", 80);
        ServiceKey dns6 = Ipvs.key(Protocol.UDP, "2001:db8::10", 53);
        Table t = IpvsadmSave.parse("""
                -A -t [2001:db8::10]:80 -s rr -p 60 -M 64
                -a -t [2001:db8::10]:80 -r [2001:db8::21]:80 -g -w 1
                -a -t [2001:db8::10]:80 -r [2001:db8::22]:8080 -m -w 2
                -A -u [2001:db8::10]:53 -s rr
                -a -u [2001:db8::10]:53 -r [2001:db8::21]:53 -m -w 1
                """);
        Table expected = new Table.Builder()
                .service(Ipvs.spec(web6, "rr", 60, "ffff:ffff:ffff:ffff::"))
                .destination(web6, Ipvs.destination("2001:db8::21", 80, ForwardingMethod.ROUTE, 1))
                .destination(web6, Ipvs.destination("2001:db8::22", 8080, ForwardingMethod.MASQ, 2))
                .service(Ipvs.spec(dns6, "rr", 0, null))
                .destination(dns6, Ipvs.destination("2001:db8::21", 53, ForwardingMethod.MASQ, 1))
                .build();
        assertThat(t).isEqualTo(expected);
        assertThat(t.get(web6).destinations()).containsOnlyKeys("[2001:db8::21]:80", "[2001:db8::22]:8080");
        assertThat(IpvsadmSave.parse("-A -t [2001:db8::10]:80 -s rr -p 60 -M 128\n").get(web6).spec().pmask())
                .as("128 is no mask").isNull();
    }

    @Test
    void theCommandsForAnIpv6ServiceBracketEveryAddress() {
        ServiceKey web6 = Ipvs.key(Protocol.TCP, "2001:db8::10", 80);
        piranha.dataplane.IpvsadmArgs args = piranha.dataplane.IpvsadmArgs.INSTANCE;
        assertThat(piranha.dataplane.IpvsadmArgs.line(args.addService(Ipvs.spec(web6, "rr", 60, "ffff:ffff:ffff:ffff::"))))
                .isEqualTo("-A -t [2001:db8::10]:80 -s rr -p 60 -M 64");
        assertThat(piranha.dataplane.IpvsadmArgs.line(args.addDestination(web6, Ipvs.destination("2001:db8::21", 80, ForwardingMethod.ROUTE, 1))))
                .isEqualTo("-a -t [2001:db8::10]:80 -r [2001:db8::21]:80 -g -w 1");
        assertThat(piranha.dataplane.IpvsadmArgs.line(args.deleteDestination(web6, new java.net.InetSocketAddress(
                piranha.dataplane.Addresses.parseAddress("2001:db8::21"), 80))))
                .isEqualTo("-d -t [2001:db8::10]:80 -r [2001:db8::21]:80");
        assertThat(web6.ipvsadm()).isEqualTo("-t [2001:db8::10]:80");
    }

    @Test
    void readsConnectionCountsOfIpv6Servers() {
        ServiceKey web6 = Ipvs.key(Protocol.TCP, "2001:db8::10", 80);
        Map<ServiceKey, Map<String, DestinationStats>> c = IpvsadmSave.connections("""
                IP Virtual Server version 1.2.1 (size=4096)
                Prot LocalAddress:Port Scheduler Flags
                  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
                TCP  [2001:db8::10]:80 rr
                  -> [2001:db8::21]:80            Route   1      5          9
                """);
        assertThat(c.get(web6)).containsOnlyKeys("[2001:db8::21]:80");
        assertThat(c.get(web6).get("[2001:db8::21]:80").activeConns()).isEqualTo(5);
    }

    @Test
    void readsMhsSchedulerFlagsInBothSpellings() {
        Table t = IpvsadmSave.parse("-A -t 198.51.100.10:80 -s mh -b mh-fallback,mh-port\n-A -t 198.51.100.10:81 -s mh -b flag-2\n"
                + "-A -t 198.51.100.10:82 -s sh -b sh-port\n");
        assertThat(t.services().get(WEB).spec().schedulerFlags()).containsExactly("mh-fallback", "mh-port");
        assertThat(t.services().get(Ipvs.key(Protocol.TCP, "198.51.100.10", 81)).spec().schedulerFlags()).containsExactly("mh-port");
        assertThat(t.services().get(Ipvs.key(Protocol.TCP, "198.51.100.10", 82)).spec().schedulerFlags()).isEmpty();
    }
}
