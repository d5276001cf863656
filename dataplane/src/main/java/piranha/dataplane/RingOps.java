package piranha.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.unix.Socket;
import io.netty.channel.uring.IoUringIoOps;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The io_uring submissions of the ring forwarder ({@link RingTcpListener}, {@link RingTcpConnection}),
 * each the SQE liburing's {@code io_uring_prep_*} would fill in, handed to Netty's ring through its
 * public {@link IoUringIoOps}. Socket addresses are read and written here in the kernel's layout.
 */
final class RingOps {
    private RingOps() {}

    private static final byte OP_ACCEPT = 13;
    private static final byte OP_ASYNC_CANCEL = 14;
    private static final byte OP_CONNECT = 16;
    private static final byte OP_CLOSE = 19;
    private static final byte OP_SEND = 26;
    private static final byte OP_RECV = 27;
    private static final byte OP_URING_CMD = 46;

    static final int ECANCELED = 125;
    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final int ECONNABORTED = 103;

    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_MORE = 0x8000;
    /** A receive's completion flag: the socket has more to read, data or its EOF (Linux 6.0). */
    static final int CQE_F_SOCK_NONEMPTY = 1 << 2;
    private static final int SHUT_WR = 1;
    private static final int ASYNC_CANCEL_ALL = 1;
    private static final int ASYNC_CANCEL_FD = 2;
    private static final int SOCKET_URING_OP_SETSOCKOPT = 3;
    private static final int SOL_SOCKET = 1;
    private static final int SO_LINGER = 13;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NODELAY = 1;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    /** sockaddr_storage: room for either family. */
    static final int SOCKADDR_SIZE = 128;

    /**
     * The option values setsockopt reads: an int 1 (TCP_NODELAY) and a struct linger {1, 0}. Native
     * memory that lives as long as the class; the kernel only reads it.
     */
    private static final ByteBuf CONSTANTS = constants();
    private static final long ONE = CONSTANTS.memoryAddress();
    private static final long LINGER_ZERO = ONE + 8;

    private static ByteBuf constants() {
        ByteBuf b = Unpooled.unreleasableBuffer(Unpooled.directBuffer(16, 16));
        b.setIntLE(0, 1).setIntLE(8, 1).setIntLE(12, 0);
        return b;
    }

    private static IoUringIoOps op(byte opcode, int fd, long off, long addr, int len, int opFlags, short data) {
        return new IoUringIoOps(opcode, (byte) 0, (short) 0, fd, off, addr, len, opFlags, data, (short) 0, (short) 0,
                0, 0L);
    }

    /** accept4(fd, addr, addrlen, SOCK_NONBLOCK | SOCK_CLOEXEC). */
    static IoUringIoOps accept(int fd, long addr, long addrLen, short data) {
        return op(OP_ACCEPT, fd, addrLen, addr, 0, SOCK_NONBLOCK | SOCK_CLOEXEC, data);
    }

    static IoUringIoOps connect(int fd, long addr, int addrLen, short data) {
        return op(OP_CONNECT, fd, addrLen, addr, 0, 0, data);
    }

    static IoUringIoOps recv(int fd, long buf, int len, short data) {
        return op(OP_RECV, fd, 0, buf, len, 0, data);
    }

    /**
     * send without SIGPIPE: a peer gone is an error code here, not a signal. With {@code finLast} the
     * bytes wait for the shutdown(2) that follows at once (MSG_MORE), which puts its FIN on their last
     * segment instead of a segment of its own.
     */
    static IoUringIoOps send(int fd, long buf, int len, boolean finLast, short data) {
        return op(OP_SEND, fd, 0, buf, len, finLast ? MSG_NOSIGNAL | MSG_MORE : MSG_NOSIGNAL, data);
    }

    /**
     * shutdown(fd, SHUT_WR): a FIN behind what was sent. Called directly, not through the ring: the
     * ring hands every shutdown to a kernel worker thread (it has no non-blocking form), which costs
     * a wake-up and a context switch per connection (dataplane/README.md, "Below the channels").
     * A socket reset or closed meanwhile makes it fail; its own reads report that.
     */
    static void shutdownOutput(int fd) {
        Libc.shutdown(fd, SHUT_WR);
    }

    /**
     * send(2) without waiting: the bytes taken, or -1 (EAGAIN and errors alike: the ring takes over).
     * {@code finLast} as for {@link #send}.
     */
    static int sendNow(int fd, long buf, int len, boolean finLast) {
        return (int) Libc.send(fd, buf, len, finLast ? MSG_NOSIGNAL | MSG_DONTWAIT | MSG_MORE : MSG_NOSIGNAL | MSG_DONTWAIT);
    }

    /** recv(2) without waiting: the bytes read, 0 at EOF, -1 when nothing is there yet (or an error). */
    static int recvNow(int fd, long buf, int len) {
        return (int) Libc.recv(fd, buf, len, MSG_DONTWAIT);
    }

