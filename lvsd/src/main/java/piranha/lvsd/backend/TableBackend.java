package piranha.lvsd.backend;

import java.util.List;
import java.util.Map;

import io.vertx.core.Future;
import piranha.dataplane.DestinationStats;
import piranha.dataplane.ServiceKey;
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

    /**
     * Counters per service and destination endpoint ({@code IP:PORT}), as far as the backend keeps
     * them (ipvsadm -L -n: the connection counts); empty where it has none.
     */
    Future<Map<ServiceKey, Map<String, DestinationStats>>> stats();

    /** Releases what the backend holds open (sockets, processes); the table itself stays. */
    Future<Void> close();
}
