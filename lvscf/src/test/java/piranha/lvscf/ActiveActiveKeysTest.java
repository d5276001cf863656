package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import piranha.lvscf.model.DirectorMode;
import piranha.lvscf.model.Globals;
import piranha.lvscf.model.Host;

/** director_mode = active_active and its BGP keys: how they read, and each mistake located at its key. */
class ActiveActiveKeysTest {

    static LvsCfDocument read(String globals, String scheduler) {
        return LvsCfDocument.parse("lvs.cf", globals + "virtual web {\n active = 1\n address = 203.0.113.200 eth0:1\n"
                + scheduler + " server a {\n  address = 198.51.100.21\n  active = 1\n }\n}\n", HostResolver.NUMERIC_ONLY);
    }

    static String located(LvsCfDocument doc) {
        return String.join("\n", doc.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void everyKeyReadsWithItsDefaults() {
        LvsCfDocument doc = read("director_mode = active_active\nbgp_local_as = 4200000001\nbgp_peer_as = 64512\n"
                + "bgp_neighbor = [ 198.51.100.1 198.51.100.2 ]\n", " scheduler = sh\n");
        assertThat(doc.diagnostics()).isEmpty();
        Globals g = doc.config().globals();
        assertThat(g.directorMode()).isEqualTo(DirectorMode.ACTIVE_ACTIVE);
        assertThat(g.value("bgp_local_as")).isEqualTo(4_200_000_001L);
        assertThat(g.bgpNeighbors()).extracting(Host::ip).containsExactly("198.51.100.1", "198.51.100.2");
        assertThat(g.value("bgp_hold_time")).isEqualTo(3);
        assertThat(g.value("bgp_device")).isEqualTo("lo");
        assertThat(g.value("bird_socket")).isEqualTo("/run/piranha/bird.ctl");
        assertThat(g.value("bird_config")).isEqualTo("/run/piranha/bird.conf");
    }

    @Test
    void aSingleNeighbourNeedsNoBrackets() {
        LvsCfDocument doc = read("director_mode = active_active\nbgp_local_as = 64513\nbgp_peer_as = 64512\n"
                + "bgp_neighbor = 198.51.100.1\nbgp_router_id = 198.51.100.11\nbgp_hold_time = 9\n", " scheduler = sh\n");
        assertThat(doc.diagnostics()).isEmpty();
        assertThat(doc.config().globals().bgpNeighbors()).extracting(Host::ip).containsExactly("198.51.100.1");
        assertThat(doc.config().globals().value("bgp_hold_time")).isEqualTo(9);
    }

    @Test
    void pairIsTheDefaultAndBgpKeysAreIgnoredThere() {
        LvsCfDocument plain = read("", "");
        assertThat(plain.config().globals().directorMode()).isEqualTo(DirectorMode.PAIR);
        assertThat(plain.diagnostics()).isEmpty();
        assertThat(located(read("bgp_local_as = 64513\n", ""))).isEqualTo(
                "lvs.cf:1:16: warning: bgp_local_as is used only with director_mode = active_active: ignored");
    }

    @Test
    void mistakesAreLocated() {
        assertThat(located(read("director_mode = active_active\n", " scheduler = sh\n"))).contains(
                "lvs.cf:1:17: error: director_mode = active_active needs bgp_local_as: the VIPs are announced to the router with BGP",
                "needs bgp_peer_as", "needs bgp_neighbor");
        String aa = "director_mode = active_active\nbgp_local_as = 64513\nbgp_peer_as = 64512\nbgp_neighbor = 198.51.100.1\n";
        assertThat(located(read(aa.replace("64513", "4294967296"), ""))).contains(
                "lvs.cf:2:16: error: bgp_local_as: 4294967296 is out of range (1 to 4294967295)");
        assertThat(located(read(aa.replace("64512", "AS64512"), ""))).contains(
                "lvs.cf:3:15: error: bgp_peer_as: 'AS64512' is not an AS number: write 1 to 4294967295");
        assertThat(located(read(aa.replace("= 198.51.100.1", "= [ 198.51.100.1 0.0.0.0 ]"), ""))).contains(
                "lvs.cf:4:31: error: bgp_neighbor: 0.0.0.0 is not a usable address here");
        assertThat(located(read(aa + "bgp_hold_time = 1\n", " scheduler = sh\n"))).contains(
                "lvs.cf:5:17: error: bgp_hold_time: 1 is out of range (3 to 65535)");
        assertThat(located(read(aa + "bird_socket = bird.ctl\n", " scheduler = sh\n"))).contains(
                "lvs.cf:5:15: error: bird_socket must be an absolute path");
        assertThat(located(read(aa + "bgp_device = \"lo 0\"\n", " scheduler = sh\n"))).contains(
                "error: bgp_device 'lo 0' must be a device name");
    }

    @Test
    void aSchedulerThatDoesNotHashIsWarnedAbout() {
        String aa = "director_mode = active_active\nbgp_local_as = 64513\nbgp_peer_as = 64512\nbgp_neighbor = 198.51.100.1\n";
        assertThat(located(read(aa, " scheduler = wlc\n"))).isEqualTo("lvs.cf:8:14: warning: virtual 'web':"
                + " scheduler wlc chooses differently on each director: with director_mode = active_active a flow moved"
                + " to another director reaches another real server; use a hashing scheduler (sh, mh)");
        assertThat(located(read(aa, ""))).startsWith("lvs.cf:5:1: warning: virtual 'web': scheduler wlc");
        assertThat(read(aa, " scheduler = sh\n").diagnostics()).isEmpty();
        assertThat(List.of(read(aa, " scheduler = dh\n").diagnostics())).containsExactly(List.of());
    }

    @Test
    void directorPeersNameEveryDirectorInIpv4() {
        String aa = "director_mode = active_active\nbgp_local_as = 64513\nbgp_peer_as = 64512\nbgp_neighbor = 198.51.100.1\n";
        LvsCfDocument doc = read(aa + "director_peers = [ 198.51.100.11 198.51.100.12 198.51.100.13 ]\n", " scheduler = sh\n");
        assertThat(doc.diagnostics()).isEmpty();
        assertThat(doc.config().globals().directorPeers()).extracting(Host::ip)
                .containsExactly("198.51.100.11", "198.51.100.12", "198.51.100.13");
        assertThat(read(aa, " scheduler = sh\n").config().globals().directorPeers()).isEmpty();
        assertThat(located(read(aa + "director_peers = 198.51.100.11\n", " scheduler = sh\n"))).isEqualTo(
                "lvs.cf:5:18: error: director_peers names every director, this one included: at least two addresses");
        assertThat(located(read(aa + "director_peers = [ 198.51.100.11 2001:db8::12 ]\n", " scheduler = sh\n"))).contains(
                "lvs.cf:5:18: error: director_peers: 2001:db8::12 is IPv6: the directors hand IPv4 flows to each other");
        StringBuilder sixteen = new StringBuilder("director_peers = [");
        for (int i = 1; i <= 16; i++) sixteen.append(" 198.51.100.").append(10 + i);
        assertThat(located(read(aa + sixteen + " ]\n", " scheduler = sh\n"))).contains(
                "error: director_peers: 16 addresses; at most 15 (a handed packet's hop count is carried in its TTL)");
        assertThat(located(read(aa + "backend = ipvsadm\ndirector_peers = [ 198.51.100.11 198.51.100.12 ]\n", " scheduler = mh\n")))
                .isEqualTo("lvs.cf:6:18: warning: director_peers: the kernel's IPVS (backend = ipvsadm) continues a moved"
                        + " connection itself (mh, net.ipv4.vs.sloppy_tcp = 1): handing it to another director only adds hops");
        assertThat(located(read("director_peers = [ 198.51.100.11 198.51.100.12 ]\n", ""))).isEqualTo(
                "lvs.cf:1:18: warning: director_peers is used only with director_mode = active_active: ignored");
    }
}
