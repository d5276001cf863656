package piranha.pulse.address;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Adds and removes a floating address with RTM_NEWADDR / RTM_DELADDR on a NETLINK_ROUTE socket, the
 * request `ip addr add/del` would send. Spawning `ip` at takeover costs a child process (tens of ms to
 * far more on a loaded director, at ordinary priority) between "partner dead" and the first gratuitous
 * ARP; the kernel answers this request in microseconds.
 *
 * <p>One socket per request: it lives in the network namespace of the thread that opens it, and an
 * address change is rare enough that the few system calls do not matter.
 */
final class RtnetlinkAddresses {
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EADDRNOTAVAIL = 99;

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;

    private static final short RTM_NEWADDR = 20;
    private static final short RTM_DELADDR = 21;
    private static final short NLMSG_ERROR = 2;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_ACK = 0x4;
    private static final short NLM_F_EXCL = 0x200;
    private static final short NLM_F_CREATE = 0x400;
    private static final short IFA_ADDRESS = 1;
    private static final short IFA_LOCAL = 2;
    private static final short IFA_LABEL = 3;
    private static final short IFA_BROADCAST = 4;
    private static final short IFA_CACHEINFO = 6;
    private static final int INFINITY_LIFE_TIME = 0xFFFFFFFF;
    private static final byte IFA_F_NODAD = 0x02;
    private static final byte RT_SCOPE_UNIVERSE = 0;
    private static final int NLMSG_HDRLEN = 16;

    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

