package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import piranha.lvscf.model.Globals;
import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.Network;
import piranha.lvscf.model.Protocol;
import piranha.lvscf.model.RealServer;
import piranha.lvscf.model.Scheduler;
import piranha.lvscf.model.ServiceMode;
import piranha.lvscf.model.VirtualService;

/** What each real-world file means, with Piranha's defaults and implicit rules. */
class FixtureMeaningTest {

    private static LvsConfig config(String name) {
        return Fixtures.parse(name).config();
    }

    @Test
    void upstreamSample() {
        LvsConfig c = config("sample-nat-fwmark-failover-scsi.cf");
        Globals g = c.globals();
        assertThat(g.service()).isEqualTo(ServiceMode.LVS);
        assertThat(g.primary().get().ip()).isEqualTo("207.175.44.150");
        assertThat(g.primaryPrivate().get().ip()).isEqualTo("10.11.12.1");
        assertThat(g.backupPrivate().get().ip()).isEqualTo("10.11.12.2");
        assertThat(g.backupActive()).isTrue();
        assertThat(g.heartbeatPort()).isEqualTo(1050);
        assertThat(g.keepalive()).isEqualTo(Duration.ofSeconds(6));
        assertThat(g.deadtime()).isEqualTo(Duration.ofSeconds(18));
        assertThat(g.network()).isEqualTo(Network.NAT);
        assertThat(g.natRouter().get().toString()).isEqualTo("192.168.10.100 eth1:1");
        assertThat(g.natNmask().get().getHostAddress()).isEqualTo("255.255.255.255");
        assertThat(g.rshCommand()).isEqualTo("rsh");

        assertThat(c.virtuals()).hasSize(2);
        VirtualService s1 = c.virtuals().get(0);
        assertThat(s1.name()).isEqualTo("server1");
        assertThat(s1.active()).isTrue();
        assertThat(s1.port()).as("port = http").isEqualTo(80);
        assertThat(s1.fwmark()).isEqualTo(100);
        assertThat(s1.ipvsService()).isEqualTo("-f 100");
        assertThat(s1.persistent()).isEqualTo(60);
        assertThat(s1.pmask()).as("255.255.255.255 means no pmask").isEmpty();
        assertThat(s1.sorryServer()).as("commented out").isEmpty();
        assertThat(s1.send()).contains("GET / HTTP/1.0\\r\\n\\r\\n");
        assertThat(s1.loadMonitor()).isEqualTo("uptime");
        assertThat(s1.timeout()).isEqualTo(5);
        assertThat(s1.reentry()).isEqualTo(10);
        assertThat(s1.servers()).extracting(RealServer::endpoint).containsExactly("192.168.10.2:80", "192.168.10.3:80");
        assertThat(s1.servers()).extracting(RealServer::weight).containsExactly(1, 1);

        VirtualService s2 = c.virtuals().get(1);
        assertThat(s2.active()).isFalse();
        assertThat(s2.port()).isEqualTo(21);
        assertThat(s2.send()).contains("\\n");
        assertThat(s2.expect()).isEmpty();
        assertThat(s2.servers()).extracting(RealServer::port).as("inherit port 21").containsExactly(21, 21);
        assertThat(s2.servers()).extracting(RealServer::weight).as("default weight").containsExactly(1, 1);

        assertThat(c.failovers()).extracting(VirtualService::name).containsExactly("web1", "ftp");
        assertThat(c.failovers().get(0).explicitValues().get("start_cmd")).isEqualTo("/etc/rc.d/init.d/httpd start");
        assertThat(c.activeVirtuals()).hasSize(1);
    }

    @Test
    void forkLiveConfigWithoutAddressOrServers() {
        LvsConfig c = config("direct-vpn443-no-address-no-servers.cf");
        Globals g = c.globals();
        assertThat(g.primary()).isEmpty();
        assertThat(g.primaryPrivate()).isEmpty();
        assertThat(g.backup()).isEmpty();
        assertThat(g.backupActive()).isFalse();
        assertThat(g.activeCmd()).contains("/etc/sysconfig/ha/active.sh");
        assertThat(g.monitorLinks()).isTrue();
        assertThat(g.syncdaemon()).isTrue();
        VirtualService v = c.virtuals().get(0);
        assertThat(v.active()).as("inactive unless active = 1").isFalse();
        assertThat(v.address()).isEmpty();
        assertThat(v.port()).isEqualTo(443);
        assertThat(v.scheduler()).isEqualTo(Scheduler.RR);
        assertThat(v.quiesceServer()).isTrue();
        assertThat(v.expect()).contains("HTTP/1.1 200 OK");
        assertThat(v.servers()).isEmpty();
    }

