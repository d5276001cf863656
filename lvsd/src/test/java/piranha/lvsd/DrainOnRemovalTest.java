package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import piranha.dataplane.DestinationSpec;
import piranha.lvsd.table.Table;
import piranha.lvsd.testing.Eventually;
import piranha.lvsd.testing.RealServers;
import piranha.lvsd.testing.WebServiceCf;

/** A real server a reload removes drains first: weight 0 until its connections end or drain_timeout passes. */
class DrainOnRemovalTest {
    private static final String VIP = "127.0.0.100";

    @TempDir
    Path dir;
    Vertx vertx;
    RealServers servers;
    RealServers.Server rs1;
    RealServers.Server rs2;
    int vport;
    Lvsd lvsd;
    final List<Socket> clients = new ArrayList<>();

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
        for (Socket s : clients) {
            s.close();
        }
        if (lvsd != null) {
            await(lvsd.shutdown());
        }
        servers.close();
        await(vertx.close());
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private String config(String globals, boolean withRs2) {
        List<WebServiceCf.Server> list = new ArrayList<>(List.of(WebServiceCf.Server.weighted("rs1", rs1.port(), 1)));
        if (withRs2) {
            list.add(WebServiceCf.Server.weighted("rs2", rs2.port(), 3));
        }
        return WebServiceCf.text("serial_no = 1\nprimary = 127.0.0.1\nnetwork = nat\nbackend = userspace\n" + globals,
                VIP + " lo:100", vport, "rr", "", list.toArray(WebServiceCf.Server[]::new));
    }

    private DestinationSpec rs2InTable() throws Exception {
        Table t = await(lvsd.backend().read());
        return t.services().values().iterator().next().destinations().get(rs2.endpoint());
    }

    /** Opens connections through the VIP until one is held by rs2 (round robin: the second at most). */
    private void holdConnectionsToBoth() throws Exception {
        for (int i = 0; i < 2; i++) {
            Socket s = new Socket(VIP, vport);
            clients.add(s);
        }
        Eventually.within(Duration.ofSeconds(10), () -> assertThat(await(lvsd.backend().stats()).values().iterator().next()
                .get(rs2.endpoint()).activeConns()).isPositive());
    }

    private void removeRs2(String globals) throws Exception {
        Files.writeString(dir.resolve("lvs.cf"), config(globals, false));
        await(lvsd.reload());
    }

    private void start(String globals) throws Exception {
        Files.writeString(dir.resolve("lvs.cf"), config(globals, true));
        lvsd = new Lvsd(vertx, new LvsdOptions(dir.resolve("lvs.cf"), null, dir.resolve("lvsd.sock"), false, 0, Duration.ZERO));
        await(lvsd.start());
        Eventually.within(Duration.ofSeconds(10), () -> assertThat(rs2InTable().weight()).isPositive());
    }

    @Test
    void aRemovedServerStaysAtWeightZeroUntilItsConnectionsEnd() throws Exception {
        start("");
        holdConnectionsToBoth();
        removeRs2("");
        assertThat(rs2InTable().weight()).isZero();
        Thread.sleep(2500); // two expiry rounds: its connection still holds it
        assertThat(rs2InTable()).isNotNull();
        for (Socket s : clients) {
            s.close();
        }
        Eventually.within(Duration.ofSeconds(10), () -> assertThat(rs2InTable()).isNull());
        assertThat(lvsd.keeper().leaving()).isEmpty();
    }

    @Test
    void drainTimeoutBoundsTheWait() throws Exception {
        start("drain_timeout = 1\n");
        holdConnectionsToBoth();
        long t0 = System.nanoTime();
        removeRs2("drain_timeout = 1\n");
        assertThat(rs2InTable().weight()).isZero();
        Eventually.within(Duration.ofSeconds(10), () -> assertThat(rs2InTable()).isNull());
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(900_000_000L);
    }

    @Test
    void aServerWithoutConnectionsLeavesAtTheNextRound() throws Exception {
        start("");
        removeRs2("");
        Eventually.within(Duration.ofSeconds(5), () -> assertThat(rs2InTable()).isNull());
    }
}
