package piranha.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** persistent / pmask: a client (or its masked network) sticks to its real server. */
class PersistenceTest {

    private static Lab persistentLab(int seconds, InetAddress pmask, EchoServer[] out, DataplaneOptions o)
            throws Exception {
        Lab lab = new Lab(o);
        out[0] = lab.realServer("rs1");
        out[1] = lab.realServer("rs2");
        lab.await(lab.dp.addService(ServiceSpec.of(lab.tcp(), "rr").persistent(seconds, pmask)));
        for (EchoServer r : out) lab.await(lab.dp.addDestination(lab.tcp(), DestinationSpec.nat(r.address(), 1)));
        return lab;
    }

    @Test
    void withoutPersistenceRrAlternatesForOneClient() throws Exception {
        try (Lab lab = new Lab()) {
            lab.service("rr", lab.realServer("rs1"), lab.realServer("rs2"));
            InetAddress a = lab.clientAddress();
            assertThat(lab.whoAnswers(a)).isNotEqualTo(lab.whoAnswers(a));
        }
    }

    @Test
    void eachClientSticksToItsServer() throws Exception {
        EchoServer[] rs = new EchoServer[2];
        try (Lab lab = persistentLab(300, null, rs, new DataplaneOptions())) {
            InetAddress a = lab.clientAddress();
            InetAddress b = lab.clientAddress();
            String sa = lab.whoAnswers(a);
            String sb = lab.whoAnswers(b);
            assertThat(sa).isNotEqualTo(sb); // rr placed the two clients on different servers
            for (int i = 0; i < 5; i++) {
                assertThat(lab.whoAnswers(a)).isEqualTo(sa);
                assertThat(lab.whoAnswers(b)).isEqualTo(sb);
            }
        }
    }

    @Test
    void pmaskMakesANetworkStickTogether() throws Exception {
        EchoServer[] rs = new EchoServer[2];
        try (Lab lab = persistentLab(300, InetAddress.getByName("255.255.255.0"), rs, new DataplaneOptions())) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 8; i++) seen.add(lab.whoAnswers(lab.clientAddress())); // all in one /24
            assertThat(seen).hasSize(1);
        }
    }

    @Test
    void templateExpiresAfterTheTimeoutOnceIdle() throws Exception {
        EchoServer[] rs = new EchoServer[2];
        try (Lab lab = persistentLab(1, null, rs, new DataplaneOptions())) {
            InetAddress a = lab.clientAddress();
            String first = lab.whoAnswers(a);
            assertThat(lab.whoAnswers(a)).isEqualTo(first);
            // While a connection it placed is open, the template does not expire.
            try (Lab.Conn open = lab.connect(a)) {
                assertThat(open.greeting()).isEqualTo(first);
                Thread.sleep(1500);
                assertThat(lab.whoAnswers(a)).isEqualTo(first);
            }
            Thread.sleep(2500);
            // rr has moved on since: the client is scheduled afresh and lands on the other server
            assertThat(lab.whoAnswers(a)).isNotEqualTo(first);
        }
    }

    @Test
    void quiescedServerKeepsPersistentClientsUnlessExpireQuiescentTemplate() throws Exception {
        for (boolean expireQuiescent : new boolean[] {false, true}) {
            EchoServer[] rs = new EchoServer[2];
            DataplaneOptions o = new DataplaneOptions().setExpireQuiescentTemplate(expireQuiescent);
            try (Lab lab = persistentLab(300, null, rs, o)) {
                InetAddress a = lab.clientAddress();
                String first = lab.whoAnswers(a);
                EchoServer pinned = first.equals("rs1") ? rs[0] : rs[1];
                lab.await(lab.dp.editDestination(lab.tcp(), DestinationSpec.nat(pinned.address(), 0)));
                String after = lab.whoAnswers(a);
                if (expireQuiescent) assertThat(after).isNotEqualTo(first);
                else assertThat(after).isEqualTo(first); // IPVS default: the template still holds
                // a new client never goes to the quiesced server
                assertThat(lab.whoAnswers(lab.clientAddress())).isNotEqualTo(first);
            }
        }
    }

    @Test
    void removedServerReleasesItsClients() throws Exception {
        EchoServer[] rs = new EchoServer[2];
        try (Lab lab = persistentLab(300, null, rs, new DataplaneOptions())) {
            InetAddress a = lab.clientAddress();
            String first = lab.whoAnswers(a);
            EchoServer pinned = first.equals("rs1") ? rs[0] : rs[1];
            lab.await(lab.dp.deleteDestination(lab.tcp(), pinned.address()));
            assertThat(lab.whoAnswers(a)).isNotEqualTo(first);
        }
    }
}
