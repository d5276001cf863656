package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;
import piranha.lvsd.testing.Client;
import piranha.lvsd.testing.Eventually;
import piranha.lvsd.testing.RealServers;

/**
 * An all-IPv6 service on the user-space data plane, with real traffic over {@code ::1}: the VIP
 * and two real servers are IPv6, checked by nanny over IPv6, and named {@code [addr]:port}.
 */
class Ipv6UserspaceScenarioTest {
    private static final Duration SOON = Duration.ofSeconds(12);
    private static final String LOOPBACK = "::1";

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
        rs1 = servers.start("rs1", LOOPBACK, freePort());
        rs2 = servers.start("rs2", LOOPBACK, freePort());
        vport = freePort();
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

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return probe.getLocalPort();
        }
    }

    private void start() throws Exception {
        String cf = "serial_no = 1\nprimary = ::1\nnetwork = nat\nbackend = userspace\nkeepalive = 1\n"
                + "virtual web6 {\n active = 1\n address = ::1 lo:6\n vip_nmask = 128\n port = " + vport + "\n scheduler = rr\n"
                + " send = \"GET / HTTP/1.0\\r\\n\\r\\n\"\n expect = \"HTTP\"\n timeout = 1\n reentry = 2\n"
                + " server rs1 {\n  address = ::1\n  port = " + rs1.port() + "\n  active = 1\n }\n"
                + " server rs2 {\n  address = ::1\n  port = " + rs2.port() + "\n  active = 1\n }\n}\n";
        Path file = dir.resolve("lvs.cf");
        Files.writeString(file, cf);
        lvsd = new Lvsd(vertx, new LvsdOptions(file, null, dir.resolve("lvsd.sock"), false, 0, Duration.ZERO));
        await(lvsd.start());
    }

    @Test
    void requestsAlternateOverTwoIpv6ServersAndADeadOneLeavesTheTable() throws Exception {
        start();
        assertThat(Client.get(LOOPBACK, vport, 4)).containsExactly("rs1", "rs2", "rs1", "rs2");
        JsonObject status = ControlClient.call(dir.resolve("lvsd.sock"), new JsonObject().put("cmd", "status"), SOON);
        JsonObject service = status.getJsonArray("services").getJsonObject(0);
        assertThat(service.getString("ipvs")).isEqualTo("-t [::1]:" + vport);
        assertThat(service.getJsonArray("servers").getJsonObject(0).getString("address")).isEqualTo("::1");

        rs2.stop();
        long stopped = System.nanoTime();
        Eventually.within(SOON, () -> assertThat(await(lvsd.backend().read()).services().values().iterator().next()
                .destinations()).doesNotContainKey(rs2.endpoint()));
        long ms = (System.nanoTime() - stopped) / 1_000_000;
        // keepalive 1 + timeout 1: the figure, not a timed assertion (the machine is shared)
        System.out.println("IPv6 real server left the table " + ms + " ms after it stopped");
        assertThat(Client.get(LOOPBACK, vport, 3)).containsOnly("rs1");

        rs2.start();
        Eventually.within(SOON, () -> assertThat(Client.get(LOOPBACK, vport, 4)).contains("rs2"));
    }
}
