package piranha.dataplane;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Netty channels on Vert.x's own event loops, of Vert.x's transport (io_uring or epoll, see
 * {@link DataplaneTransport}). Listening sockets get IP_FREEBIND on either, so a VIP can be bound
 * before this host holds it.
 *
 * <p>The one class of the data plane that uses Vert.x's internal API ({@code io.vertx.core.internal},
 * which may change in any Vert.x release): Vert.x has no public way to reach its Netty event loops
 * and transport, which the forwarder's channels must share, nor to make a future that completes
 * on a given context, which is how every table operation answers its caller. Everything else
 * goes through this class, so an upgrade of Vert.x is checked here.
 */
final class Sockets {
    /** The transports the forwarder knows how to make channels of. */
    enum Kind {
        IO_URING("io_uring"), EPOLL("epoll"), OTHER("nio");

        final String text;

        Kind(String text) {
            this.text = text;
        }

        static Kind of(Vertx v) {
            VertxInternal vertx = (VertxInternal) v;
            if (!vertx.isNativeTransportEnabled()) return OTHER;
            String name = vertx.transport().getClass().getSimpleName();
            if (name.startsWith("IoUring")) return IO_URING;
            if (name.startsWith("Epoll") && Epoll.isAvailable()) return EPOLL;
            return OTHER;
        }
    }

    private final VertxInternal vertx;
    private final Transport transport;
    /**
     * epoll: channels are created here, per address family, with IP_FREEBIND. io_uring: Netty's
     * sockets are dual-stack (an IPv4 address is bound as ::ffff:a.b.c.d), with IP_FREEBIND.
     */
    private final Kind kind;

    Sockets(Vertx publicVertx) {
        VertxInternal vertx = (VertxInternal) publicVertx;
        this.vertx = vertx;
        this.transport = vertx.transport();
        this.kind = Kind.of(publicVertx);
    }

    Kind kind() {
        return kind;
    }

    EventLoopGroup group() {
        return vertx.nettyEventLoopGroup();
    }

