package piranha.dataplane;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Each IPVS operation as the arguments of the ipvsadm command Piranha used (reference §4.3), for
 * lvsd's kernel backend and for the {@code nanny} command. A line of an {@code ipvsadm -R} batch
 * is the same arguments, blank-separated ({@link #line}).
 */
public final class IpvsadmArgs implements IpvsOperations<List<String>> {
    /** The arguments; stateless. */
    public static final IpvsadmArgs INSTANCE = new IpvsadmArgs();

    private IpvsadmArgs() {}

    /** The line of an {@code ipvsadm -R} batch. */
    public static String line(List<String> args) {
        return String.join(" ", args);
    }

    /** The scheduler and persistence options of {@code -A/-E}: {@code -s wlc [-b FLAG,...] [-p 60 [-M 255.255.255.0]]}. */
    public static List<String> serviceOptions(ServiceSpec spec) {
        List<String> a = new ArrayList<>(List.of("-s", spec.scheduler()));
        if (!spec.schedulerFlags().isEmpty()) {
            a.add("-b");
            a.add(String.join(",", spec.schedulerFlags()));
        }
        if (spec.persistentSeconds() > 0) {
            a.add("-p");
            a.add(Integer.toString(spec.persistentSeconds()));
            if (spec.pmask() != null) {
                a.add("-M");
                // ipvsadm takes an IPv6 persistence mask as a prefix length (-M 64)
                a.add(spec.pmask() instanceof java.net.Inet6Address
                        ? Integer.toString(Addresses.prefixLength(spec.pmask())) : spec.pmask().getHostAddress());
            }
        }
        return a;
    }

    /** {@code -t VIP:PORT}, {@code -u VIP:PORT} or {@code -f MARK}. */
    public static List<String> service(ServiceKey key) {
        if (key.isFwmark()) {
            return List.of("-f", Integer.toString(key.fwmark()));
        }
        return List.of(key.protocol() == Protocol.UDP ? "-u" : "-t", Addresses.format(key.vip(), key.port()));
    }

    @Override
    public List<String> addService(ServiceSpec spec) {
        return service("-A", spec);
    }

    @Override
    public List<String> editService(ServiceSpec spec) {
        return service("-E", spec);
    }

    @Override
    public List<String> deleteService(ServiceKey key) {
        List<String> a = new ArrayList<>(List.of("-D"));
        a.addAll(service(key));
        return a;
    }

    @Override
    public List<String> addDestination(ServiceKey key, DestinationSpec spec) {
        return destination("-a", key, spec);
    }

    @Override
    public List<String> editDestination(ServiceKey key, DestinationSpec spec) {
        return destination("-e", key, spec);
    }

    @Override
    public List<String> deleteDestination(ServiceKey key, InetSocketAddress address) {
        List<String> a = new ArrayList<>(List.of("-d"));
        a.addAll(service(key));
        a.add("-r");
        a.add(Addresses.format(address));
        return a;
    }

    @Override
    public List<String> setTimeouts(Timeouts t) {
        return List.of("--set", Integer.toString(t.tcp()), Integer.toString(t.tcpfin()), Integer.toString(t.udp()));
    }

    private static List<String> service(String op, ServiceSpec spec) {
        List<String> a = new ArrayList<>(List.of(op));
        a.addAll(service(spec.key()));
        a.addAll(serviceOptions(spec));
        return a;
    }

    private static List<String> destination(String op, ServiceKey key, DestinationSpec d) {
        List<String> a = new ArrayList<>(List.of(op));
        a.addAll(service(key));
        a.add("-r");
        a.add(d.endpoint());
        a.add("-" + d.method().flag());
        a.add("-w");
        a.add(Integer.toString(d.weight()));
        return a;
    }
}
