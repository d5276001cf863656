package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import piranha.dataplane.DestinationStats;
import piranha.dataplane.ForwardingMethod;
import piranha.dataplane.Protocol;
import piranha.dataplane.ServiceKey;
import piranha.dataplane.Timeouts;
import piranha.lvscf.model.Network;
import piranha.lvsd.backend.TableBackend;
import piranha.lvsd.table.Table;
import piranha.lvsd.table.TableOp;
import piranha.lvsd.testing.Eventually;
import piranha.lvsd.testing.Ipvs;
import piranha.nanny.HealthState;
import piranha.nanny.Mode;
import piranha.nanny.NannyConfig;
import piranha.nanny.NannySnapshot;
import piranha.nanny.check.CheckResult;

/** The table keeper against a backend that records each batch and holds the first one in flight. */
class TableKeeperTest {
    static final Duration SOON = Duration.ofSeconds(10);
    static final ServiceKey A = Ipvs.key(Protocol.TCP, "198.51.100.10", 80);
    static final ServiceKey B = Ipvs.key(Protocol.TCP, "198.51.100.10", 81);

    /** Records the batches; the first does not finish until the test says so. */
    static final class HeldBackend implements TableBackend {
        final List<List<TableOp>> batches = new CopyOnWriteArrayList<>();
        final Promise<Void> first = Promise.promise();

        @Override
        public String name() {
            return "held";
        }

        @Override
        public Future<Void> apply(List<TableOp> ops) {
            batches.add(ops);
            return batches.size() == 1 ? first.future() : Future.succeededFuture();
        }

        @Override
        public Future<Table> read() {
            return Future.succeededFuture(Table.EMPTY);
        }

        @Override
        public Future<Map<ServiceKey, Map<String, DestinationStats>>> stats() {
            return Future.succeededFuture(Map.of());
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    }

    Vertx vertx;
    Context context;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Plan.Service service(String name, ServiceKey key, String rip) {
        Plan.Server rs = server(key, rip);
        Map<ServerId, Plan.Server> servers = new LinkedHashMap<>();
        servers.put(rs.id(), rs);
        return new Plan.Service(name, Ipvs.spec(key, "wlc", 0, null), piranha.lvscf.model.Protocol.TCP, "198.51.100.10",
                key.port(), Network.NAT, Optional.empty(), servers);
    }

    static Plan.Server server(ServiceKey key, String rip) {
        return new Plan.Server(rip, new ServerId(key, rip + ":80"), Ipvs.destination(rip, 80, ForwardingMethod.MASQ, 1),
                NannyConfig.builder(rip, 80).build());
    }

    static NannySnapshot up(String rip, int weight) {
        return new NannySnapshot(rip + ":80", HealthState.UP, weight, Mode.AUTO, "ok", Duration.ZERO, 1, 0, 1, 1, -1, "tcp",
                CheckResult.Detail.NONE, 1);
    }

    static NannySnapshot down(String rip) {
        return new NannySnapshot(rip + ":80", HealthState.DOWN, 0, Mode.AUTO, "refused", Duration.ZERO, 2, 1, 2, 0, -1, "tcp",
                CheckResult.Detail.NONE, 1);
    }

    @Test
    void aRequestFoldedIntoTheNextBatchRecomputesOnlyTheServicesItNamed() throws Exception {
        Plan.Service a = service("a", A, "127.0.0.1");
        Plan.Service b = service("b", B, "127.0.0.2");
        Plan plan = new Plan(List.of(a, b), new TableOp.SetTimeouts(new Timeouts(0, 0, 0)), Set.of(A, B));
        Map<ServerId, NannySnapshot> nannies = new ConcurrentHashMap<>();
        ServerId ra = a.servers().keySet().iterator().next();
        ServerId rb = b.servers().keySet().iterator().next();
        nannies.put(ra, up("127.0.0.1", 1));
        nannies.put(rb, up("127.0.0.2", 1));
        HeldBackend backend = new HeldBackend();
        TableKeeper[] keeper = new TableKeeper[1];
        context.runOnContext(v -> {
            keeper[0] = new TableKeeper(vertx, context, backend, id -> Optional.ofNullable(nannies.get(id)), plan);
            keeper[0].start();
        });
        Eventually.within(SOON, () -> assertThat(backend.batches).hasSize(1));
        assertThat(backend.batches.get(0)).hasSize(4); // the whole table: two services, two servers

        // While that batch is in flight: a's nanny moves to weight 5 and says so; b's server goes
        // down but its verdict has not reached the keeper yet. Only a is asked for.
        nannies.put(ra, up("127.0.0.1", 5));
        nannies.put(rb, down("127.0.0.2"));
        context.runOnContext(v -> keeper[0].verdict(ra));
        context.runOnContext(v -> backend.first.complete());

        Eventually.within(SOON, () -> assertThat(backend.batches).hasSize(2));
        assertThat(backend.batches.get(1)).containsExactly(
                new TableOp.EditDestination(A, Ipvs.destination("127.0.0.1", 80, ForwardingMethod.MASQ, 5)));

        // b's own verdict then changes b only.
        context.runOnContext(v -> keeper[0].verdict(rb));
        Eventually.within(SOON, () -> assertThat(backend.batches).hasSize(3));
        assertThat(backend.batches.get(2)).containsExactly(
                new TableOp.DeleteDestination(B, Ipvs.destination("127.0.0.2", 80, ForwardingMethod.MASQ, 1)));
    }
}
