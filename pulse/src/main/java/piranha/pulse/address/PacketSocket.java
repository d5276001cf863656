package piranha.pulse.address;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A Linux AF_PACKET raw socket for sending ready-made Ethernet frames (send only). */
public final class PacketSocket implements AutoCloseable {
    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final short ARPHRD_ETHER = 1;

    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC C = Native.load("c", LibC.class);
    }

    private final int fd;

    public PacketSocket() throws IOException {
        try {
            // protocol 0: this socket receives nothing, so it never queues traffic nobody reads
            fd = Holder.C.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot open a packet socket (root needed): errno " + e.getErrorCode(), e);
        }
    }

    /** Sends one Ethernet frame out of device (its destination MAC is the frame's first 6 bytes, its EtherType bytes 12-13). */
    public void send(String device, byte[] frame) throws IOException {
        NetworkInterface nif;
        try {
            nif = NetworkInterface.getByName(device);
        } catch (SocketException e) {
            nif = null;
        }
        if (nif == null) throw new IOException("no such device: " + device);
        ByteBuffer sll = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        sll.putShort((short) AF_PACKET);
        // the frame's own EtherType (ARP, or IPv6 for a neighbour advertisement), in network order
        sll.put(frame[12]).put(frame[13]);
        sll.putInt(nif.getIndex()).putShort(ARPHRD_ETHER).put((byte) 0).put((byte) 6);
        sll.put(frame, 0, 6);
        try {
            Holder.C.sendto(fd, frame, frame.length, 0, sll.array(), 20);
        } catch (LastErrorException e) {
            throw new IOException("sending on " + device + " failed: errno " + e.getErrorCode(), e);
        }
    }

    /**
     * The Ethernet address of a device, e.g. of eth0 (aliases have their base device's); null for a
     * device that has none (lo, tun, wireguard: ARP means nothing there).
     */
    public static byte[] hardwareAddress(String device) throws IOException {
        NetworkInterface nif = NetworkInterface.getByName(device);
        if (nif == null) throw new IOException("no such device: " + device);
        byte[] mac = nif.getHardwareAddress();
        return mac == null || mac.length != 6 ? null : mac;
    }

    @Override
    public void close() {
        try {
            Holder.C.close(fd);
        } catch (LastErrorException ignored) {
            // nothing useful to do about a failed close of a send-only socket
        }
    }
}
