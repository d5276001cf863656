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
import io.vertx.core.Context;
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
    private volatile Channel channel;

    TcpListener(Dataplane dataplane, Service service) {
        this.dataplane = dataplane;
        this.service = service;
    }

    @Override
    public Future<Void> start() {
        Sockets sockets = dataplane.sockets();
        DataplaneOptions o = dataplane.options();
        Context ctx = sockets.context();
        ServerBootstrap b = new ServerBootstrap()
                .group(sockets.group(), sockets.group())
                .channelFactory(sockets.serverChannels(service.key().vip()))
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
        ChannelFuture f = b.bind(service.key().socketAddress());
        channel = f.channel();
        return sockets.listening(ctx, f, service.key());
    }

    @Override
    public boolean isListening() {
        return Sockets.listens(channel);
    }

    @Override
    public Future<Void> close() {
        return dataplane.sockets().close(channel);
    }
}
