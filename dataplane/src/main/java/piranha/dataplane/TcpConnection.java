package piranha.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.NotYetConnectedException;
import java.util.ArrayDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One forwarded TCP connection: the client's socket and ours to the real server, both on the same
 * event loop, so nothing here needs a lock. Data moves as the buffers Netty read, never copied in
 * user space; a side stops reading while the other side's write queue is above its high-water
 * mark and resumes when it has drained below the low-water mark.
 * A FIN is passed on as a FIN (half-close); a reset is passed on as a reset.
 */
final class TcpConnection implements Forwarded, ConnectionTimer.Timed {
    private static final Logger LOG = Logger.getLogger(TcpConnection.class.getName());

    private final Dataplane dataplane;
    private final Service service;
    private final ConnectionCount count;
    private final Destination dest;
    private final Channel client;
    private Channel server;
    /** The connect to the real server has succeeded; until then nothing is written to it. */
    private boolean connected;
    /**
     * What the client sent before the real server was connected: the client is read from the accept
     * on (its request usually comes with the connection), and a FIN of it is held too.
     */
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    /** Bytes held in {@link #early}: above the high-water mark the client is not read until the connect. */
    private int earlyBytes;
    private boolean clientFinished;
    private boolean serverFinished;
    private int closed;
    private final ConnectionTimer timer;

    static void accept(Dataplane dp, Service svc, Channel client) {
        ConnectionCount count = ConnectionCount.admit(dp, svc, (InetSocketAddress) client.remoteAddress());
        if (count == null) {
            abort(client);
            return;
        }
        new TcpConnection(dp, svc, client, count).start();
    }

    private TcpConnection(Dataplane dp, Service svc, Channel client, ConnectionCount count) {
        this.dataplane = dp;
        this.service = svc;
        this.count = count;
        this.dest = count.destination();
        this.client = client;
        // Netty times the connect out (the channel's connect timeout); NIO sockets are not probed
        this.timer = new ConnectionTimer(client.eventLoop(), dp, svc, count, this, false, client instanceof UnixChannel);
    }

    private void start() {
        DataplaneOptions o = dataplane.options();
        client.pipeline().addLast(new Relay(true));
        timer.start();
        // The socket to the real server is made, registered and connected here, on the client's event
        // loop, before the client's first byte is read: no Bootstrap (its option map, resolver and the
        // connect it defers to a task), TCP_NODELAY as Netty sets it by default, reading from the start.
        Channel s = dataplane.sockets().clientChannels(dest.address().getAddress()).newChannel();
        ChannelConfig c = s.config();
        c.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        c.setConnectTimeoutMillis(o.connectTimeoutMillis());
        c.setWriteBufferWaterMark(new WriteBufferWaterMark(o.writeLowWaterMark(), o.writeHighWaterMark()));
        s.pipeline().addLast(new Relay(false));
        server = s;
        count.opened(this); // after server is set: table operations and tests read both sockets
        client.closeFuture().addListener(f -> closed());
        s.closeFuture().addListener(f -> closed());
        client.eventLoop().register(s).addListener((ChannelFutureListener) r -> {
            if (r.isSuccess()) s.connect(dest.address()).addListener((ChannelFutureListener) this::connected);
            else abort(client); // Netty has closed the socket to the real server
        });
    }

    private void connected(ChannelFuture f) {
        if (f.isSuccess()) {
            if (!client.isActive()) {
                server.close();
                return;
            }
            connected = true;
            passOnEarly();
            // Reads paused while the request was held resume; from here on reads stop just while the
            // peer is saturated (auto-read spares the epoll_ctl pair a read request per read would cost).
            client.config().setAutoRead(true);
        } else {
            LOG.fine(() -> service.key() + ": connect to " + Addresses.format(dest.address()) + " failed: "
                    + f.cause());
            // What a client of IPVS NAT sees when the real server refuses: a reset.
            abort(client);
        }
    }

    /** The client's request and FIN that came in while the real server was still connecting. */
    private void passOnEarly() {
        if (early.isEmpty() && !clientFinished) return;
        for (ByteBuf b; (b = early.poll()) != null; ) server.write(b, server.voidPromise());
        earlyBytes = 0;
        server.flush();
        if (clientFinished) shutdownOutputOnceFlushed(server);
    }

    /** Both sockets closed: give back the slot, the counters and the persistence template. */
    private void closed() {
        for (ByteBuf b; (b = early.poll()) != null; ) b.release();
        if (++closed < 2) return;
        timer.cancel();
        count.closed();
    }

    @Override
    public void expire() {
        client.eventLoop().execute(this::abort);
    }

    /** Close with SO_LINGER 0: the peer gets a reset, and no TIME_WAIT is left here. */
    static void abort(Channel ch) {
        if (!ch.isOpen()) return;
        try {
            if (ch.isActive()) ch.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException ignored) {
            // already gone: a plain close will do
        }
        ch.close();
    }

    private static final int TCP_CLOSE = 7;

