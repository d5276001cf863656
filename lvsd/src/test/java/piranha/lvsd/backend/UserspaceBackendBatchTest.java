package piranha.lvsd.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import piranha.dataplane.ForwardingMethod;
import piranha.dataplane.Protocol;
import piranha.dataplane.ServiceKey;
import piranha.lvsd.backend.userspace.UserspaceBackend;
import piranha.lvsd.table.Table;
import piranha.lvsd.table.TableOp;
import piranha.lvsd.testing.Ipvs;

/**
 * The first table of one service with many real servers, on the user-space data plane as lvsd
 * programs it (one batch, on lvsd's context): the data plane completes each destination at once,
 * and the batch must not nest a call per destination. The plan is asked once per destination
 * (is it the sorry server?); the depth of the stack at each of those calls is the measure.
 */
class UserspaceBackendBatchTest {
    private static final int SERVERS = 500;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void theFirstTableOfALargeServiceDoesNotDeepenTheStackPerRealServer() throws Exception {
        ServiceKey key = Ipvs.key(Protocol.TCP, "127.0.0.1", freePort());
        List<Integer> depths = new ArrayList<>();
        UserspaceBackend backend = new UserspaceBackend(vertx, new UserspaceBackend.PlanLookup() {
            @Override
            public Optional<ServiceKey> listen(ServiceKey k) {
                return Optional.of(k);
            }

            @Override
            public Optional<String> sorryServer(ServiceKey k) {
                depths.add(Thread.currentThread().getStackTrace().length);
                return Optional.empty();
            }
        }, false);
        List<TableOp> ops = new ArrayList<>();
        ops.add(new TableOp.AddService(Ipvs.spec(key, "wlc", 0, null)));
        for (int i = 0; i < SERVERS; i++) {
            ops.add(new TableOp.AddDestination(key,
                    Ipvs.destination("127.1." + i / 250 + "." + (i % 250 + 1), 8080, ForwardingMethod.MASQ, 1)));
        }

        CompletableFuture<Void> applied = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(x -> backend.apply(ops).onComplete(ar -> {
            if (ar.succeeded()) {
                applied.complete(null);
            } else {
                applied.completeExceptionally(ar.cause());
            }
        }));
        applied.get(60, TimeUnit.SECONDS);

        assertThat(depths).hasSize(SERVERS);
        // Constant: at most the few frames a destination completed later (off the loop) adds once.
        assertThat(depths.stream().mapToInt(Integer::intValue).max().getAsInt()
                - depths.stream().mapToInt(Integer::intValue).min().getAsInt()).isLessThan(50);
        Table table = await(backend.read());
        assertThat(table.get(key).destinations()).hasSize(SERVERS);
        await(backend.close());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
