package piranha.pulse.address;

import java.net.Inet6Address;
import java.nio.ByteBuffer;

/**
 * Ethernet frames carrying an unsolicited IPv6 neighbour advertisement (RFC 4861 §7.2.6), IPv6's
 * gratuitous ARP: to all nodes (ff02::1, Ethernet 33:33:00:00:00:01), hop limit 255 (receivers drop
 * any other), from and for the floating address, the override flag set (so a neighbour that has the
 * address cached with the old director's MAC takes the new one) and the solicited flag clear (a
 * solicited advertisement to a multicast address is invalid), with the target link-layer address
 * option naming this director's MAC.
 */
public final class NeighbourAdvertisement {
    /** 14 Ethernet + 40 IPv6 + 24 advertisement + 8 option. */
    public static final int LENGTH = 86;
    private static final short ETH_P_IPV6 = (short) 0x86DD;
    private static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};
    private static final byte[] ALL_NODES = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final int ICMPV6 = 58;
    private static final int TYPE_NEIGHBOUR_ADVERTISEMENT = 136;
    private static final int FLAG_OVERRIDE = 0x20000000;
    private static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;
    private static final int ICMP_LENGTH = 32;

    private NeighbourAdvertisement() {}

    /** The advertisement pulse sends for {@code address} after adding it on a device with {@code mac}. */
    public static byte[] unsolicited(Inet6Address address, byte[] mac) {
        if (mac.length != 6) throw new IllegalArgumentException("MAC must be 6 bytes");
        byte[] src = address.getAddress();
        ByteBuffer icmp = ByteBuffer.allocate(ICMP_LENGTH);
        icmp.put((byte) TYPE_NEIGHBOUR_ADVERTISEMENT).put((byte) 0).putShort((short) 0); // checksum below
        icmp.putInt(FLAG_OVERRIDE);
        icmp.put(src);
        icmp.put((byte) OPTION_TARGET_LINK_LAYER_ADDRESS).put((byte) 1).put(mac); // length in units of 8 bytes
        byte[] message = icmp.array();
        short sum = checksum(src, ALL_NODES, message);
        message[2] = (byte) (sum >> 8);
        message[3] = (byte) sum;
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(ALL_NODES_MAC).put(mac).putShort(ETH_P_IPV6);
        b.putInt(0x60000000); // version 6, traffic class 0, flow label 0
        b.putShort((short) ICMP_LENGTH).put((byte) ICMPV6).put((byte) 255);
        b.put(src).put(ALL_NODES);
        b.put(message);
        return b.array();
    }

    /** The ICMPv6 checksum: one's complement sum over the pseudo-header (RFC 8200 §8.1) and the message. */
    static short checksum(byte[] src, byte[] dst, byte[] message) {
        long sum = 0;
        sum += words(src) + words(dst);
        sum += message.length; // upper-layer packet length (32 bits, high half zero)
        sum += ICMPV6; // three zero bytes and the next header
        sum += words(message);
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (short) ~sum;
    }

    private static long words(byte[] b) {
        long sum = 0;
        for (int i = 0; i < b.length; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (i + 1 < b.length ? b[i + 1] & 0xff : 0);
        }
        return sum;
    }
}