    /**
     * The event loops a TCP service listens on, one listening socket each (SO_REUSEPORT: the kernel
     * spreads new connections over them and each stays on the loop that accepted it). With NIO
     * there is no SO_REUSEPORT here: one listener, whose connections Netty hands round the loops.
     */
    List<EventLoop> listeningLoops() {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group()) if (e instanceof EventLoop l) loops.add(l);
        return kind != Kind.OTHER && !loops.isEmpty() ? loops : List.of(group().next());
    }

    /**
     * Whether TCP is forwarded below Netty's channels, straight on io_uring ({@link RingTcpListener}):
     * on the io_uring transport with a kernel that has what it submits; else with channels
     * ({@link TcpListener}).
     */
    boolean ringForwarding() {
        return kind == Kind.IO_URING && RingTcpListener.supported();
    }

    /** Whether listening sockets are opened with IP_FREEBIND. */
    boolean freebind() {
        return kind != Kind.OTHER;
    }

    /** Sockets of the address's own family: an IPv4 VIP gets an IPv4 socket, not a mapped IPv6 one. */
    private static SocketProtocolFamily family(InetAddress a) {
        return a instanceof Inet6Address ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
    }

    /** Listening sockets; {@code reusePort}: one of several on the same VIP:port, one per event loop. */
    ChannelFactory<ServerChannel> serverChannels(InetAddress local, boolean reusePort) {
        if (kind == Kind.IO_URING) {
            return () -> {
                IoUringServerSocketChannel ch = new IoUringServerSocketChannel();
                ch.config().setOption(IoUringChannelOption.IP_FREEBIND, true);
                if (reusePort) ch.config().setOption(IoUringChannelOption.SO_REUSEPORT, true);
                return ch;
            };
        }
        if (kind != Kind.EPOLL) {
            ChannelFactory<? extends ServerChannel> f = transport.serverChannelFactory(false);
            return f::newChannel;
        }
        return () -> {
            EpollServerSocketChannel ch = new EpollServerSocketChannel(family(local));
            ch.config().setFreeBind(true);
            if (reusePort) ch.config().setReusePort(true);
            return ch;
        };
    }

    ChannelFactory<Channel> clientChannels(InetAddress remote) {
        if (kind != Kind.EPOLL) {
            ChannelFactory<? extends Channel> f = transport.channelFactory(false);
            return f::newChannel;
        }
        SocketProtocolFamily fam = family(remote);
        return () -> {
            EpollSocketChannel ch = new EpollSocketChannel(fam);
            PinnedEpollChannels.pinReading(ch);
            return ch;
        };
    }

    ChannelFactory<DatagramChannel> listeningDatagramChannels(InetAddress local) {
        if (kind == Kind.IO_URING) {
            SocketProtocolFamily fam = family(local);
            return () -> {
                IoUringDatagramChannel ch = new IoUringDatagramChannel(fam);
                ch.config().setOption(IoUringChannelOption.IP_FREEBIND, true);
                ch.config().setOption(ChannelOption.SO_REUSEADDR, true);
                return ch;
            };
        }
        if (kind != Kind.EPOLL) {
            ChannelFactory<? extends DatagramChannel> f = transport.datagramChannelFactory();
            return () -> {
                DatagramChannel ch = f.newChannel();
                ch.config().setOption(ChannelOption.SO_REUSEADDR, true);
                return ch;
            };
        }
        return () -> {
            EpollDatagramChannel ch = new EpollDatagramChannel(family(local));
            ch.config().setFreeBind(true);
            ch.config().setOption(ChannelOption.SO_REUSEADDR, true);
            return ch;
        };
    }

    ChannelFactory<DatagramChannel> datagramChannels(InetAddress remote) {
        if (kind == Kind.IO_URING) {
            SocketProtocolFamily fam = family(remote);
            return () -> new IoUringDatagramChannel(fam);
        }
        if (kind != Kind.EPOLL) {
            ChannelFactory<? extends DatagramChannel> f = transport.datagramChannelFactory();
            return f::newChannel;
        }
        SocketProtocolFamily fam = family(remote);
        return () -> new EpollDatagramChannel(fam);
    }

    /** The caller's context: where the answer to a table operation completes. */
    Context context() {
        return vertx.getOrCreateContext();
    }

    /** A succeeded future on the caller's context. */
    <T> Future<T> succeeded(T value) {
        return vertx.getOrCreateContext().succeededFuture(value);
    }

    Future<Void> succeeded() {
        return vertx.getOrCreateContext().succeededFuture();
    }

    /** A failed future on the caller's context. */
    <T> Future<T> failed(Throwable t) {
        return vertx.getOrCreateContext().failedFuture(t);
    }

    /** A Netty future as a Vert.x future on {@code ctx}, failures mapped by {@code error}. */
    <T> Future<Void> bridge(
            Context ctx, io.netty.util.concurrent.Future<T> f, Function<Throwable, Throwable> error) {
        PromiseInternal<Void> p = ((ContextInternal) ctx).promise();
        f.addListener(x -> {
            if (x.isSuccess()) p.tryComplete();
            else p.tryFail(error.apply(x.cause()));
        });
        return p.future();
    }

    /** A listening socket bound (or registered, or not) on the caller's context; a failure names the service. */
    Future<Void> listening(Context ctx, io.netty.util.concurrent.Future<?> bound, ServiceKey key) {
        return bridge(ctx, bound, e -> cannotListen(key, e));
    }

    /** Why a listening socket for key could not be had. */
    DataplaneException cannotListen(ServiceKey key, Throwable e) {
        return new DataplaneException("cannot listen on " + key + ": " + e.getMessage()
                + (freebind() ? "" : " (IP_FREEBIND needs the native io_uring or epoll transport)"), e);
    }

    /** Closes a listening socket (none yet: done), as a future on the caller's context. */
    Future<Void> close(io.netty.channel.Channel c) {
        Context ctx = context();
        if (c == null) return succeeded();
        return bridge(ctx, c.close(), e -> e);
    }

    /** Whether a listening socket is open. */
    static boolean listens(io.netty.channel.Channel c) {
        return c != null && c.isActive();
    }
}