    @Test
    void twoVirtualsOneWithDoubleSpacedPort() {
        LvsConfig c = config("direct-vpn443-vpn80-no-servers.cf");
        assertThat(c.virtuals()).extracting(VirtualService::port).containsExactly(443, 80);
        assertThat(c.activeVirtuals()).isEmpty();
    }

    @Test
    void primaryEqualsBackupIsAnErrorButTheFileStillReads() {
        LvsCfDocument doc = Fixtures.parse("nat-two-servers-duplicate-names.cf");
        assertThat(doc.errors()).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(7);
            assertThat(d.message()).contains("same address as primary");
        });
        LvsConfig c = doc.config();
        assertThat(c.globals().primary().get().ip()).isEqualTo("192.168.1.20");
        assertThat(c.globals().natRouter().get().device()).isEqualTo("eth1:1");
        assertThat(c.globals().natNmask().get().getHostAddress()).isEqualTo("255.255.0.0");
        VirtualService v = c.virtuals().get(0);
        assertThat(v.servers()).extracting(RealServer::name).containsExactly("localhost.localdomain", "localhost.localdomain");
        assertThat(v.servers()).extracting(RealServer::endpoint).containsExactly("10.0.0.100:80", "10.0.0.200:80");
    }

    @Test
    void directRoutingWithMonitorLinks() {
        LvsConfig c = config("direct-two-servers-monitor-links.cf");
        assertThat(c.globals().network()).isEqualTo(Network.DIRECT);
        assertThat(c.globals().monitorLinks()).isTrue();
        assertThat(c.globals().serialNo()).isEqualTo(122);
        assertThat(c.virtuals().get(0).vipNmask().get().getHostAddress()).isEqualTo("255.255.255.0");
        assertThat(c.virtuals().get(0).activeServers()).hasSize(2);
    }

    @Test
    void sendProgramWithExplicitPortsAndPlainDevice() {
        LvsConfig c = config("nat-send-program-testlink-eth2.cf");
        VirtualService v = c.virtuals().get(0);
        assertThat(v.sendProgram()).isPresent();
        assertThat(v.send()).isPresent();
        assertThat(v.expect()).contains("ok");
        assertThat(c.globals().natRouter().get().isAlias()).isFalse();
        assertThat(c.globals().syncdaemon()).isFalse();
    }

    @Test
    void sameVipSameFwmarkTwice() {
        LvsCfDocument doc = Fixtures.parse("direct-fwmark100-http-https-same-vip.cf");
        LvsConfig c = doc.config();
        assertThat(c.virtuals()).extracting(VirtualService::fwmark).containsExactly(100, 100);
        assertThat(c.virtuals()).extracting(VirtualService::port).containsExactly(80, 443);
        assertThat(c.virtuals().get(1).servers()).extracting(RealServer::port).containsExactly(443, 443);
        assertThat(doc.diagnostics()).anySatisfy(d -> assertThat(d.message()).contains("same IPVS service (fwmark 100)"));
        assertThat(c.globals().primaryPrivate().get().ip()).isEqualTo("192.168.122.246");
        assertThat(c.globals().backupPrivate().get().ip()).isEqualTo("192.168.122.247");
    }

    @Test
    void trailingBlanksAndPmaskWithoutPersistence() {
        LvsConfig c = config("direct-squid-8080-pmask-send-only.cf");
        assertThat(c.globals().backupActive()).isTrue();
        VirtualService v = c.virtuals().get(0);
        assertThat(v.port()).isEqualTo(8080);
        assertThat(v.pmask()).as("no persistence, so no pmask").isEmpty();
        assertThat(v.expect()).isEmpty();
        assertThat(v.reentry()).as("parser default").isEqualTo(180);
        assertThat(v.timeout()).isEqualTo(2);
        assertThat(v.servers()).extracting(RealServer::port).containsExactly(8080, 8080);
        assertThat(c.globals().primaryPrivate().get().ip()).as("defaults to primary").isEqualTo("10.1.2.103");
        assertThat(c.globals().backupPrivate().get().ip()).as("defaults to backup").isEqualTo("10.1.2.105");
    }

    @Test
    void udpFwmarkPersistentSip() {
        LvsConfig c = config("direct-web-and-sip-udp-fwmark3-persistent.cf");
        VirtualService sip = c.virtuals().get(1);
        assertThat(sip.protocol()).isEqualTo(Protocol.UDP);
        assertThat(sip.fwmark()).isEqualTo(3);
        assertThat(sip.persistent()).isEqualTo(400);
        assertThat(sip.vipNmask()).as("0.0.0.0 is unspecified").isEmpty();
        assertThat(sip.servers()).extracting(RealServer::port).containsOnly(5060);
        assertThat(c.virtuals().get(0).servers()).hasSize(3);
    }

    @Test
    void ipvsTimeoutsAndSyncDaemon() {
        Globals g = config("direct-web-and-sip-syncdaemon-ipvs-timeouts.cf").globals();
        assertThat(g.syncdaemon()).isTrue();
        assertThat(g.syncdIface()).isEqualTo("eth0");
        assertThat(g.syncdId()).isZero();
        assertThat(g.tcpTimeout()).isEqualTo(10);
        assertThat(g.tcpfinTimeout()).isEqualTo(10);
        assertThat(g.udpTimeout()).isEqualTo(10);
        assertThat(g.rshCommand()).isEqualTo("ssh");
    }

    @Test
    void loneVirtualBlockTakesEveryGlobalDefault() {
        LvsConfig c = config("fragment-multiport-fwmark80-only-virtual.cf");
        Globals g = c.globals();
        assertThat(g.primary()).isEmpty();
        assertThat(g.network()).isEqualTo(Network.NAT);
        assertThat(g.keepalive()).isEqualTo(Duration.ofSeconds(2));
        assertThat(g.deadtime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(g.heartbeatPort()).isEqualTo(539);
        assertThat(g.serialNo()).isZero();
        assertThat(g.hardShutdown()).isTrue();
        assertThat(g.ipvsadm()).isEqualTo("/sbin/ipvsadm");
        assertThat(g.backend()).isEqualTo(piranha.lvscf.model.Backend.AUTO);
        VirtualService v = c.virtuals().get(0);
        assertThat(v.fwmark()).isEqualTo(80);
        assertThat(v.persistent()).isEqualTo(3600);
    }

    @Test
    void privateHeartbeatAndAnInactiveServer() {
        LvsConfig c = config("direct-private-heartbeat-four-servers-one-inactive.cf");
        assertThat(c.globals().keepalive()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.globals().deadtime()).isEqualTo(Duration.ofSeconds(6));
        VirtualService v = c.virtuals().get(0);
        assertThat(v.servers()).hasSize(4);
        assertThat(v.activeServers()).extracting(RealServer::name).containsExactly("Web1", "Web2", "Web3");
        assertThat(v.servers().get(3).weight()).isZero();
    }

    @Test
    void trailingCommentsThatPiranhaRejected() {
        LvsCfDocument doc = Fixtures.parse("direct-persistent-portal-trailing-comments.cf");
        assertThat(doc.errors()).isEmpty();
        LvsConfig c = doc.config();
        assertThat(c.globals().primaryPrivate().get().ip()).isEqualTo("172.16.0.190");
        assertThat(c.globals().network()).isEqualTo(Network.DIRECT);
        VirtualService v = c.virtuals().get(0);
        assertThat(v.address().get().toString()).isEqualTo("192.168.1.100 eth0:1");
        assertThat(v.send()).contains("GET /iwl/.lvs.html\\n");
        assertThat(v.expect()).contains("OK");
        assertThat(v.scheduler()).isEqualTo(Scheduler.WLC);
        assertThat(v.persistent()).isEqualTo(1800);
        assertThat(v.pmask()).isEmpty();
        assertThat(v.servers()).extracting(RealServer::weight).containsExactly(100, 100, 100);
        assertThat(c.globals().serialNo()).isZero();
    }

    @Test
    void templateRenderedFtpService() {
        LvsConfig c = config("direct-web-ftp-fwmark21-jinja-rendered.cf");
        assertThat(c.globals().backup().get().ip()).isEqualTo("192.168.122.12");
        assertThat(c.globals().backupActive()).isFalse();
        assertThat(c.virtuals()).extracting(VirtualService::name).containsExactly("web", "ftp");
        VirtualService ftp = c.virtuals().get(1);
        assertThat(ftp.fwmark()).isEqualTo(21);
        assertThat(ftp.persistent()).isEqualTo(1);
        assertThat(ftp.send()).contains("quit");
        assertThat(ftp.expect()).contains("220");
        assertThat(ftp.useRegex()).isFalse();
        assertThat(c.virtuals().get(0).scheduler()).isEqualTo(Scheduler.RR);
    }
}
