package piranha.nanny.cli;

import java.util.ArrayList;
import java.util.List;
import piranha.nanny.NannyConfig;

/**
 * The ipvsadm argument vectors Piranha's nanny issued for its real server (reference: add, edit
 * weight, delete), with the service as {@code -t VIP:PORT}, {@code -u VIP:PORT} or {@code -f MARK}.
 */
public final class IpvsadmCommands {
    private final String ipvsadm;
    private final NannyConfig config;

    public IpvsadmCommands(String ipvsadm, NannyConfig config) {
        this.ipvsadm = ipvsadm;
        this.config = config;
    }

    public String path() {
        return ipvsadm;
    }

    /** {@code -a SVC -r RIP:RPORT M -w W} */
    public List<String> add(int weight) {
        return withWeight("-a", weight);
    }

    /** {@code -e SVC -r RIP:RPORT M -w W} */
    public List<String> edit(int weight) {
        return withWeight("-e", weight);
    }

    /** {@code -d SVC -r RIP:RPORT} */
    public List<String> delete() {
        List<String> argv = service("-d");
        argv.add("-r");
        argv.add(config.realServer());
        return argv;
    }

    private List<String> withWeight(String op, int weight) {
        List<String> argv = service(op);
        argv.add("-r");
        argv.add(config.realServer());
        argv.add(config.method().flag());
        argv.add("-w");
        argv.add(Integer.toString(weight));
        return argv;
    }

    private List<String> service(String op) {
        List<String> argv = new ArrayList<>();
        argv.add(ipvsadm);
        argv.add(op);
        if (config.fwmark() != 0) {
            argv.add("-f");
            argv.add(Integer.toString(config.fwmark()));
        } else {
            argv.add(config.protocol() == NannyConfig.Protocol.UDP ? "-u" : "-t");
            argv.add(config.vip() + ":" + config.port());
        }
        return argv;
    }
}