        long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen) throws LastErrorException;

        long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        /** 0 when there is no such device (errno is not needed then). */
        int if_nametoindex(String name);

        String strerror(int errno);
    }

    private static final class Holder {
        static final LibC C = Native.load("c", LibC.class);
    }

    /** Shared by all sockets so that a late answer to an earlier request can never pass for the current one. */
    private static final AtomicInteger SEQ = new AtomicInteger((int) (System.nanoTime() & 0x3fffffff));

    private RtnetlinkAddresses() {
    }

    /** Opens and closes a socket: loads the native side before the first takeover needs it. */
    static void probe() throws IOException {
        close(open(Duration.ofSeconds(1)));
    }

    /**
     * {@code ip addr add} for the plumbing: the errno of the kernel's answer, 0 when the address was
     * added, {@link #EEXIST} when it is there already, {@link #ENODEV} when the device is missing.
     *
     * @throws IOException when there is no rtnetlink socket or no answer within timeout
     */
    static int add(Plumbing p, Duration timeout) throws IOException {
        return request(RTM_NEWADDR, (short) (NLM_F_CREATE | NLM_F_EXCL), p, timeout);
    }

    /** {@code ip addr del}: as {@link #add}, {@link #EADDRNOTAVAIL} meaning the address is not there. */
    static int remove(Plumbing p, Duration timeout) throws IOException {
        return request(RTM_DELADDR, (short) 0, p, timeout);
    }

    /** The C library's text for an errno, as `ip` would print it. */
    static String reason(int errno) {
        try {
            String s = Holder.C.strerror(errno);
            if (s != null) return s;
        } catch (LinkageError e) {
            // fall through
        }
        return "errno " + errno;
    }

    private static int request(short type, short createFlags, Plumbing p, Duration timeout) throws IOException {
        int index;
        try {
            index = Holder.C.if_nametoindex(p.baseDevice());
        } catch (LinkageError e) {
            throw new IOException("no C library through JNA: " + e);
        }
        if (index == 0) return ENODEV;
        int seq = SEQ.incrementAndGet();
        byte[] msg = message(type, createFlags, seq, index, p);
        int fd = open(timeout);
        try {
            ByteBuffer kernel = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
            kernel.putShort((short) AF_NETLINK).putShort((short) 0).putInt(0).putInt(0);
            try {
                Holder.C.sendto(fd, msg, msg.length, 0, kernel.array(), 12);
            } catch (LastErrorException e) {
                throw new IOException("rtnetlink send failed: " + reason(e.getErrorCode()));
            }
            return awaitAck(fd, seq, timeout);
        } finally {
            close(fd);
        }
    }

    /**
     * nlmsghdr, ifaddrmsg and the attributes `ip addr add A/P [brd +] dev D [label L]` sends, for IPv6
     * `ip -6 addr add A/P dev D nodad preferred_lft 0`.
     */
    static byte[] message(short type, short createFlags, int seq, int index, Plumbing p) {
        byte[] address = p.address().getAddress();
        // sized for the label too: lvs.cf does not bound a device name, the kernel refuses one too long
        int labelRoom = p.label() == null ? 0 : 8 + p.label().length();
        ByteBuffer b = ByteBuffer.allocate(NLMSG_HDRLEN + 8 + 3 * 20 + labelRoom).order(ByteOrder.nativeOrder());
        b.position(NLMSG_HDRLEN);
        b.put((byte) (p.ipv6() ? AF_INET6 : AF_INET));
        b.put((byte) p.prefix());
        // DAD would hold a moving address tentative (unusable) for a second at every takeover
        b.put(p.ipv6() && type == RTM_NEWADDR ? IFA_F_NODAD : 0);
        b.put(RT_SCOPE_UNIVERSE);
        b.putInt(index);
        attribute(b, IFA_LOCAL, address);
        attribute(b, IFA_ADDRESS, address);
        if (type == RTM_NEWADDR && p.ipv6()) {
            // valid forever, preferred for 0 s: deprecated, so never the director's own source address
            // (see AddressActions.addCommand)
            ByteBuffer ci = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            ci.putInt(0).putInt(INFINITY_LIFE_TIME).putInt(0).putInt(0);
            attribute(b, IFA_CACHEINFO, ci.array());
        }
        if (type == RTM_NEWADDR && !p.ipv6()) {
            if (p.prefix() < 31) attribute(b, IFA_BROADCAST, broadcast(address, p.prefix()));
            // on delete a label would narrow the match; the kernel keeps labels for IPv4 only
            if (p.label() != null) {
                byte[] label = p.label().getBytes(StandardCharsets.US_ASCII);
                byte[] z = new byte[label.length + 1];
                System.arraycopy(label, 0, z, 0, label.length);
                attribute(b, IFA_LABEL, z);
            }
        }
        int len = b.position();
        b.putInt(0, len).putShort(4, type)
                .putShort(6, (short) (NLM_F_REQUEST | NLM_F_ACK | createFlags))
                .putInt(8, seq).putInt(12, 0);
        byte[] out = new byte[len];
        b.get(0, out);
        return out;
    }

    /** What `brd +` computes: the host bits set. */
    static byte[] broadcast(byte[] address, int prefix) {
        int a = ByteBuffer.wrap(address).getInt();
        int host = prefix == 0 ? -1 : (1 << (32 - prefix)) - 1;
        return ByteBuffer.allocate(4).putInt(a | host).array();
    }

    private static void attribute(ByteBuffer b, short type, byte[] value) {
        b.putShort((short) (4 + value.length)).putShort(type).put(value);
        while (b.position() % 4 != 0) b.put((byte) 0);
    }

    private static int awaitAck(int fd, int seq, Duration timeout) throws IOException {
        byte[] buf = new byte[8192];
        long deadline = System.nanoTime() + timeout.toNanos();
        // each recv blocks for at most SO_RCVTIMEO; only a stray message brings us round again
        while (System.nanoTime() - deadline < 0) {
            long n;
            try {
                n = Holder.C.recv(fd, buf, buf.length, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) continue;
                if (e.getErrorCode() == EAGAIN) break;
                throw new IOException("rtnetlink receive failed: " + reason(e.getErrorCode()));
            }
            ByteBuffer r = ByteBuffer.wrap(buf, 0, (int) n).order(ByteOrder.nativeOrder());
            int at = 0;
            while (at + NLMSG_HDRLEN <= n) {
                int len = r.getInt(at);
                if (len < NLMSG_HDRLEN || at + len > n) break;
                if (r.getShort(at + 4) == NLMSG_ERROR && r.getInt(at + 8) == seq && len >= NLMSG_HDRLEN + 4) {
                    return -r.getInt(at + NLMSG_HDRLEN);
                }
                at += (len + 3) & ~3;
            }
        }
        throw new IOException("no answer from rtnetlink within " + timeout.toMillis() + " ms");
    }

    private static int open(Duration timeout) throws IOException {
        int fd;
        try {
            fd = Holder.C.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw new IOException("no rtnetlink socket: " + reason(e.getErrorCode()));
        } catch (LinkageError e) {
            throw new IOException("no rtnetlink socket: " + e);
        }
        try {
            ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            tv.putLong(timeout.toSeconds()).putLong(timeout.toNanosPart() / 1000);
            Holder.C.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv.array(), 16);
        } catch (LastErrorException e) {
            close(fd);
            throw new IOException("rtnetlink socket: " + reason(e.getErrorCode()));
        }
        return fd;
    }

    private static void close(int fd) {
        try {
            Holder.C.close(fd);
        } catch (LastErrorException ignored) {
            // nothing to do
        }
    }
}
