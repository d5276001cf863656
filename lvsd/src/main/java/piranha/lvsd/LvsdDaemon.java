package piranha.lvsd;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import piranha.daemon.Logs;
import piranha.dataplane.DataplaneTransport;
import sun.misc.Signal;

/**
 * lvsd as a process: logging, signals (HUP reloads, TERM and INT shut down cleanly), exit status.
 * It stays in the foreground; pulse or the service manager supervises it.
 */
final class LvsdDaemon {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");

    private LvsdDaemon() {}

    static int run(LvsdOptions options, boolean foreground, boolean verbose) {
        String where = Logs.setUp("lvsd", foreground, verbose);
        LOG.fine(where);
        // The user-space table forwards on these event loops: io_uring where the kernel allows it.
        Vertx vertx = DataplaneTransport.vertx(new VertxOptions());
        Lvsd lvsd = new Lvsd(vertx, options);
        CountDownLatch stop = new CountDownLatch(1);
        AtomicBoolean terminating = new AtomicBoolean();
        int[] status = {0};
        // Signals are handled from the first moment: a reload that arrives during start-up runs
        // once lvsd is ready; a TERM during start-up stops it cleanly.
        Signal.handle(new Signal("HUP"), s -> lvsd.ready().onSuccess(x -> lvsd.reload().onFailure(e -> LOG.warning(e::getMessage))));
        sun.misc.SignalHandler terminate = s -> {
            LOG.info(() -> "Terminating due to signal " + s.getNumber());
            terminating.set(true);
            lvsd.shutdown().onComplete(ar -> stop.countDown());
        };
        Signal.handle(new Signal("TERM"), terminate);
        Signal.handle(new Signal("INT"), terminate);
        try {
            lvsd.start().toCompletionStage().toCompletableFuture().get();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (terminating.get()) {
                // the start was cut short by the TERM: finish its shutdown, then end as a TERM does
                awaitQuietly(stop);
                vertx.close();
                return 0;
            }
            LOG.severe(() -> "cannot start: " + cause.getMessage());
            if (!foreground) {
                System.err.println("lvsd: " + cause.getMessage());
            }
            lvsd.shutdown().onComplete(x -> vertx.close());
            return 1;
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status[0] = 1;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.fine(() -> "closing: " + e.getMessage());
        }
        return status[0];
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
