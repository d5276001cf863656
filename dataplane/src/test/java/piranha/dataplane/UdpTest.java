package piranha.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** UDP services: one flow per client address:port, replies from VIP:port, udp timeout. */
class UdpTest {

    private static String ask(DatagramSocket s, Lab lab, String msg) throws Exception {
        byte[] b = msg.getBytes(StandardCharsets.US_ASCII);
        s.send(new DatagramPacket(b, b.length, new InetSocketAddress(lab.vip, lab.port)));
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        // the answer must come from the VIP:port the client spoke to
        assertThat(p.getSocketAddress()).isEqualTo(new InetSocketAddress(lab.vip, lab.port));
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
    }

    private static DatagramSocket client(Lab lab) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(lab.clientAddress(), 0));
        s.setSoTimeout(5000);
        return s;
    }

    @Test
    void flowsStickAndIdleOut() throws Exception {
        try (Lab lab = new Lab()) {
            UdpEchoServer rs1 = lab.udpRealServer("rs1");
            UdpEchoServer rs2 = lab.udpRealServer("rs2");
            lab.await(lab.dp.addService(ServiceSpec.of(lab.udp(), "rr")));
            lab.await(lab.dp.addDestination(lab.udp(), DestinationSpec.nat(rs1.address(), 1)));
            lab.await(lab.dp.addDestination(lab.udp(), DestinationSpec.nat(rs2.address(), 1)));
            try (DatagramSocket a = client(lab); DatagramSocket b = client(lab)) {
                String ra = ask(a, lab, "1").split(" ")[0];
                String rb = ask(b, lab, "1").split(" ")[0];
                assertThat(ra).isNotEqualTo(rb);
                for (int i = 0; i < 5; i++) {
                    assertThat(ask(a, lab, "x" + i)).isEqualTo(ra + " x" + i);
                    assertThat(ask(b, lab, "y" + i)).isEqualTo(rb + " y" + i);
                }
                UdpEchoServer sa = ra.equals("rs1") ? rs1 : rs2;
                assertThat(sa.peers).hasSize(1); // one flow, one source port towards the real server
                DestinationStats st = lab.stats(lab.udp(), sa.address());
                assertThat(st.conns()).isEqualTo(1);
                assertThat(st.inactiveConns()).isEqualTo(1); // IPVS counts UDP as InActConn
                assertThat(st.inPackets()).isEqualTo(6);
                assertThat(st.outPackets()).isEqualTo(6);
                assertThat(st.inBytes()).isEqualTo(1 + 5 * 2);

                lab.await(lab.dp.setTimeouts(new Timeouts(0, 0, 1)));
                Lab.waitFor("flows idle out", () -> lab.dp.openConnections() == 0);
                ask(a, lab, "again");
                assertThat(lab.stats(lab.udp(), sa.address()).conns()
                        + lab.stats(lab.udp(), (sa == rs1 ? rs2 : rs1).address()).conns()).isEqualTo(3);
            }
        }
    }

    @Test
    void udpSorryServerAndQuiesce() throws Exception {
        try (Lab lab = new Lab()) {
            UdpEchoServer rs1 = lab.udpRealServer("rs1");
            UdpEchoServer sorry = lab.udpRealServer("sorry");
            lab.await(lab.dp.addService(ServiceSpec.of(lab.udp(), "wlc")));
            lab.await(lab.dp.addDestination(lab.udp(), DestinationSpec.nat(rs1.address(), 0)));
            lab.await(lab.dp.addDestination(lab.udp(), DestinationSpec.sorry(sorry.address())));
            try (DatagramSocket a = client(lab)) {
                assertThat(ask(a, lab, "hi")).isEqualTo("sorry hi");
            }
            lab.await(lab.dp.editDestination(lab.udp(), DestinationSpec.nat(rs1.address(), 1)));
            try (DatagramSocket a = client(lab)) {
                assertThat(ask(a, lab, "hi")).isEqualTo("rs1 hi");
            }
        }
    }
}
