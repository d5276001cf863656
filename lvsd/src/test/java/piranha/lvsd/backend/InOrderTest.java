package piranha.lvsd.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import piranha.dataplane.ForwardingMethod;
import piranha.dataplane.Protocol;
import piranha.dataplane.ServiceKey;
import piranha.lvsd.table.TableOp;
import piranha.lvsd.testing.Ipvs;

/** A batch carried out in order: operations completed at once in a loop, those under way waited for. */
class InOrderTest {
    private static final ServiceKey KEY = Ipvs.key(Protocol.TCP, "198.51.100.10", 80);

    private static List<TableOp> destinations(int n) {
        List<TableOp> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(new TableOp.AddDestination(KEY, Ipvs.destination("10.0." + i / 250 + "." + (i % 250 + 1), 80,
                    ForwardingMethod.MASQ, 1)));
        }
        return ops;
    }

    @Test
    void operationsCompletedAtOnceDoNotDeepenTheStack() {
        List<Integer> depths = new ArrayList<>();
        Future<Void> done = InOrder.apply(destinations(10_000), op -> {
            depths.add(Thread.currentThread().getStackTrace().length);
            return Future.succeededFuture();
        });
        assertThat(done.succeeded()).isTrue();
        assertThat(depths).hasSize(10_000);
        assertThat(depths.stream().distinct()).hasSize(1);
    }

    @Test
    void anOperationUnderWayIsWaitedForBeforeTheNext() {
        List<TableOp> ops = destinations(3);
        List<TableOp> started = new ArrayList<>();
        Promise<Void> second = Promise.promise();
        Future<Void> done = InOrder.apply(ops, op -> {
            started.add(op);
            return started.size() == 2 ? second.future() : Future.succeededFuture();
        });
        assertThat(started).containsExactly(ops.get(0), ops.get(1));
        assertThat(done.isComplete()).isFalse();
        second.complete();
        assertThat(started).containsExactlyElementsOf(ops);
        assertThat(done.succeeded()).isTrue();
    }

    @Test
    void theFirstFailureEndsTheBatch() {
        List<TableOp> ops = destinations(3);
        List<TableOp> started = new ArrayList<>();
        Future<Void> done = InOrder.apply(ops, op -> {
            started.add(op);
            return started.size() == 2 ? Future.failedFuture("Destination already exists") : Future.succeededFuture();
        });
        assertThat(started).containsExactly(ops.get(0), ops.get(1));
        assertThat(done.failed()).isTrue();
        assertThat(done.cause()).hasMessage("Destination already exists");
    }

    @Test
    void anEmptyBatchIsDone() {
        assertThat(InOrder.apply(List.of(), op -> Future.failedFuture("none expected")).succeeded()).isTrue();
    }
}
