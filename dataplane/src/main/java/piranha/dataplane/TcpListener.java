package piranha.dataplane;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.vertx.core.Context;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import io.vertx.core.Future;

/** The listening TCP socket of a service on VIP:port; each accepted socket becomes a {@link TcpConnection}. */
final class TcpListener implements Listener {
    /**
     * Pins each accepted socket before it is registered with epoll, asking for reads from the start
     * (see {@link PinnedEpollChannels}).
     */
    private static final ChannelHandler PIN_ACCEPTED = new PinAccepted();

    @ChannelHandler.Sharable
    private static final class PinAccepted extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) PinnedEpollChannels.pinReading(child);
            ctx.fireChannelRead(msg);
        }
    }

    private final Dataplane dataplane;
    private final Service service;
    /** One listening socket per event loop (SO_REUSEPORT) on epoll with several loops, else one. */
    private final List<Channel> channels = new CopyOnWriteArrayList<>();

    TcpListener(Dataplane dataplane, Service service) {
        this.dataplane = dataplane;
        this.service = service;
    }

    @Override
    public Future<Void> start() {
        Sockets sockets = dataplane.sockets();
        Context ctx = sockets.context();
        List<EventLoop> loops = sockets.listeningLoops();
        ChannelFactory<ServerChannel> factory = sockets.serverChannels(service.key().vip(), loops.size() > 1);
        ChannelFuture first = bootstrap(loops.get(0), factory).bind(service.key().socketAddress());
        channels.add(first.channel());
        if (loops.size() == 1) return sockets.listening(ctx, first, service.key());
        ChannelPromise all = first.channel().newPromise();
        first.addListener(f -> {
            if (f.isSuccess()) bindNext(loops, 1, factory, first.channel().localAddress(), all);
            else all.setFailure(f.cause());
        });
        return sockets.listening(ctx, all, service.key());
    }

    /** The other loops' listeners, on the address the first one got. */
    private void bindNext(List<EventLoop> loops, int i, ChannelFactory<ServerChannel> factory, SocketAddress at,
            ChannelPromise all) {
        if (i == loops.size()) {
            all.setSuccess();
            return;
        }
        ChannelFuture f = bootstrap(loops.get(i), factory).bind(at);
        channels.add(f.channel());
        f.addListener(x -> {
            if (x.isSuccess()) bindNext(loops, i + 1, factory, at, all);
            else all.setFailure(x.cause());
        });
    }

    /** A listener whose accepted connections stay on its own event loop. */
    private ServerBootstrap bootstrap(EventLoop loop, ChannelFactory<ServerChannel> factory) {
        DataplaneOptions o = dataplane.options();
        return new ServerBootstrap()
                .group(loop, loop)
                .channelFactory(factory)
                .option(ChannelOption.SO_BACKLOG, o.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(PIN_ACCEPTED)
                // Read from the start (what comes before the real server is connected is held, up to
                // the high-water mark), then as backpressure allows. TCP_NODELAY: Netty's default.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(o.writeLowWaterMark(), o.writeHighWaterMark()))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        TcpConnection.accept(dataplane, service, ch);
                    }
                });
    }

    @Override
    public boolean isListening() {
        if (channels.isEmpty()) return false;
        for (Channel c : channels) if (!Sockets.listens(c)) return false;
        return true;
    }

    @Override
    public Future<Void> close() {
        Sockets sockets = dataplane.sockets();
        if (channels.size() <= 1) return sockets.close(channels.isEmpty() ? null : channels.get(0));
        List<Future<Void>> closing = new ArrayList<>();
        for (Channel c : channels) closing.add(sockets.close(c));
        return Future.all(closing).mapEmpty();
    }
}