    @Override
    public boolean over() {
        return !client.isOpen() && (server == null || !server.isOpen());
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public void abort() {
        abort(client);
        if (server != null) abort(server);
    }

    /**
     * A one-sided half-close during which either peer has reset its socket: a reset then produces no
     * event Netty passes on (the read side is already shut down) but keeps epoll reporting the error.
     * Both FINs passed on: the sockets are closing already, and a socket that has completed its
     * close also reads as TCP_CLOSE, so only a one-sided half-close is probed.
     */
    @Override
    public boolean resetWhileHalfClosed() {
        return count.inactive() && !(clientFinished && serverFinished) && (reset(client) || reset(server));
    }

    /** The client's socket (tests look at its event loop). */
    Channel clientSocket() {
        return client;
    }

    /** The socket to the real server (tests drive its pipeline). */
    Channel realServerSocket() {
        return server;
    }

    /**
     * Reset, not merely closed in order: a socket whose FIN went out and whose peer's FIN has come
     * in also reads TCP_CLOSE at once, with the peer's last data and EOF still unread (under load
     * the event loop gets to them after this probe). Only a reset leaves an error on the socket.
     */
    private static boolean reset(Channel ch) {
        if (!(ch instanceof UnixChannel u) || !ch.isOpen()) return false;
        try {
            // io_uring's channel has no TCP_INFO: an error on the socket is the reset (reading it
            // clears it, and the connection is aborted at once).
            if (ch instanceof EpollSocketChannel e && e.tcpInfo().state() != TCP_CLOSE) return false;
            return ((Socket) u.fd()).getSoError() != 0;
        } catch (IOException | RuntimeException ex) {
            return true;
        }
    }

    /** Half-closed: counted inactive (IPVS FIN_WAIT), idle limit becomes tcpfin. */
    private void finished(boolean fromClient) {
        if (fromClient) clientFinished = true;
        else serverFinished = true;
        timer.halfClosed();
        Channel to = fromClient ? server : client;
        if (clientFinished && serverFinished) {
            // Both FINs passed on once queued data is out: the connection is over.
            to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            (fromClient ? client : server).close();
        } else if (fromClient ? connected : to.isActive()) {
            shutdownOutputOnceFlushed(to);
        }
        // A client FIN before the connect completes is passed on by passOnEarly().
    }

    /**
     * A half-close passed on as a FIN behind the data already queued. From then on the socket's own
     * EOF ends it outright (half-closure off): both directions are over, so Netty closes it instead
     * of shutting its read side first, which on a socket already in TIME_WAIT fails (ENOTCONN) and
     * costs a syscall, an exception with its stack trace and two epoll_ctl calls per connection.
     */
    private static void shutdownOutputOnceFlushed(Channel to) {
        to.writeAndFlush(Unpooled.EMPTY_BUFFER)
                .addListener(f -> {
                    if (to.isActive()) {
                        to.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
                        shutdownOutput(to);
                    }
                });
    }

    /**
     * shutdown(SHUT_WR). On epoll and io_uring directly on the socket: Netty's {@code shutdownOutput()}
     * creates an exception with its stack trace for every call, to fail writes that cannot be pending
     * here (the side that sent the FIN reads no more, so nothing more is written to this socket but
     * empty buffers, which never reach it).
     */
    private static void shutdownOutput(Channel to) {
        if (to instanceof UnixChannel u && u.fd() instanceof Socket socket) {
            try {
                socket.shutdown(false, true);
            } catch (IOException | RuntimeException ex) {
                // reset or closed meanwhile: its own events close it
            }
        } else if (to instanceof DuplexChannel d) {
            d.shutdownOutput();
        }
    }

    /** The handler on each of the two sockets; {@code fromClient} says which one it sits on. */
    private final class Relay extends ChannelInboundHandlerAdapter {
        private final boolean fromClient;

        Relay(boolean fromClient) {
            this.fromClient = fromClient;
        }

        private Channel peer() {
            return fromClient ? server : client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            int n = buf.readableBytes();
            timer.activity();
            (fromClient ? dest.inBytes : dest.outBytes).add(n);
            Channel p = peer();
            if (fromClient && !connected && p != null && p.isOpen()) {
                early.add(buf);
                earlyBytes += n;
                // The client is read from the start (its request usually comes with the accept); what it
                // sends before the connect completes is held up to the high-water mark, as a write queue.
                if (earlyBytes >= dataplane.options().writeHighWaterMark()) ctx.channel().config().setAutoRead(false);
            } else if (p != null && p.isActive()) {
                p.write(buf, p.voidPromise());
                // Backpressure: stop reading while the other side's queue is above its high-water mark.
                // Unflushed bytes count towards it, and one large read passes it: flush first, so that
                // reading stops only while the kernel's send buffer is full, not after every such read.
                if (!p.isWritable()) {
                    p.flush();
                    if (!p.isWritable()) ctx.channel().config().setAutoRead(false);
                }
            } else {
                buf.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            Channel p = peer();
            if (p != null) p.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // Drained below the low-water mark: the other side may read again.
            Channel p = peer();
            if (ctx.channel().isWritable() && p != null && p.isOpen()) p.config().setAutoRead(true);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                finished(fromClient);
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Channel p = peer();
            if (p != null && p.isOpen()) {
                p.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!fromClient && !connected && cause instanceof NotYetConnectedException) {
                // Under load Netty's epoll transport now and then reads a socket whose connect is still
                // under way (recv fails with ENOTCONN). That is no answer from the real server: the
                // connect's own outcome decides, as IPVS waits for the SYN-ACK or a refusal.
                LOG.fine(() -> service.key() + ": read on the real server socket before it connected, ignored");
                return;
            }
            if (cause instanceof IOException) {
                LOG.fine(() -> service.key() + ": " + (fromClient ? "client" : "real server ")
                        + (fromClient ? "" : Addresses.format(dest.address())) + ": " + cause.getMessage());
            } else {
                LOG.log(Level.WARNING, service.key() + ": forwarding error", cause);
            }
            // A reset on one side becomes a reset on the other, as it would through IPVS.
            Channel p = peer();
            if (p != null) abort(p);
            abort(ctx.channel());
        }
    }
}
