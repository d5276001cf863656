package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;
import piranha.lvscf.model.Backend;
import piranha.lvsd.testing.Eventually;
import piranha.lvsd.testing.FakeIpvsadmInstall;
import piranha.lvsd.testing.RealServers;
import piranha.lvsd.testing.WebServiceCf;

/**
 * lvsd against the recording ipvsadm stand-in, scenario by scenario, with real loopback servers
 * checked by real nannies. Each test asserts the exact ipvsadm commands.
 */
class IpvsadmScenarioTest {
    private static final Duration SOON = Duration.ofSeconds(12);

    @TempDir
    Path dir;
    Vertx vertx;
    FakeIpvsadmInstall ipvsadm;
    RealServers servers;
    RealServers.Server rs1;
    RealServers.Server rs2;
    Lvsd lvsd;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        ipvsadm = FakeIpvsadmInstall.in(dir);
        servers = new RealServers();
        rs1 = servers.start("rs1");
        rs2 = servers.start("rs2");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lvsd != null) {
            await(lvsd.shutdown());
        }
        servers.close();
        await(vertx.close());
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A configuration with one web service on 198.51.100.10:80 over rs1 and rs2, plus extras. */
    private String config(String virtualExtra, String globalExtra) {
        return WebServiceCf.text("serial_no = 1\nprimary = 198.51.100.11\nnetwork = nat\nipvsadm = " + ipvsadm.path() + "\n"
                + globalExtra, "198.51.100.10 eth0:1", 80, "wlc", virtualExtra,
                WebServiceCf.Server.weighted("rs1", rs1.port(), 2), WebServiceCf.Server.weighted("rs2", rs2.port(), 1));
    }

    private Path write(String text) throws Exception {
        Path cfg = dir.resolve("lvs.cf");
        Files.writeString(cfg, text);
        return cfg;
    }

    private void start(String text) throws Exception {
        LvsdOptions o = new LvsdOptions(write(text), Backend.IPVSADM, dir.resolve("lvsd.sock"), false, 0, Duration.ZERO);
        lvsd = new Lvsd(vertx, o);
        await(lvsd.start());
    }

    private String svc() {
        return "-t 198.51.100.10:80";
    }

    private String rs(RealServers.Server s) {
        return s.endpoint();
    }

    @Test
    void startUpProgramsTheServiceAndItsHealthyServersInOneBatch() throws Exception {
        rs2.stop();
        start(config("", ""));
        assertThat(ipvsadm.calls()).containsExactly(
                "-S -n",
                "-R",
                "-R| -A " + svc() + " -s wlc",
                "-R| -a " + svc() + " -r " + rs(rs1) + " -m -w 1");
        assertThat(ipvsadm.table()).containsExactly("-A " + svc() + " -s wlc", "-a " + svc() + " -r " + rs(rs1) + " -m -w 1");
        assertThat(await(lvsd.ready())).isNull();
        JsonObject status = ControlClient.call(dir.resolve("lvsd.sock"), new JsonObject().put("cmd", "status"), SOON);
        assertThat(status.getBoolean("ready")).isTrue();
        assertThat(status.getString("backend")).isEqualTo("ipvsadm");
        JsonObject web = status.getJsonArray("services").getJsonObject(0);
        assertThat(web.getJsonArray("servers").getJsonObject(0).getString("health")).isEqualTo("up");
        assertThat(web.getJsonArray("servers").getJsonObject(1).getString("health")).isEqualTo("down");
        assertThat(web.getJsonArray("servers").getJsonObject(1).getString("reason")).contains("refused");
    }

    /**
     * A TERM while the first checks are still out (one real server accepts and never answers): the
     * start stops there and programs nothing, the shutdown ends at once, the table stays empty.
     */
    @Test
    void aShutdownDuringTheFirstChecksEndsTheStartAndProgramsNothing() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String text = WebServiceCf.text("serial_no = 1\nprimary = 198.51.100.11\nnetwork = nat\nipvsadm = " + ipvsadm.path()
                    + "\n", "198.51.100.10 eth0:1", 80, "wlc", "", WebServiceCf.Server.of("rs1", rs1.port()),
                    WebServiceCf.Server.of("silent", silent.getLocalPort()));
            lvsd = new Lvsd(vertx, new LvsdOptions(write(text), Backend.IPVSADM, dir.resolve("lvsd.sock"), false, 0, Duration.ZERO));
            Future<Void> starting = lvsd.start();
            Eventually.within(SOON, () -> assertThat(dir.resolve("lvsd.sock")).exists()); // the nannies start next
            Thread.sleep(300); // their first probes are out; the silent server's waits for its 2 s timeout
            assertThat(starting.isComplete()).isFalse();
            long t0 = System.nanoTime();
            await(lvsd.shutdown());
            assertThat((System.nanoTime() - t0) / 1e9).as("the shutdown does not wait for the first checks").isLessThan(2.5); // the first checks would end 2.7 s from here
            assertThatThrownBy(() -> await(starting)).hasMessageContaining(Lvsd.TERMINATED_WHILE_STARTING);
            Thread.sleep(2500); // past the silent server's check timeout: nothing comes late
            assertThat(ipvsadm.table()).isEmpty();
            lvsd = null;
        }
    }

    @Test
    void aFailingServerLeavesAndReturnsWithSingleCommands() throws Exception {
        start(config("", ""));
        ipvsadm.clearCalls();
        rs2.stop();
        Eventually.within(SOON, () -> assertThat(ipvsadm.calls()).containsExactly("-d " + svc() + " -r " + rs(rs2)));
        rs2.start();
        Eventually.within(SOON, () -> assertThat(ipvsadm.calls()).containsExactly(
                "-d " + svc() + " -r " + rs(rs2), "-a " + svc() + " -r " + rs(rs2) + " -m -w 1"));
    }

    @Test
    void quiesceKeepsAFailedServerAtWeightZero() throws Exception {
        start(config(" quiesce_server = 1\n", ""));
        ipvsadm.clearCalls();
        rs2.stop();
        Eventually.within(SOON, () -> assertThat(ipvsadm.calls()).containsExactly("-e " + svc() + " -r " + rs(rs2) + " -m -w 0"));
        rs2.start();
        Eventually.within(SOON, () -> assertThat(ipvsadm.calls()).endsWith("-e " + svc() + " -r " + rs(rs2) + " -m -w 1"));
    }

    @Test
    void theSorryServerStandsInOnlyWhileNoRealServerIsUpWithoutAStartUpFlap() throws Exception {
        rs1.stop();
        rs2.stop();
        start(config(" sorry_server = 198.51.100.99\n", ""));
        assertThat(ipvsadm.calls()).containsExactly("-S -n", "-R", "-R| -A " + svc() + " -s wlc",
                "-R| -a " + svc() + " -r 198.51.100.99:80 -m -w 1");
        ipvsadm.clearCalls();
        rs1.start();
        Eventually.within(SOON, () -> assertThat(ipvsadm.calls()).containsExactly(
                "-R", "-R| -d " + svc() + " -r 198.51.100.99:80", "-R| -a " + svc() + " -r " + rs(rs1) + " -m -w 1"));
        JsonObject web = await(lvsd.status()).getJsonArray("services").getJsonObject(0);
        assertThat(web.getBoolean("sorry_active")).isFalse();
    }

    @Test
    void aHealthyStartHasNoSorryServerAtAll() throws Exception {
        start(config(" sorry_server = 198.51.100.99\n", ""));
        assertThat(String.join("\n", ipvsadm.calls())).doesNotContain("198.51.100.99");
    }

    @Test
    void fwmarkAndPersistenceServices() throws Exception {
        start(config(" fwmark = 100\n persistent = 60\n pmask = 255.255.255.0\n scheduler = rr\n", ""));
        // ipvsadm -S lists a service's destinations by address and port, as the kernel sorts them
        assertThat(ipvsadm.table()).startsWith("-A -f 100 -s rr -p 60 -M 255.255.255.0").containsExactlyInAnyOrder(
                "-A -f 100 -s rr -p 60 -M 255.255.255.0",
                "-a -f 100 -r " + rs(rs1) + " -m -w 1",
                "-a -f 100 -r " + rs(rs2) + " -m -w 1");
    }

    @Test
    void ipvsTimeoutsAreSetWhenLvsCfSetsThem() throws Exception {
        start(config("", "tcp_timeout = 900\ntcpfin_timeout = 30\nudp_timeout = 60\n"));
        assertThat(ipvsadm.calls()).startsWith("--set 900 30 60");
    }

    @Test
    void slowStartRaisesTheWeightFromOne() throws Exception {
        start(config("", ""));
        // rs1 is configured with weight 2: it enters at max(1, 2/32) = 1, as Piranha's nanny did.
        assertThat(ipvsadm.table()).contains("-a " + svc() + " -r " + rs(rs1) + " -m -w 1");
    }

    @Test
    void reloadAppliesOnlyTheDifferenceAndRestartsOnlyChangedNannies() throws Exception {
        RealServers.Server rs3 = servers.start("rs3");
        start(config("", ""));
        ipvsadm.clearCalls();
        long rs1Checks = checks(0);
        String next = config("", "").replace("scheduler = wlc", "scheduler = rr")
                .replace("  weight = 1\n", "  weight = 4\n")
                .replace(" server rs1 {\n  address = 127.0.0.1\n  port = " + rs1.port() + "\n  active = 1\n  weight = 2\n }\n", "")
                .replace("}\n}\n", "}\n server rs3 {\n  address = 127.0.0.1\n  port = " + rs3.port() + "\n  active = 1\n }\n}\n")
                + "virtual dns {\n active = 1\n address = 198.51.100.10 eth0:1\n port = 53\n protocol = udp\n timeout = 1\n}\n";
        write(next);
        JsonObject r = await(lvsd.reload());
        assertThat(r.getJsonArray("changes").getList()).containsExactlyInAnyOrder(
                "removed real server " + svc() + " -r " + rs(rs1),
                "weight of " + svc() + " -r " + rs(rs2) + ": 1 -> 4",
                "changed virtual service web: -s rr",
                "added virtual service dns (-u 198.51.100.10:53)",
                "added real server " + svc() + " -r " + rs(rs3));
        Eventually.within(SOON, () -> assertThat(ipvsadm.table()).containsExactlyInAnyOrder(
                "-A " + svc() + " -s rr",
                "-a " + svc() + " -r " + rs(rs2) + " -m -w 4",
                "-a " + svc() + " -r " + rs(rs3) + " -m -w 1",
                "-A -u 198.51.100.10:53 -s wlc"));
        assertThat(String.join("\n", ipvsadm.calls())).contains("-E " + svc() + " -s rr").contains("-e " + svc() + " -r " + rs(rs2) + " -m -w 4")
                .doesNotContain("-D " + svc());
        assertThat(checksOf(rs2.endpoint())).as("rs2's nanny kept running: its count did not restart").isGreaterThanOrEqualTo(rs1Checks);
    }

    @Test
    void aChangedCheckRestartsThatNannyOnly() throws Exception {
        start(config("", ""));
        String next = config("", "").replace("expect = \"HTTP\"", "expect = \"HTTP/1.0 200\"");
        write(next);
        JsonObject r = await(lvsd.reload());
        assertThat(r.getJsonArray("changes").getList()).containsExactly(
                "restarted the nanny of " + svc() + " -r " + rs(rs1) + " (check settings changed)",
                "restarted the nanny of " + svc() + " -r " + rs(rs2) + " (check settings changed)");
        write(next.replace("  weight = 2\n", "  weight = 3\n"));
        assertThat(await(lvsd.reload()).getJsonArray("changes").getList()).containsExactly(
                "weight of " + svc() + " -r " + rs(rs1) + ": 2 -> 3");
    }

    @Test
    void aReloadTouchesOnlyTheServiceWhoseBlockChanged() throws Exception {
        String mail = "virtual mail {\n active = 1\n address = 198.51.100.10 eth0:1\n port = 25\n timeout = 2\n"
                + " server rs1 {\n  address = 127.0.0.1\n  port = " + rs1.port() + "\n  active = 1\n }\n}\n";
        start(config("", "") + mail);
        Eventually.within(SOON, () -> assertThat(ipvsadm.table()).hasSize(5));
        long webChecks = checks(0);
        ipvsadm.clearCalls();
        write("# the mail relay moves\n" + config("", "") + mail.replace("  active = 1\n }", "  active = 1\n  weight = 3\n }"));
        JsonObject r = await(lvsd.reload());
        assertThat(r.getInteger("services_changed")).isEqualTo(1);
        assertThat(r.getJsonArray("changes").getList()).containsExactly("weight of -t 198.51.100.10:25 -r " + rs(rs1) + ": 1 -> 3");
        assertThat(ipvsadm.calls()).containsExactly("-e -t 198.51.100.10:25 -r " + rs(rs1) + " -m -w 3");
        assertThat(checks(0)).as("web's nanny kept running").isGreaterThanOrEqualTo(webChecks);

        write("# the mail relay moves\n" + config("", "") + mail.replace(" timeout = 2\n", " timeout = 3\n"));
        r = await(lvsd.reload());
        assertThat(r.getInteger("services_changed")).isEqualTo(1);
        assertThat(r.getJsonArray("changes").getList()).containsExactly(
                "restarted the nanny of -t 198.51.100.10:25 -r " + rs(rs1) + " (check settings changed)");
        // the restarted nanny's first verdict settles before the next reload is watched
        Eventually.within(SOON, () -> {
            JsonObject server = mailServer();
            assertThat(server.getLong("checks")).isPositive();
            assertThat(server.getBoolean("in_table")).isTrue();
        });

        write("# only a comment changed\n" + config("", "") + mail.replace(" timeout = 2\n", " timeout = 3\n"));
        ipvsadm.clearCalls();
        r = await(lvsd.reload());
        assertThat(r.getInteger("services_changed")).isZero();
        assertThat(r.getJsonArray("changes").getList()).isEmpty();
        assertThat(ipvsadm.calls()).isEmpty();
    }

    @Test
    void aBadReloadIsRefusedAndTheRunningTableStays() throws Exception {
        start(config("", ""));
        List<String> before = ipvsadm.table();
        ipvsadm.clearCalls();
        write(config("", "").replace("scheduler = wlc", "scheduler = fastest"));
        assertThatThrownBy(() -> await(lvsd.reload())).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("reload refused, the running configuration stays")
                .hasMessageContaining("lvs.cf:9:14: error: scheduler: 'fastest' is not one of rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq");
        assertThat(ipvsadm.calls()).isEmpty();
        assertThat(ipvsadm.table()).isEqualTo(before);
        assertThat(await(lvsd.status()).getJsonArray("services").getJsonObject(0).getString("scheduler")).isEqualTo("wlc");
    }

    @Test
    void driftIsRepairedAndForeignServicesAreLeftAlone() throws Exception {
        start(config("", ""));
        ipvsadm.setTable(List.of("-A " + svc() + " -s wlc", "-a " + svc() + " -r " + rs(rs1) + " -m -w 1",
                "-A -t 203.0.113.5:443 -s rr"));
        ipvsadm.clearCalls();
        await(lvsd.keeper().reconcileFromAnyThread());
        assertThat(ipvsadm.calls()).containsExactly("-S -n", "-a " + svc() + " -r " + rs(rs2) + " -m -w 1");
        assertThat(ipvsadm.table()).contains("-A -t 203.0.113.5:443 -s rr");
    }

    @Test
    void aFailedCommandIsRetriedNotFatal() throws Exception {
        start(config("", ""));
        ipvsadm.failWhen("-d .*");
        ipvsadm.clearCalls();
        rs2.stop();
        Eventually.within(SOON, () -> assertThat(ipvsadm.calls()).contains("-d " + svc() + " -r " + rs(rs2)));
        // the stand-in decides when the command runs, not when it is recorded: wait for lvsd to see it fail
        Eventually.within(SOON, () -> assertThat(await(lvsd.status()).getLong("table_failures")).isPositive());
        ipvsadm.failWhen(null);
        Eventually.within(Duration.ofSeconds(15), () -> assertThat(ipvsadm.table()).doesNotContain("-a " + svc() + " -r " + rs(rs2) + " -m -w 1"));
        assertThat(ipvsadm.calls()).contains("-S -n");
        assertThat(await(lvsd.status()).getBoolean("ready")).isTrue();
    }

    @Test
    void shutdownRemovesOnlyItsOwnServices() throws Exception {
        ipvsadm.setTable(List.of("-A -t 203.0.113.5:443 -s rr"));
        start(config("", ""));
        ipvsadm.clearCalls();
        await(lvsd.shutdown());
        lvsd = null;
        assertThat(ipvsadm.calls()).containsExactly("-D " + svc());
        assertThat(ipvsadm.table()).containsExactly("-A -t 203.0.113.5:443 -s rr");
        assertThat(String.join("\n", ipvsadm.calls())).doesNotContain("-C");
    }

    @Test
    void operatorActionsThroughTheControlSocket() throws Exception {
        start(config("", ""));
        Path sock = dir.resolve("lvsd.sock");
        ipvsadm.clearCalls();
        JsonObject drain = new JsonObject().put("cmd", "drain").put("service", "web").put("server", rs(rs1));
        assertThat(ControlClient.call(sock, drain, SOON).getBoolean("ok")).isTrue();
        assertThat(ipvsadm.calls()).containsExactly("-e " + svc() + " -r " + rs(rs1) + " -m -w 0");
        ControlClient.call(sock, new JsonObject().put("cmd", "force-down").put("service", svc()).put("server", rs(rs2)), SOON);
        Eventually.within(SOON, () -> assertThat(ipvsadm.calls()).contains("-d " + svc() + " -r " + rs(rs2)));
        ControlClient.call(sock, new JsonObject().put("cmd", "auto").put("service", "web").put("server", rs(rs1)), SOON);
        Eventually.within(SOON, () -> assertThat(ipvsadm.calls()).contains("-e " + svc() + " -r " + rs(rs1) + " -m -w 1"));
        JsonObject bad = ControlClient.call(sock, new JsonObject().put("cmd", "drain").put("service", "web").put("server", "127.0.0.1:1"), SOON);
        assertThat(bad.getString("error")).isEqualTo("drain: virtual service web has no active real server 127.0.0.1:1");
    }

    private long checks(int server) throws Exception {
        return await(lvsd.status()).getJsonArray("services").getJsonObject(0).getJsonArray("servers").getJsonObject(server).getLong("checks");
    }

    private JsonObject mailServer() throws Exception {
        for (Object o : await(lvsd.status()).getJsonArray("services")) {
            JsonObject s = (JsonObject) o;
            if (s.getInteger("port") == 25) return s.getJsonArray("servers").getJsonObject(0);
        }
        throw new AssertionError("no mail service");
    }

    private long checksOf(String endpoint) throws Exception {
        for (Object o : await(lvsd.status()).getJsonArray("services").getJsonObject(0).getJsonArray("servers")) {
            JsonObject s = (JsonObject) o;
            if ((s.getString("address") + ":" + s.getInteger("port")).equals(endpoint)) {
                return s.getLong("checks");
            }
        }
        throw new AssertionError("no server " + endpoint);
    }
}
