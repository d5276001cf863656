package piranha.lvsd.table;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import piranha.dataplane.DestinationSpec;
import piranha.dataplane.ServiceKey;

/**
 * The changes that turn one table into another, smallest first: a changed scheduler or
 * persistence is an edit of the service ({@code -E}), a changed weight or method an edit of the
 * destination ({@code -e}); only what was added or removed is added or removed.
 */
public final class TableDiff {
    private TableDiff() {}

    public static List<TableOp> between(Table current, Table desired) {
        return between(current, desired, current.services().keySet(), desired.services().keySet());
    }

    /** The changes to the services {@code keys} only; every other service is taken to be as wanted. */
    public static List<TableOp> between(Table current, Table desired, Collection<ServiceKey> keys) {
        return between(current, desired, keys, keys);
    }

    private static List<TableOp> between(Table current, Table desired, Collection<ServiceKey> had, Collection<ServiceKey> wanted) {
        List<TableOp> ops = new ArrayList<>();
        for (ServiceKey key : had) {
            Table.Entry have = current.get(key);
            if (have == null) {
                continue;
            }
            Table.Entry want = desired.get(key);
            if (want == null) {
                ops.add(new TableOp.DeleteService(key));
            } else {
                for (DestinationSpec d : have.destinations().values()) {
                    if (!want.destinations().containsKey(d.endpoint())) {
                        ops.add(new TableOp.DeleteDestination(key, d));
                    }
                }
            }
        }
        for (ServiceKey key : wanted) {
            Table.Entry want = desired.get(key);
            if (want == null) {
                continue;
            }
            Table.Entry have = current.get(key);
            if (have == null) {
                ops.add(new TableOp.AddService(want.spec()));
            } else if (!have.spec().equals(want.spec())) {
                ops.add(new TableOp.EditService(want.spec()));
            }
            for (DestinationSpec d : want.destinations().values()) {
                DestinationSpec old = have == null ? null : have.destinations().get(d.endpoint());
                if (old == null) {
                    ops.add(new TableOp.AddDestination(key, d));
                } else if (!old.equals(d)) {
                    ops.add(new TableOp.EditDestination(key, d));
                }
            }
        }
        return ops;
    }
}
