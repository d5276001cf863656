package piranha.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import java.net.InetSocketAddress;
import java.util.logging.Logger;

/**
 * One forwarded TCP connection on io_uring, below Netty's channels: the client's socket and ours to
 * the real server are two file descriptors of one registration on the event loop that accepted the
 * client, and accept, connect, receives, sends and closes are operations on Netty's ring. Direct
 * system calls are few: socket(2), the first send each way ({@link #send} says why), shutdown(2)
 * (the ring would hand it to a kernel thread), and recv(2) where data is known or likely to be
 * waiting: the request at the accept ({@link #start}) and what a receive left behind
 * ({@link #received}). No channel, pipeline or address look-up per socket (dataplane/README.md,
 * "Below the channels").
 *
 * <p>Each direction has at most one buffer in flight: what was received from one side is sent to
 * the other, and that side is read again only once all of it has gone. Backpressure is therefore
 * the kernel's own (a send completes when the peer's socket took the bytes), a FIN always follows
 * the data before it, and an idle connection holds one small buffer per side. A FIN is passed on as
 * a FIN (half-close), a reset as a reset (SO_LINGER 0, then close). Each socket's own state, its
 * buffer and its close are a {@link RingSocket}; this class moves the bytes between the two.
 */
final class RingTcpConnection implements Forwarded, IoUringIoHandle, ConnectionTimer.Timed {
    private static final Logger LOG = Logger.getLogger(RingTcpConnection.class.getName());

    private final Dataplane dataplane;
    private final Service service;
    private final ConnectionCount count;
    private final Destination dest;
    private final IoEventLoop loop;
    private final RingSocket client;
    /** Its descriptor comes in {@link #start}, once the connection is registered. */
    private final RingSocket server;
    /** Native memory for the real server's address while the connect is under way. */
    private ByteBuf connectAddress;
    private boolean connected;
    private boolean aborted;
    private boolean released;
    private final ConnectionTimer timer;

    /** An accepted client of {@code svc}, on {@code loop} (the caller's, the listener's event loop). */
    static void accept(Dataplane dp, Service svc, IoEventLoop loop, int clientFd, InetSocketAddress from) {
        ConnectionCount count = ConnectionCount.admit(dp, svc, from);
        if (count == null) {
            RingOps.resetDirectly(clientFd); // as IPVS answers a client it cannot place
            return;
        }
        new RingTcpConnection(dp, svc, loop, clientFd, count).register();
    }

    private RingTcpConnection(Dataplane dp, Service svc, IoEventLoop loop, int clientFd, ConnectionCount count) {
        this.dataplane = dp;
        this.service = svc;
        this.count = count;
        this.dest = count.destination();
        this.loop = loop;
        this.client = new RingSocket(false, clientFd);
        this.server = new RingSocket(true, -1);
        client.other = server;
        server.other = client;
        this.timer = new ConnectionTimer(loop, dp, svc, count, this, true, true);
    }

    private void register() {
        count.opened(this);
        loop.register(this).addListener(f -> {
            if (f.isSuccess()) {
                client.registration = server.registration = (IoRegistration) f.getNow();
                start();
            } else {
                LOG.warning(service.key() + ": cannot register a connection with the event loop: " + f.cause());
                RingOps.resetDirectly(client.fd);
                client.closed = true;
                released();
            }
        });
    }