    /** libc through JNA's direct mapping: a native method, no proxy or argument conversion per call. */
    private static final class Libc {
        static {
            com.sun.jna.Native.register("c");
        }

        static native int shutdown(int fd, int how);

        static native long send(int fd, long buf, long len, int flags);

        static native long recv(int fd, long buf, long len, int flags);
    }

    /** Cancels every operation still pending on {@code fd}. */
    static IoUringIoOps cancelAll(int fd, short data) {
        return op(OP_ASYNC_CANCEL, fd, 0, 0, 0, ASYNC_CANCEL_ALL | ASYNC_CANCEL_FD, data);
    }

    static IoUringIoOps close(int fd, short data) {
        return op(OP_CLOSE, fd, 0, 0, 0, 0, data);
    }

    /** setsockopt(TCP_NODELAY, 1) through the ring (Linux 6.7): a response leaves at once. */
    static IoUringIoOps noDelay(int fd, short data) {
        return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, ONE, 4, data);
    }

    /** setsockopt(SO_LINGER, {1, 0}): the close that follows sends a reset and leaves no TIME_WAIT. */
    static IoUringIoOps lingerZero(int fd, short data) {
        return setsockopt(fd, SOL_SOCKET, SO_LINGER, LINGER_ZERO, 8, data);
    }

    private static IoUringIoOps setsockopt(int fd, int level, int name, long value, int len, short data) {
        long levelAndName = (level & 0xffffffffL) | ((long) name << 32);
        return new IoUringIoOps(OP_URING_CMD, (byte) 0, (short) 0, fd, SOCKET_URING_OP_SETSOCKOPT, levelAndName, 0, 0,
                data, (short) 0, (short) 0, len, value);
    }

    /** {@link #noDelay} set directly, where the kernel has no socket commands in io_uring (before 6.7). */
    static void noDelayDirectly(int fd) {
        try {
            new Socket(fd).setTcpNoDelay(true);
        } catch (java.io.IOException | RuntimeException e) {
            // the socket is gone already: nothing to set
        }
    }

    /** {@link #lingerZero} set directly, as {@link #noDelayDirectly}. */
    static void lingerZeroDirectly(int fd) {
        try {
            new Socket(fd).setSoLinger(0);
        } catch (java.io.IOException | RuntimeException e) {
            // the socket is gone already: nothing to set
        }
    }

    /** close(2) outside the ring: a socket no ring operation refers to. */
    static void closeDirectly(int fd) {
        try {
            new io.netty.channel.unix.FileDescriptor(fd).close();
        } catch (java.io.IOException e) {
            // closed already
        }
    }

    /** A reset and close outside the ring, for a client no connection was made for. */
    static void resetDirectly(int fd) {
        lingerZeroDirectly(fd);
        closeDirectly(fd);
    }

    /** Writes {@code a} at {@code buf}'s index {@code at} as a sockaddr_in or sockaddr_in6; its length. */
    static int writeSockaddr(ByteBuf buf, int at, InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        if (ip.length == 4) {
            buf.setShortLE(at, AF_INET).setShort(at + 2, a.getPort()).setBytes(at + 4, ip).setLong(at + 8, 0);
            return 16;
        }
        int scope = a.getAddress() instanceof java.net.Inet6Address six ? six.getScopeId() : 0;
        buf.setShortLE(at, AF_INET6).setShort(at + 2, a.getPort()).setInt(at + 4, 0).setBytes(at + 8, ip)
                .setIntLE(at + 24, scope);
        return 28;
    }

    /** The sockaddr_in or sockaddr_in6 at {@code buf}'s index {@code at}. */
    static InetSocketAddress readSockaddr(ByteBuf buf, int at) {
        int family = buf.getShortLE(at);
        int port = buf.getUnsignedShort(at + 2);
        try {
            if (family == AF_INET) {
                byte[] ip = new byte[4];
                buf.getBytes(at + 4, ip);
                return new InetSocketAddress(Inet4Address.getByAddress(ip), port);
            }
            byte[] ip = new byte[16];
            buf.getBytes(at + 8, ip);
            int scope = buf.getIntLE(at + 24);
            InetAddress a = scope != 0 ? java.net.Inet6Address.getByAddress(null, ip, scope) : InetAddress.getByAddress(ip);
            return new InetSocketAddress(a, port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("bad address from accept", e); // lengths are fixed above
        }
    }

    /** A TCP socket of {@code remote}'s family, non-blocking (Netty's JNI, one socket(2) call). */
    static int newStreamSocket(InetAddress remote) {
        return StreamSocket.create(!(remote instanceof Inet4Address));
    }

    /** Reaches Netty's socket(2) without a {@link Socket} object, whose constructor asks the kernel its family. */
    private static final class StreamSocket extends Socket {
        private StreamSocket() {
            super(-1);
        }

        static int create(boolean ipv6) {
            return newSocketStream0(ipv6);
        }
    }
}
