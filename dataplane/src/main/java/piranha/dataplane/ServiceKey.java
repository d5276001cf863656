package piranha.dataplane;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What identifies an IPVS virtual service: protocol, VIP and port ({@code -t VIP:PORT} or
 * {@code -u VIP:PORT}), or a firewall mark ({@code -f MARK}; then protocol, VIP and port are not
 * part of it, as in the kernel). The user-space table listens on VIP:port and so takes only the
 * former; a firewall-mark service is given to it on the VIP:port it stands for.
 */
public record ServiceKey(Protocol protocol, InetAddress vip, int port, int fwmark) {
    private static final InetAddress ANY = Addresses.parseAddress("0.0.0.0");

    public ServiceKey {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(vip, "vip");
        if (fwmark < 0) {
            throw new IllegalArgumentException("fwmark must be >= 0, got " + fwmark);
        }
        if (fwmark == 0 && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("virtual port " + port + " out of range 1-65535");
        }
    }

    public ServiceKey(Protocol protocol, InetAddress vip, int port) {
        this(protocol, vip, port, 0);
    }

    public static ServiceKey tcp(InetAddress vip, int port) {
        return new ServiceKey(Protocol.TCP, vip, port);
    }

    public static ServiceKey udp(InetAddress vip, int port) {
        return new ServiceKey(Protocol.UDP, vip, port);
    }

    /** The service of firewall mark {@code mark} (at least 1). */
    public static ServiceKey fwmark(int mark) {
        if (mark < 1) {
            throw new IllegalArgumentException("fwmark must be >= 1, got " + mark);
        }
        return new ServiceKey(Protocol.TCP, ANY, 0, mark);
    }

    public boolean isFwmark() {
        return fwmark != 0;
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(vip, port);
    }

    /** ipvsadm's way of naming the service: {@code -t VIP:PORT}, {@code -u VIP:PORT} or {@code -f MARK}. */
    public String ipvsadm() {
        if (isFwmark()) {
            return "-f " + fwmark;
        }
        return (protocol == Protocol.UDP ? "-u " : "-t ") + Addresses.format(vip, port);
    }

    /** As ipvsadm prints it: {@code TCP  192.168.1.250:80}, {@code FWM  8}. */
    @Override
    public String toString() {
        return isFwmark() ? "FWM " + fwmark : protocol + " " + Addresses.format(vip, port);
    }
}
