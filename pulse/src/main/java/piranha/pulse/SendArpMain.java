package piranha.pulse;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import piranha.pulse.address.ArpFrame;
import piranha.pulse.address.PacketSocket;

/**
 * `send_arp [-i DEV] SRC_IP SRC_MAC TARG_IP TARG_MAC`: one gratuitous ARP frame as Piranha's send_arp
 * sends it (ARP reply, sender = target = SRC_IP/SRC_MAC, to TARG_MAC). TARG_IP is accepted and ignored,
 * as it always was.
 */
@Command(name = "send_arp", description = "Send one gratuitous ARP (Piranha's send_arp).")
public final class SendArpMain implements Callable<Integer> {

    @Option(names = "-i", paramLabel = "DEV", description = "device (default ${DEFAULT-VALUE})")
    String device = "eth0";

    @Parameters(index = "0", paramLabel = "SRC_IP")
    String srcIp;

    @Parameters(index = "1", paramLabel = "SRC_MAC", description = "12 hex digits, colons optional")
    String srcMac;

    @Parameters(index = "2", paramLabel = "TARG_IP", description = "ignored")
    String targIp;

    @Parameters(index = "3", paramLabel = "TARG_MAC", description = "Ethernet destination, e.g. ffffffffffff")
    String targMac;

    @Option(names = {"-?", "-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new SendArpMain());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("send_arp: " + e.getMessage());
            return 1;
        });
        // Piranha's send_arp exits 1 on any error, usage errors included
        int status = cl.execute(args);
        System.exit(status == 0 ? 0 : 1);
    }

    @Override
    public Integer call() {
        Inet4Address ip;
        byte[] src;
        byte[] dst;
        try {
            InetAddress a = InetAddress.getByName(srcIp);
            if (!(a instanceof Inet4Address v4) || !srcIp.matches("[0-9.]+")) {
                throw new UnknownHostException("not an IPv4 address: " + srcIp);
            }
            ip = v4;
            src = ArpFrame.parseMac(srcMac);
            dst = ArpFrame.parseMac(targMac);
        } catch (UnknownHostException | IllegalArgumentException e) {
            System.err.println("send_arp: " + e.getMessage());
            return 1;
        }
        try (PacketSocket s = new PacketSocket()) {
            s.send(device, ArpFrame.piranhaReply(ip, src, dst));
            return 0;
        } catch (IOException e) {
            System.err.println("send_arp: " + e.getMessage());
            return 1;
        }
    }
}
