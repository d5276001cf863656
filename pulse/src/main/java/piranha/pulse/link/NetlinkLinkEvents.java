package piranha.pulse.link;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * A rtnetlink socket subscribed to link changes (RTMGRP_LINK). It only says "something changed";
 * {@link LinkMonitor} then reads the state it cares about, so no netlink message is parsed.
 */
final class NetlinkLinkEvents implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int NETLINK_ROUTE = 0;
    private static final int RTMGRP_LINK = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;

    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] addr, int len) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

        long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC C = Native.load("c", LibC.class);
    }

    private final int fd;
    private final byte[] buf = new byte[16384];

    /** @param wait the longest {@link #await} blocks */
    NetlinkLinkEvents(Duration wait) throws IOException {
        try {
            fd = Holder.C.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            throw new IOException("no rtnetlink socket: " + e.getMessage());
        }
        try {
            ByteBuffer sa = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
            sa.putShort((short) AF_NETLINK).putShort((short) 0).putInt(0).putInt(RTMGRP_LINK);
            Holder.C.bind(fd, sa.array(), 12);
            ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            tv.putLong(wait.toSeconds()).putLong(wait.toNanosPart() / 1000);
            Holder.C.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv.array(), 16);
        } catch (LastErrorException e) {
            close();
            throw new IOException("rtnetlink subscription failed: errno " + e.getErrorCode());
        }
    }

    /** Blocks until a link event arrives (true) or the wait passes (false). */
    boolean await() throws IOException {
        try {
            return Holder.C.recv(fd, buf, buf.length, 0) > 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) return false;
            throw new IOException("rtnetlink receive failed: errno " + e.getErrorCode());
        }
    }

    @Override
    public void close() {
        try {
            Holder.C.close(fd);
        } catch (LastErrorException ignored) {
            // nothing to do
        }
    }
}
