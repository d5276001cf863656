package piranha.pulse.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An IPv6 throw-away network: in a switch namespace a public bridge (2001:db8::/64) joining two
 * directors and a client, and a private bridge (2001:db8:1::/64, the heartbeat network) joining the
 * directors only; no route out. Duplicate address detection is off (addresses usable at once).
 * Names start with {@code v6-} and carry a random suffix; {@link #close} removes everything.
 */
final class Ipv6Lab implements AutoCloseable {
    static final String D1_IP = "2001:db8::11";
    static final String D2_IP = "2001:db8::12";
    static final String D1_PRIVATE = "2001:db8:1::11";
    static final String D2_PRIVATE = "2001:db8:1::12";
    static final String CLI_IP = "2001:db8::31";
    static final String VIP = "2001:db8::100";
    static final String D1_MAC = "02:00:00:00:06:11";
    static final String D2_MAC = "02:00:00:00:06:12";

    final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    final String sw = "v6-sw-" + suffix;
    final String d1 = "v6-d1-" + suffix;
    final String d2 = "v6-d2-" + suffix;
    final String cli = "v6-cl-" + suffix;
    private final List<String> created = new ArrayList<>();

    Ipv6Lab() throws IOException, InterruptedException {
        try {
            for (String ns : List.of(sw, d1, d2, cli)) {
                Lab.sh("ip", "netns", "add", ns);
                created.add(ns);
                Lab.sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0",
                        "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0");
                Lab.sh("ip", "-n", ns, "link", "set", "lo", "up");
            }
            for (String br : List.of("br0", "br1")) {
                Lab.sh("ip", "-n", sw, "link", "add", br, "type", "bridge");
                Lab.sh("ip", "-n", sw, "link", "set", br, "up");
            }
            attach(d1, "br0", "p1", "lan0", D1_IP, D1_MAC);
            attach(d2, "br0", "p2", "lan0", D2_IP, D2_MAC);
            attach(cli, "br0", "pc", "lan0", CLI_IP, "02:00:00:00:06:31");
            attach(d1, "br1", "q1", "hb0", D1_PRIVATE, "02:00:00:00:16:11");
            attach(d2, "br1", "q2", "hb0", D2_PRIVATE, "02:00:00:00:16:12");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void attach(String ns, String bridge, String port, String dev, String ip, String mac)
            throws IOException, InterruptedException {
        Lab.sh("ip", "-n", sw, "link", "add", port, "type", "veth", "peer", "name", dev, "netns", ns);
        Lab.sh("ip", "-n", sw, "link", "set", port, "master", bridge, "up");
        Lab.sh("ip", "-n", ns, "link", "set", dev, "address", mac, "up");
        Lab.sh("ip", "-n", ns, "-6", "addr", "add", ip + "/64", "dev", dev, "nodad");
    }

    /** The client's neighbour entry for the VIP ("" when none). */
    String clientNeighbourMac() throws IOException, InterruptedException {
        String out = Lab.shAny("ip", "-n", cli, "-6", "neigh", "show", VIP, "dev", "lan0");
        int i = out.indexOf("lladdr ");
        return i < 0 ? "" : out.substring(i + 7).split("\\s+")[0];
    }

    /** One echo request from the client to the VIP: it resolves the VIP's MAC (an answer is not needed). */
    void clientPingVip() throws IOException, InterruptedException {
        Lab.shAny("ip", "netns", "exec", cli, "ping", "-6", "-n", "-c", "1", "-W", "1", VIP);
    }

    boolean hasVip(String ns) throws IOException, InterruptedException {
        return Lab.shAny("ip", "-n", ns, "-6", "addr", "show", "dev", "lan0").contains(" " + VIP + "/64");
    }

    /** Drops everything d2 sends or receives on a device (the director's end of a link cut). */
    void cut(String dev) throws IOException, InterruptedException {
        Lab.shAny("ip", "netns", "exec", d2, "nft", "add", "table", "inet", "v6cut");
        Lab.sh("ip", "netns", "exec", d2, "nft", "add", "chain", "inet", "v6cut", "in-" + dev,
                "{ type filter hook input priority 0 ; }");
        Lab.sh("ip", "netns", "exec", d2, "nft", "add", "chain", "inet", "v6cut", "out-" + dev,
                "{ type filter hook output priority 0 ; }");
        Lab.sh("ip", "netns", "exec", d2, "nft", "add", "rule", "inet", "v6cut", "in-" + dev, "iifname", dev, "drop");
        Lab.sh("ip", "netns", "exec", d2, "nft", "add", "rule", "inet", "v6cut", "out-" + dev, "oifname", dev, "drop");
    }

    void heal() throws IOException, InterruptedException {
        Lab.shAny("ip", "netns", "exec", d2, "nft", "delete", "table", "inet", "v6cut");
    }

    @Override
    public void close() {
        for (String ns : created) {
            try {
                for (String pid : Lab.shAny("ip", "netns", "pids", ns).split("\\s+")) {
                    if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (IOException | InterruptedException | NumberFormatException e) {
                // keep removing the rest
            }
        }
        for (String ns : created) {
            try {
                Lab.shAny("ip", "netns", "del", ns);
            } catch (IOException | InterruptedException e) {
                // best effort
            }
        }
        created.clear();
    }
}
