package piranha.dataplane;

import java.util.List;

/** {@code ipvsadm -L -n} and {@code ipvsadm -L -n --stats} as text, for status output and logs. */
public final class IpvsadmFormat {
    private IpvsadmFormat() {}

    public static String list(List<ServiceStats> services) {
        StringBuilder b = new StringBuilder();
        b.append("Prot LocalAddress:Port Scheduler Flags\n");
        b.append("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
        for (ServiceStats s : services) {
            b.append(String.format("%-4s %-28s %s%s%n", s.key().protocol(),
                    Addresses.format(s.key().vip(), s.key().port()), s.scheduler(),
                    s.persistentSeconds() > 0 ? " persistent " + s.persistentSeconds() : ""));
            for (DestinationStats d : s.destinations()) {
                b.append(String.format("  -> %-28s %-7s %-6d %-10d %d%s%n", Addresses.format(d.address()),
                        d.method().ipvsName(), d.weight(), d.activeConns(), d.inactiveConns(), d.sorry() ? " sorry" : ""));
            }
        }
        return b.toString();
    }

    public static String stats(List<ServiceStats> services) {
        StringBuilder b = new StringBuilder();
        b.append("Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n");
        b.append("  -> RemoteAddress:Port\n");
        for (ServiceStats s : services) {
            b.append(String.format("%-4s %-28s %8d %8d %8d %8d %8d%n", s.key().protocol(),
                    Addresses.format(s.key().vip(), s.key().port()), s.conns(), s.inPackets(), s.outPackets(),
                    s.inBytes(), s.outBytes()));
            for (DestinationStats d : s.destinations()) {
                b.append(String.format("  -> %-28s %8d %8d %8d %8d %8d%n", Addresses.format(d.address()), d.conns(),
                        d.inPackets(), d.outPackets(), d.inBytes(), d.outBytes()));
            }
        }
        return b.toString();
    }
}
