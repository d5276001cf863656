package piranha.lvsd.backend.ipvsadm;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import piranha.dataplane.DestinationStats;
import piranha.dataplane.IpvsadmArgs;
import piranha.dataplane.ServiceKey;
import piranha.lvsd.backend.TableBackend;
import piranha.lvsd.table.Table;
import piranha.lvsd.table.TableOp;

/**
 * The kernel's IPVS table through the ipvsadm command: one command for one change, one
 * {@code ipvsadm -R} batch for many (start-up, reload). Never {@code ipvsadm -C}: only the
 * services lvsd is given are touched. Commands run one at a time on a worker of their own.
 */
public final class IpvsadmBackend implements TableBackend {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd.ipvsadm");

    private final Ipvsadm ipvsadm;
    private final WorkerExecutor worker;
    private final boolean testStart;

    /** @param testStart log each command and run none ({@code lvsd --test-start}) */
    public IpvsadmBackend(Vertx vertx, String path, boolean testStart) {
        this.ipvsadm = new Ipvsadm(path, Duration.ofSeconds(10));
        this.worker = vertx.createSharedWorkerExecutor("ipvsadm", 1);
        this.testStart = testStart;
    }

    @Override
    public String name() {
        return "ipvsadm";
    }

    @Override
    public Future<Void> apply(List<TableOp> ops) {
        if (ops.isEmpty()) {
            return Future.succeededFuture();
        }
        return worker.executeBlocking(() -> {
            if (ops.size() == 1) {
                run(ops.get(0).on(IpvsadmArgs.INSTANCE), null);
            } else {
                StringBuilder batch = new StringBuilder();
                for (TableOp op : ops) {
                    batch.append(IpvsadmArgs.line(op.on(IpvsadmArgs.INSTANCE))).append('\n');
                }
                run(List.of("-R"), batch.toString());
            }
            return null;
        }, true);
    }

    private void run(List<String> args, String stdin) throws IOException {
        String shown = ipvsadm.path() + " " + String.join(" ", args);
        if (testStart) {
            LOG.info(() -> "would run: " + shown + (stdin == null ? "" : " <<\n" + stdin.strip()));
            return;
        }
        LOG.fine(() -> "running " + shown + (stdin == null ? "" : " <<\n" + stdin.strip()));
        Ipvsadm.Result r = ipvsadm.run(args, stdin);
        // ipvsadm -R reports a failed line on stderr and goes on with the next; its exit status is
        // that of the last line only. Any message means the batch did not all apply.
        if (!r.ok() || (stdin != null && !r.stderr().isEmpty())) {
            throw new IOException(shown + " failed (exit " + r.exit() + ")" + (r.stderr().isEmpty() ? "" : ": " + r.stderr()));
        }
    }

    @Override
    public Future<Table> read() {
        if (testStart) {
            return Future.succeededFuture(Table.EMPTY);
        }
        return worker.executeBlocking(() -> {
            Ipvsadm.Result r = ipvsadm.run(List.of("-S", "-n"), null);
            if (!r.ok()) {
                throw new IOException(ipvsadm.path() + " -S -n failed (exit " + r.exit() + "): " + r.stderr());
            }
            return IpvsadmSave.parse(r.stdout());
        }, true);
    }

    @Override
    public Future<Map<ServiceKey, Map<String, DestinationStats>>> stats() {
        if (testStart) {
            return Future.succeededFuture(Map.of());
        }
        return worker.<Map<ServiceKey, Map<String, DestinationStats>>>executeBlocking(() -> {
            Ipvsadm.Result r = ipvsadm.run(List.of("-L", "-n"), null);
            return r.ok() ? IpvsadmSave.connections(r.stdout()) : Map.of();
        }, true).recover(e -> {
            LOG.log(Level.FINE, "ipvsadm -L -n: " + e.getMessage());
            return Future.succeededFuture(Map.of());
        });
    }

    @Override
    public Future<Void> close() {
        return worker.close();
    }
}
