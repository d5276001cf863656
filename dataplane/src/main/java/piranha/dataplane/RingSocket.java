package piranha.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoOps;

/**
 * One socket of a {@link RingTcpConnection}, the client's or ours to the real server: its descriptor,
 * the ring operations pending on it, the buffer read from it on its way to the other socket, and its
 * close. Both sockets are descriptors of the connection's one registration; an operation's data
 * names its kind and, with {@link #SERVER}, the socket.
 */
final class RingSocket {
    /** Completion kinds, in the low bits of an operation's data. */
    static final short RECV = 1, SEND = 2, CONNECT = 3, NO_DELAY = 4, CANCEL = 7, CLOSE = 8, LINGER = 9;
    private static final short SERVER = 0x10;
    private static final int KIND = 0xf;

    private static final int MIN_READ = 2048;

    final boolean realServer;
    int fd;
    /** The other socket of the connection. */
    RingSocket other;
    /** The connection's registration, both sockets', from when the event loop took it. */
    IoRegistration registration;
    /** Operations submitted on this socket whose completion has not come yet. */
    int pending;
    /** Bytes read from this socket, on their way to the other one (or held until the connect). */
    ByteBuf inFlight;
    private int readSize = MIN_READ;
    /** Something was sent to this socket already: later sends go through the ring. */
    boolean sentBefore;
    /** A send to this socket is in the ring. */
    boolean sending;
    /** Its EOF was read behind data still on its way to the other side. */
    boolean eofRead;
    /** Its EOF was read (and passed on as a FIN). */
    boolean finished;
    /** No more operations but a cancel and the close. */
    boolean closing;
    private boolean closeSubmitted;
    boolean closed;

    RingSocket(boolean realServer, int fd) {
        this.realServer = realServer;
        this.fd = fd;
        this.closed = fd < 0;
    }

    /** Whether an operation's data names the real server's socket. */
    static boolean realServer(short data) {
        return (data & SERVER) != 0;
    }

    static int kind(short data) {
        return data & KIND;
    }

    short data(short kind) {
        return (short) (realServer ? kind | SERVER : kind);
    }

    void submit(IoUringIoOps op) {
        if (registration.submit(op) != 0) pending++;
    }

    /** A fresh buffer of the size this socket's reads have come to. */
    ByteBuf buffer() {
        return ByteBufAllocator.DEFAULT.directBuffer(readSize);
    }

    /** A receive through the ring into {@code b} (empty), which is then in flight. */
    void receive(ByteBuf b) {
        inFlight = b;
        submit(RingOps.recv(fd, b.memoryAddress(), b.capacity(), data(RECV)));
    }

    /** Reads what is ready into {@code b} behind its first {@code res} bytes; the count. */
    int readRest(ByteBuf b, int res) {
        int n = RingOps.recvNow(fd, b.memoryAddress() + res, b.capacity() - res);
        if (n == 0) eofRead = true;
        return Math.max(n, 0); // nothing after all, or an error the next receive reports
    }

    /**
     * {@code res} bytes read into {@code b}. The read size follows what comes: doubled after a full
     * read (up to {@code highWater}), halved after a read of under a quarter, so idle connections keep
     * small buffers.
     */
    void took(ByteBuf b, int res, int highWater) {
        b.writerIndex(res);
        if (res == b.capacity()) readSize = Math.min(readSize * 2, highWater);
        else if (res < b.capacity() / 4) readSize = Math.max(readSize / 2, MIN_READ);
    }

    /** What is readable in {@code b} sent through the ring; the FIN may follow on its last segment. */
    void submitSend(ByteBuf b) {
        sending = true;
        submit(RingOps.send(fd, b.memoryAddress() + b.readerIndex(), b.readableBytes(), other.eofRead, data(SEND)));
    }

    /** Releases the buffer read from this socket, if any. */
    void dropInFlight() {
        if (inFlight == null) return;
        inFlight.release();
        inFlight = null;
    }

    /**
     * Nothing reads this socket any more (its EOF came): only a reset leaves an error there (a poll
     * would not tell: the EOF already makes the socket report a hang-up of its read side).
     */
    boolean resetAfterEof() {
        if (!finished || closing || closed) return false;
        try {
            return new io.netty.channel.unix.Socket(fd).getSoError() != 0;
        } catch (java.io.IOException | RuntimeException e) {
            return true;
        }
    }

    /**
     * No more operations on this socket; with {@code reset}, SO_LINGER 0 first. True when it is
     * closed already (the ring is going away).
     */
    boolean close(boolean reset) {
        if (closing || closed) return false;
        closing = true;
        if (registration == null) return false;
        if (reset) submit(RingOps.lingerZero(fd, data(LINGER)));
        // A pending receive holds the socket open in the ring: it is cancelled before the close.
        if (pending > 0) submit(RingOps.cancelAll(fd, data(CANCEL)));
        return closeWhenIdle();
    }

    /** The close, once closing and nothing is pending any more. True when closed at once. */
    boolean closeWhenIdle() {
        if (!closing || pending > 0 || closeSubmitted || closed) return false;
        closeSubmitted = true;
        if (registration.submit(RingOps.close(fd, data(CLOSE))) != 0) return false;
        RingOps.closeDirectly(fd); // the ring is going away
        closed = true;
        return true;
    }
}
