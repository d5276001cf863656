package piranha.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** UDP over IPv6 on ::1: flows scheduled over IPv6 real servers, persistence by an IPv6 prefix. */
class Ipv6Test {
    private static final InetAddress LOOPBACK = Addresses.parseAddress("::1");

    private static String ask(DatagramSocket s, InetSocketAddress vip, String msg) throws Exception {
        byte[] b = msg.getBytes(StandardCharsets.US_ASCII);
        s.send(new DatagramPacket(b, b.length, vip));
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        assertThat(p.getSocketAddress()).isEqualTo(vip);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII).split(" ")[0];
    }

    private static DatagramSocket client() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        s.setSoTimeout(5000);
        return s;
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return probe.getLocalPort();
        }
    }

    private static String[] twoClients(Lab lab, ServiceSpec spec) throws Exception {
        try (UdpEchoServer rs1 = new UdpEchoServer("rs1", new InetSocketAddress(LOOPBACK, 0));
                UdpEchoServer rs2 = new UdpEchoServer("rs2", new InetSocketAddress(LOOPBACK, 0))) {
            lab.await(lab.dp.addService(spec));
            lab.await(lab.dp.addDestination(spec.key(), DestinationSpec.nat(rs1.address(), 1)));
            lab.await(lab.dp.addDestination(spec.key(), DestinationSpec.nat(rs2.address(), 1)));
            try (DatagramSocket a = client(); DatagramSocket b = client()) {
                return new String[] {ask(a, spec.key().socketAddress(), "1"), ask(b, spec.key().socketAddress(), "1")};
            } finally {
                lab.await(lab.dp.deleteService(spec.key()));
            }
        }
    }

    @Test
    void roundRobinSpreadsIpv6FlowsAndAV6PrefixKeepsOneClientNetworkOnOneServer() throws Exception {
        try (Lab lab = new Lab()) {
            ServiceKey plain = ServiceKey.udp(LOOPBACK, freeUdpPort());
            String[] rr = twoClients(lab, new ServiceSpec(plain, "rr", 0, null, 0));
            assertThat(rr[0]).isNotEqualTo(rr[1]);
            assertThat(plain.toString()).isEqualTo("UDP [::1]:" + plain.port());

            ServiceKey sticky = ServiceKey.udp(LOOPBACK, freeUdpPort());
            String[] persistent = twoClients(lab, new ServiceSpec(sticky, "rr", 60, Addresses.netmask(64, 16), 0));
            assertThat(persistent[0]).as("both clients are in ::/64").isEqualTo(persistent[1]);
        }
    }
}
