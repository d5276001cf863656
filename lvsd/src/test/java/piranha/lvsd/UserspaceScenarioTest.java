package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import piranha.lvsd.testing.Client;
import piranha.lvsd.testing.Eventually;
import piranha.lvsd.testing.RealServers;
import piranha.lvsd.testing.WebServiceCf;

/**
 * lvsd's scenarios on the user-space data plane, proven with real traffic: a client on loopback
 * reaches the virtual service on 127.0.0.100 and sees which real server answered.
 */
class UserspaceScenarioTest {
    private static final Duration SOON = Duration.ofSeconds(12);
    private static final String VIP = "127.0.0.100";

    @TempDir
    Path dir;
    Vertx vertx;
    RealServers servers;
    RealServers.Server rs1;
    RealServers.Server rs2;
    int vport;
    Lvsd lvsd;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        servers = new RealServers();
        rs1 = servers.start("rs1");
        rs2 = servers.start("rs2");
        vport = RealServers.freePort();
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

    private String config(String virtualExtra) {
        return WebServiceCf.text("serial_no = 1\nprimary = 127.0.0.1\nnetwork = nat\nbackend = userspace\n",
                VIP + " lo:100", vport, "rr", virtualExtra,
                WebServiceCf.Server.weighted("rs1", rs1.port(), 1), WebServiceCf.Server.weighted("rs2", rs2.port(), 1));
    }

    private Path write(String text) throws Exception {
        Path cfg = dir.resolve("lvs.cf");
        Files.writeString(cfg, text);
        return cfg;
    }

    private void start(String text) throws Exception {
        lvsd = new Lvsd(vertx, new LvsdOptions(write(text), null, dir.resolve("lvsd.sock"), false, 0, Duration.ZERO));
        await(lvsd.start());
    }

    @Test
    void requestsAlternateOverBothServersWithRoundRobin() throws Exception {
        start(config(""));
        assertThat(Client.get(VIP, vport, 6)).containsExactly("rs1", "rs2", "rs1", "rs2", "rs1", "rs2");
        JsonObject status = ControlClient.call(dir.resolve("lvsd.sock"), new JsonObject().put("cmd", "status"), SOON);
        assertThat(status.getString("backend")).isEqualTo("userspace");
        JsonObject first = status.getJsonArray("services").getJsonObject(0).getJsonArray("servers").getJsonObject(0);
        assertThat(first.getLong("conns")).isEqualTo(3);
        assertThat(first.getLong("bytes_in")).isPositive();
    }

    @Test
    void aFailedServerStopsGettingRequestsAndReturns() throws Exception {
        start(config(""));
        rs2.stop();
        Eventually.within(SOON, () -> assertThat(Client.get(VIP, vport, 4)).containsOnly("rs1"));
        rs2.start();
        Eventually.within(SOON, () -> assertThat(Client.get(VIP, vport, 4)).contains("rs2"));
    }

    @Test
    void aQuiescedServerTakesNoNewConnections() throws Exception {
        start(config(" quiesce_server = 1\n"));
        rs2.stop();
        Eventually.within(SOON, () -> assertThat(await(lvsd.backend().read()).services().values().iterator().next()
                .destinations().get(rs2.endpoint()).weight()).isZero());
        rs2.start();
        // Back up only after a good check; until then weight 0 keeps it out of the rotation.
        Eventually.within(SOON, () -> assertThat(Client.get(VIP, vport, 4)).contains("rs2"));
    }

    @Test
    void theSorryServerAnswersWhileNoRealServerIsUp() throws Exception {
        RealServers.Server sorry = servers.start("sorry", "127.0.0.2", vport);
        rs1.stop();
        rs2.stop();
        start(config(" sorry_server = 127.0.0.2\n"));
        assertThat(Client.get(VIP, vport, 2)).containsOnly("sorry");
        rs1.start();
        Eventually.within(SOON, () -> assertThat(Client.get(VIP, vport, 2)).containsOnly("rs1"));
        sorry.stop();
    }

    @Test
    void reloadChangesSchedulerAndWeightsOnTheLiveTable() throws Exception {
        start(config(""));
        write(config("").replace("scheduler = rr", "scheduler = wrr").replace(
                "port = " + rs1.port() + "\n  active = 1\n  weight = 1", "port = " + rs1.port() + "\n  active = 1\n  weight = 3"));
        JsonObject r = await(lvsd.reload());
        assertThat(r.getJsonArray("changes").getList()).containsExactlyInAnyOrder(
                "changed virtual service web: -s wrr", "weight of -t " + VIP + ":" + vport + " -r " + rs1.endpoint() + ": 1 -> 3");
        assertThat(Client.get(VIP, vport, 8)).filteredOn("rs1"::equals).hasSize(6);
    }

    @Test
    void aBadReloadLeavesTheServiceRunning() throws Exception {
        start(config(""));
        write(config("").replace("timeout = 2", "timeout = soon"));
        assertThatThrownBy(() -> await(lvsd.reload())).isInstanceOf(ExecutionException.class).hasMessageContaining("timeout: 'soon' is not an integer");
        assertThat(Client.get(VIP, vport, 2)).containsExactly("rs1", "rs2");
    }

    @Test
    void shutdownStopsListening() throws Exception {
        start(config(""));
        assertThat(Client.get(VIP, vport)).isNotEqualTo("refused");
        await(lvsd.shutdown());
        lvsd = null;
        assertThat(Client.get(VIP, vport)).isEqualTo("refused");
    }

    @Test
    void autoPicksTheUserSpacePlaneWithoutIpvs() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Backends.IP_VS), "this kernel has IPVS");
        start(config("").replace("backend = userspace\n", ""));
        assertThat(lvsd.backend().name()).isEqualTo("userspace");
        assertThat(Client.get(VIP, vport)).isIn("rs1", "rs2");
    }

    @Test
    void theBackendOptionOverridesTheKey() throws Exception {
        lvsd = new Lvsd(vertx, new LvsdOptions(write(config("").replace("backend = userspace", "backend = ipvsadm\nipvsadm = /nonexistent/ipvsadm")),
                Backend.USERSPACE, dir.resolve("lvsd.sock"), false, 0, Duration.ZERO));
        await(lvsd.start());
        assertThat(lvsd.backend().name()).isEqualTo("userspace");
    }
}