    /**
     * The socket to the real server is made and connected. The client's request usually came with
     * the connection: read at once, it goes into the ring right behind the connect, with the first
     * receive of the answer, so the real server has it as soon as the handshake is done and its
     * answer is read in the same turn it comes (on loopback the connect completes the handshake
     * within the submission). A send queued on a socket still connecting waits for it to become
     * writable, a receive for data, and both fail as the connect fails. Without a request yet, the
     * client is read through the ring and what it sends waits until the connect completes.
     */
    private void start() {
        InetSocketAddress to = dest.address();
        try {
            server.fd = RingOps.newStreamSocket(to.getAddress());
            server.closed = false;
        } catch (RuntimeException e) {
            LOG.warning(service.key() + ": cannot open a socket to " + Addresses.format(to) + ": " + e.getMessage());
            abort();
            return;
        }
        timer.start();
        ByteBuf request = client.buffer();
        int n = RingOps.recvNow(client.fd, request.memoryAddress(), request.capacity());
        connectAddress = ByteBufAllocator.DEFAULT.directBuffer(RingOps.SOCKADDR_SIZE);
        int len = RingOps.writeSockaddr(connectAddress, 0, to);
        server.submit(RingOps.noDelay(server.fd, server.data(RingSocket.NO_DELAY)));
        server.submit(RingOps.connect(server.fd, connectAddress.memoryAddress(), len, server.data(RingSocket.CONNECT)));
        if (n <= 0) { // nothing yet, or an EOF or error the ring's receive reports again
            if (client.closing) request.release();
            else client.receive(request); // the buffer the request did not fill waits for it in the ring
            return;
        }
        client.inFlight = request;
        took(client, request, n);
        server.sentBefore = true;
        server.submitSend(request);
        read(server);
    }

    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        IoUringIoEvent e = (IoUringIoEvent) event;
        short data = e.data();
        RingSocket side = RingSocket.realServer(data) ? server : client;
        side.pending--;
        int res = e.res();
        switch (RingSocket.kind(data)) {
            case RingSocket.RECV -> received(side, res, e.flags());
            case RingSocket.SEND -> sent(side, res);
            case RingSocket.CONNECT -> connected(res);
            case RingSocket.NO_DELAY -> {
                if (res < 0 && res != -RingOps.ECANCELED) RingOps.noDelayDirectly(side.fd);
            }
            case RingSocket.LINGER -> {
                if (res < 0 && res != -RingOps.ECANCELED) RingOps.lingerZeroDirectly(side.fd);
            }
            case RingSocket.CLOSE -> {
                side.closed = true;
                releasedIfBothClosed();
                return;
            }
            default -> { } // CANCEL
        }
        if (side.closeWhenIdle()) releasedIfBothClosed();
    }

    private void read(RingSocket side) {
        if (side.closing || side.finished) return;
        if (side.eofRead) finished(side);
        else side.receive(side.buffer());
    }

    private void received(RingSocket from, int res, int flags) {
        ByteBuf b = from.inFlight;
        if (res <= 0 || from.closing) {
            from.inFlight = null;
            if (b != null) b.release();
            if (from.closing) return;
            if (res == 0) finished(from);
            else failed(from, res);
            return;
        }
        // More is waiting already (most often the peer's FIN right behind its answer): read now, so
        // that an EOF goes out on the last data segment and not in a receive and a segment of its own.
        if ((flags & RingOps.CQE_F_SOCK_NONEMPTY) != 0 && res < b.capacity()) res += from.readRest(b, res);
        took(from, b, res);
        if (from == client && !connected) return; // held until the connect completes
        send(from.other, b);
    }

    /** {@code res} bytes read from {@code from} into {@code b}: counted, and the next read sized. */
    private void took(RingSocket from, ByteBuf b, int res) {
        from.took(b, res, dataplane.options().writeHighWaterMark());
        timer.activity();
        (from == client ? dest.inBytes : dest.outBytes).add(res);
    }

    /** Sends what {@code to}'s other side read; that side is read again once all of it has gone. */
    private void send(RingSocket to, ByteBuf b) {
        if (to.closing) return;
        // A connection's first bytes each way (the request, the start of the answer) are sent at once,
        // not with the batch the ring takes at the end of this event-loop turn: the real server or
        // client starts on them while the loop goes on with the turn's other connections, which is
        // what a new connection waits for. Later sends go through the ring, whose batching pays on
        // long-lived connections (dataplane/README.md, "Below the channels"). What the socket does
        // not take at once goes through the ring as well.
        boolean finLast = to.other.eofRead;
        int n = to.sentBefore ? -1 : RingOps.sendNow(to.fd, b.memoryAddress() + b.readerIndex(), b.readableBytes(), finLast);
        to.sentBefore = true;
        if (n > 0) {
            b.skipBytes(n);
            if (!b.isReadable()) {
                RingSocket from = to.other;
                from.inFlight = null;
                b.release();
                read(from);
                return;
            }
        }
        to.submitSend(b);
    }

    private void sent(RingSocket to, int res) {
        to.sending = false;
        RingSocket from = to.other;
        ByteBuf b = from.inFlight;
        if (b == null) return;
        if (res < 0 || to.closing || from.closing) {
            from.inFlight = null;
            b.release();
            if (res < 0 && res != -RingOps.ECANCELED && !to.closing) failed(to, res);
            return;
        }
        b.skipBytes(res);
        if (b.isReadable()) {
            send(to, b);
            return;
        }
        from.inFlight = null;
        b.release();
        read(from);
    }

    private void connected(int res) {
        if (connectAddress != null) {
            connectAddress.release();
            connectAddress = null;
        }
        if (server.closing) return;
        if (res < 0) {
            LOG.fine(() -> service.key() + ": connect to " + Addresses.format(dest.address()) + " failed: errno "
                    + -res);
            abort(); // what a client of IPVS NAT sees when the real server refuses: a reset
            return;
        }
        connected = true;
        timer.connected();
        if (server.sending) return; // the request went behind the connect, with the answer's receive
        if (client.inFlight != null && client.inFlight.isReadable()) {
            send(server, client.inFlight);
        } else if (client.finished) {
            RingOps.shutdownOutput(server.fd);
        }
        if (server.inFlight == null) read(server);
    }

    /**
     * An EOF from {@code from}: a FIN to the other side (after the connect, if it is still under
     * way), the connection counted inactive (IPVS FIN_WAIT) with the tcpfin limit.
     */
    private void finished(RingSocket from) {
        from.finished = true;
        timer.halfClosed();
        if (client.finished && server.finished) {
            closeBoth();
            return;
        }
        if (from == server || connected) RingOps.shutdownOutput(from.other.fd);
    }

    /**
     * A reset of the half-closed side: nothing reads that socket any more (its EOF came), so the
     * timer asks every 200 ms while the other direction still flows. Only a reset leaves an error
     * there (a poll would not tell: the EOF already makes the socket report a hang-up of its read
     * side); the side still read reports its own reset through the read.
     */
    @Override
    public boolean resetWhileHalfClosed() {
        if (!count.inactive() || (client.finished && server.finished)) return false;
        return client.resetAfterEof() || server.resetAfterEof();
    }

    /** An error on {@code side} (reset, refused, unreachable): a reset on the other side as well. */
    private void failed(RingSocket side, int res) {
        LOG.fine(() -> service.key() + ": " + (side == client ? "client" : "real server "
                + Addresses.format(dest.address())) + ": errno " + -res);
        abort();
    }

    /** Both FINs passed on: an orderly close of both sockets once their last operations are done. */
    private void closeBoth() {
        timer.cancel();
        close(client, false);
        close(server, false);
    }

    @Override
    public void expire() {
        loop.execute(this::abort);
    }

    /** Close with SO_LINGER 0: each peer gets a reset, and no TIME_WAIT is left here. */
    @Override
    public void abort() {
        if (aborted) return;
        aborted = true;
        timer.cancel();
        close(client, true);
        close(server, true);
        if (client.registration == null) released();
    }

    private void close(RingSocket side, boolean reset) {
        if (side.close(reset)) releasedIfBothClosed();
    }

    private void releasedIfBothClosed() {
        if (client.closed && server.closed) released();
    }

    /** Both sockets closed: give back the slot, the counters and the persistence template. */
    private void released() {
        if (released) return;
        released = true;
        timer.cancel();
        // Every operation of both sockets has completed: the kernel no longer reads or writes these.
        client.dropInFlight();
        server.dropInFlight();
        if (connectAddress != null) {
            connectAddress.release();
            connectAddress = null;
        }
        if (client.registration != null) client.registration.cancel();
        count.closed();
    }

    @Override
    public boolean over() {
        return aborted || client.closing;
    }

    @Override
    public boolean connected() {
        return connected;
    }

    /** The client's socket and the real server's (tests look at their options). */
    int[] descriptors() {
        return new int[] {client.fd, server.fd};
    }

    /** The event loop both sockets are on (tests compare it across connections). */
    EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void close() {
        abort();
    }
}
