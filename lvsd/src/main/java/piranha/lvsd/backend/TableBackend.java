package piranha.lvsd.backend;

import java.util.List;
import java.util.Map;

import io.vertx.core.Future;
import piranha.lvsd.table.ServiceKey;
import piranha.lvsd.table.Table;
import piranha.lvsd.table.TableOp;

/**
 * Where the table lives: the kernel's IPVS through ipvsadm, or the user-space data plane. lvsd
 * drives both the same way: it reads the table, computes the changes to the desired one, and
 * applies them here. A backend never decides what the table should hold.
 */
public interface TableBackend {

    /** {@code ipvsadm} or {@code userspace}, as the {@code backend} key names it. */
    String name();

    /** Applies the changes in order; fails at the first one that could not be made. */
    Future<Void> apply(List<TableOp> ops);

    /** The whole table as the backend holds it now (the caller keeps to the services it owns). */
    Future<Table> read();

    /** Connection counters per service and destination endpoint; empty where the backend has none. */
    Future<Map<ServiceKey, Map<String, DestinationStats>>> stats();

    /** Releases what the backend holds open (sockets, processes); the table itself stays. */
    Future<Void> close();
}
