package piranha.dataplane;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What identifies a virtual service in this table: protocol, VIP and port ({@code -t VIP:PORT} or
 * {@code -u VIP:PORT}).
 */
public record ServiceKey(Protocol protocol, InetAddress vip, int port) {

    public ServiceKey {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(vip, "vip");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("virtual port " + port + " out of range 1-65535");
        }
    }

    public static ServiceKey tcp(InetAddress vip, int port) {
        return new ServiceKey(Protocol.TCP, vip, port);
    }

    public static ServiceKey udp(InetAddress vip, int port) {
        return new ServiceKey(Protocol.UDP, vip, port);
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(vip, port);
    }

    /** As ipvsadm prints it: {@code TCP  192.168.1.250:80}. */
    @Override
    public String toString() {
        return protocol + " " + Addresses.format(vip, port);
    }
}
