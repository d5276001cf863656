package piranha.lvsd.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The changes that turn one table into another, smallest first: a changed scheduler or
 * persistence is an edit of the service ({@code -E}), a changed weight or method an edit of the
 * destination ({@code -e}); only what was added or removed is added or removed.
 */
public final class TableDiff {
    private TableDiff() {}

    public static List<TableOp> between(Table current, Table desired) {
        List<TableOp> ops = new ArrayList<>();
        for (Map.Entry<ServiceKey, Table.Entry> e : current.services().entrySet()) {
            Table.Entry want = desired.get(e.getKey());
            if (want == null) {
                ops.add(new TableOp.DeleteService(e.getKey()));
            } else {
                for (Destination d : e.getValue().destinations().values()) {
                    if (!want.destinations().containsKey(d.endpoint())) {
                        ops.add(new TableOp.DeleteDestination(e.getKey(), d));
                    }
                }
            }
        }
        for (Map.Entry<ServiceKey, Table.Entry> e : desired.services().entrySet()) {
            ServiceKey key = e.getKey();
            Table.Entry have = current.get(key);
            if (have == null) {
                ops.add(new TableOp.AddService(e.getValue().spec()));
            } else if (!have.spec().equals(e.getValue().spec())) {
                ops.add(new TableOp.EditService(e.getValue().spec()));
            }
            for (Destination d : e.getValue().destinations().values()) {
                Destination old = have == null ? null : have.destinations().get(d.endpoint());
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
