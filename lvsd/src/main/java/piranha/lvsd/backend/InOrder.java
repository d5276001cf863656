package piranha.lvsd.backend;

import java.util.List;
import java.util.function.Function;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import piranha.lvsd.table.TableOp;

/**
 * Carries out a batch of table operations one after another, stopping at the first that fails.
 * An operation that is already complete when it returns (most of the data plane's are) leads to
 * the next one in a loop; only one still under way is waited for through a callback. Composing
 * each operation onto the previous one would nest a call for every operation that completes at
 * once: the first table of a service with 10,000 real servers is 10,000 destinations in a row,
 * deep enough to overflow the event loop's stack, after which the batch never completes.
 */
public final class InOrder {
    private InOrder() {}

    /** Applies {@code ops} in order with {@code one}; fails with the first failure, the rest not tried. */
    public static Future<Void> apply(List<TableOp> ops, Function<TableOp, Future<Void>> one) {
        Promise<Void> done = Promise.promise();
        from(ops, 0, one, done);
        return done.future();
    }

    private static void from(List<TableOp> ops, int start, Function<TableOp, Future<Void>> one, Promise<Void> done) {
        for (int i = start; i < ops.size(); i++) {
            Future<Void> f = one.apply(ops.get(i));
            if (!f.isComplete()) {
                int next = i + 1;
                f.onComplete(ar -> {
                    if (ar.failed()) {
                        done.fail(ar.cause());
                    } else {
                        from(ops, next, one, done);
                    }
                });
                return;
            }
            if (f.failed()) {
                done.fail(f.cause());
                return;
            }
        }
        done.complete();
    }
}
