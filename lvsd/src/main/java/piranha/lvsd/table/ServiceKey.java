package piranha.lvsd.table;

import piranha.lvscf.model.Protocol;

/**
 * What identifies an IPVS virtual service: protocol, virtual IP and port, or a firewall mark
 * (then protocol, IP and port are not part of it, as in the kernel).
 */
public record ServiceKey(Protocol protocol, String vip, int port, int fwmark) {

    public static ServiceKey of(Protocol protocol, String vip, int port) {
        return new ServiceKey(protocol, vip, port, 0);
    }

    public static ServiceKey fwmark(int mark) {
        return new ServiceKey(Protocol.TCP, "0.0.0.0", 0, mark);
    }

    public boolean isFwmark() {
        return fwmark != 0;
    }

    /** ipvsadm's way of naming the service: {@code -t VIP:PORT}, {@code -u VIP:PORT} or {@code -f MARK}. */
    public String ipvsadm() {
        if (isFwmark()) {
            return "-f " + fwmark;
        }
        return (protocol == Protocol.UDP ? "-u " : "-t ") + vip + ":" + port;
    }

    @Override
    public String toString() {
        return ipvsadm();
    }
}
