package piranha.lvsd.backend.ipvsadm;

import java.util.ArrayList;
import java.util.List;

import piranha.lvsd.table.Destination;
import piranha.lvsd.table.ServiceKey;
import piranha.lvsd.table.TableOp;

/** Each table change as the ipvsadm arguments Piranha used (reference §4.3). */
public final class IpvsadmCommands {
    private IpvsadmCommands() {}

    public static List<String> args(TableOp op) {
        List<String> a = new ArrayList<>();
        if (op instanceof TableOp.AddService s) {
            a.add("-A");
            service(a, s.spec().key());
            words(a, s.spec().ipvsadmOptions());
        } else if (op instanceof TableOp.EditService s) {
            a.add("-E");
            service(a, s.spec().key());
            words(a, s.spec().ipvsadmOptions());
        } else if (op instanceof TableOp.DeleteService s) {
            a.add("-D");
            service(a, s.key());
        } else if (op instanceof TableOp.AddDestination d) {
            a.add("-a");
            destination(a, d.service(), d.destination(), true);
        } else if (op instanceof TableOp.EditDestination d) {
            a.add("-e");
            destination(a, d.service(), d.destination(), true);
        } else if (op instanceof TableOp.DeleteDestination d) {
            a.add("-d");
            destination(a, d.service(), d.destination(), false);
        } else if (op instanceof TableOp.SetTimeouts t) {
            a.add("--set");
            a.add(Integer.toString(t.tcp()));
            a.add(Integer.toString(t.tcpfin()));
            a.add(Integer.toString(t.udp()));
        }
        return a;
    }

    /** The line of an {@code ipvsadm -R} batch: the same arguments, blank-separated. */
    public static String line(TableOp op) {
        return String.join(" ", args(op));
    }

    private static void service(List<String> a, ServiceKey key) {
        words(a, key.ipvsadm());
    }

    private static void destination(List<String> a, ServiceKey key, Destination d, boolean full) {
        service(a, key);
        a.add("-r");
        a.add(d.endpoint());
        if (full) {
            a.add(d.method().ipvsadmFlag());
            a.add("-w");
            a.add(Integer.toString(d.weight()));
        }
    }

    private static void words(List<String> a, String s) {
        for (String w : s.split(" ")) {
            a.add(w);
        }
    }
}
