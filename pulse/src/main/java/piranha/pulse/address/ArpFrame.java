package piranha.pulse.address;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/** Ethernet frames carrying a gratuitous ARP, padded to the 60-byte Ethernet minimum. */
public final class ArpFrame {
    public static final int LENGTH = 60;
    public static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    private static final short ETH_P_ARP = 0x0806;

    private ArpFrame() {}

    /** Piranha's send_arp frame: an ARP reply with sender = target = (ip, mac), to ethDest. */
    public static byte[] piranhaReply(Inet4Address ip, byte[] mac, byte[] ethDest) {
        return frame(ethDest, mac, 2, ip, mac, ip);
    }

    /** The announcement pulse sends: a broadcast ARP request for its own address (RFC 5227 style). */
    public static byte[] announcement(Inet4Address ip, byte[] mac) {
        return frame(BROADCAST, mac, 1, ip, new byte[6], ip);
    }

    private static byte[] frame(byte[] ethDest, byte[] mac, int op, Inet4Address spa, byte[] tha, Inet4Address tpa) {
        if (mac.length != 6 || ethDest.length != 6) throw new IllegalArgumentException("MAC must be 6 bytes");
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(ethDest).put(mac).putShort(ETH_P_ARP);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) op);
        b.put(mac).put(spa.getAddress()).put(tha).put(tpa.getAddress());
        return b.array();
    }

    /** "00:1A:2b:..." or "001A2B..." to 6 bytes. */
    public static byte[] parseMac(String text) {
        String hex = text.replace(":", "");
        if (hex.length() != 12 || !hex.matches("[0-9A-Fa-f]{12}")) {
            throw new IllegalArgumentException("bad hardware address: " + text);
        }
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) mac[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        return mac;
    }
}
