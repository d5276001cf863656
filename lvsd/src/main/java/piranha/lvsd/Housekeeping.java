package piranha.lvsd;

import java.time.Duration;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import piranha.lvsd.backend.TableBackend;

/**
 * lvsd's periodic work once the first table is programmed: every second the nanny watch (restart
 * the stuck ones), the restored intents still pending, and the real servers a reload removed that
 * may now leave the table; every {@code --reconcile-interval} a re-read of the backend's table to
 * repair what others changed. Each tick runs on lvsd's context.
 */
final class Housekeeping {
    private final Vertx vertx;
    private final Context context;
    private final Monitors monitors;
    private final IntentRestore intents;
    private final TableKeeper keeper;
    private final TableBackend backend;
    private final Duration reconcileInterval;
    private long watchTimer = -1;
    private long reconcileTimer = -1;

    Housekeeping(Vertx vertx, Context context, Monitors monitors, IntentRestore intents, TableKeeper keeper,
            TableBackend backend, Duration reconcileInterval) {
        this.vertx = vertx;
        this.context = context;
        this.monitors = monitors;
        this.intents = intents;
        this.keeper = keeper;
        this.backend = backend;
        this.reconcileInterval = reconcileInterval;
    }

    void start() {
        watchTimer = vertx.setPeriodic(1000, t -> context.runOnContext(y -> {
            monitors.watch();
            if (intents.pending()) {
                intents.retry();
            }
            if (!keeper.leaving().isEmpty()) {
                // the active connections tell whether a removed server has drained
                backend.stats().onSuccess(stats -> context.runOnContext(z -> keeper.expireLeaving(stats)));
            }
        }));
        long every = reconcileInterval.toMillis();
        if (every > 0) {
            reconcileTimer = vertx.setPeriodic(every, t -> context.runOnContext(y -> keeper.reconcile()));
        }
    }

    void stop() {
        if (watchTimer >= 0) {
            vertx.cancelTimer(watchTimer);
        }
        if (reconcileTimer >= 0) {
            vertx.cancelTimer(reconcileTimer);
        }
    }
}
