package piranha.nanny.cli;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import piranha.dataplane.Addresses;
import piranha.dataplane.DestinationSpec;
import piranha.dataplane.ForwardingMethod;
import piranha.dataplane.IpvsadmArgs;
import piranha.dataplane.ServiceKey;
import piranha.nanny.NannyConfig;

/**
 * The ipvsadm commands Piranha's nanny issued for its real server (add, edit weight, delete), in
 * the IPVS terms and argument shapes lvsd uses ({@link IpvsadmArgs}), with the service as
 * {@code -t VIP:PORT}, {@code -u VIP:PORT} or {@code -f MARK}.
 */
public final class IpvsadmCommands {
    /** IPVS's largest weight: a load-monitor weight above it is applied as it. */
    static final int MAX_WEIGHT = 65535;

    private final String ipvsadm;
    private final ServiceKey service;
    private final InetSocketAddress realServer;
    private final ForwardingMethod method;

    public IpvsadmCommands(String ipvsadm, NannyConfig config) {
        this.ipvsadm = ipvsadm;
        this.service = service(config);
        this.realServer = new InetSocketAddress(Addresses.parseAddress(config.address()), config.rport());
        this.method = ForwardingMethod.parse(config.method().flag());
    }

    private static ServiceKey service(NannyConfig config) {
        if (config.fwmark() != 0) {
            return ServiceKey.fwmark(config.fwmark());
        }
        var vip = Addresses.parseAddress(config.vip() == null ? "0.0.0.0" : config.vip());
        return config.protocol() == NannyConfig.Protocol.UDP ? ServiceKey.udp(vip, config.port()) : ServiceKey.tcp(vip, config.port());
    }

    public String path() {
        return ipvsadm;
    }

    /** {@code -a SVC -r RIP:RPORT M -w W} */
    public List<String> add(int weight) {
        return command(IpvsadmArgs.INSTANCE.addDestination(service, destination(weight)));
    }

    /** {@code -e SVC -r RIP:RPORT M -w W} */
    public List<String> edit(int weight) {
        return command(IpvsadmArgs.INSTANCE.editDestination(service, destination(weight)));
    }

    /** {@code -d SVC -r RIP:RPORT} */
    public List<String> delete() {
        return command(IpvsadmArgs.INSTANCE.deleteDestination(service, realServer));
    }

    private DestinationSpec destination(int weight) {
        return new DestinationSpec(realServer, Math.min(weight, MAX_WEIGHT), method, false);
    }

    private List<String> command(List<String> args) {
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add(ipvsadm);
        argv.addAll(args);
        return argv;
    }
}
