package piranha.dataplane;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The UDP socket of a service on VIP:port. Each client address:port is a flow with its own socket
 * to the chosen real server; replies go back out through the service's socket, so they come from
 * VIP:port. A flow idle for the udp timeout ends. All of it runs on the socket's event loop.
 */
final class UdpListener implements Listener {
    private final Dataplane dataplane;
    private final Service service;
    private final Map<InetSocketAddress, UdpFlow> flows = new HashMap<>();
    private volatile Channel channel;
    private ScheduledFuture<?> sweeper;

    UdpListener(Dataplane dataplane, Service service) {
        this.dataplane = dataplane;
        this.service = service;
    }

    Dataplane dataplane() {
        return dataplane;
    }

    Service service() {
        return service;
    }

    Channel channel() {
        return channel;
    }

    void forget(UdpFlow f) {
        flows.remove(f.client(), f);
    }

    @Override
    public Future<Void> start() {
        Sockets sockets = dataplane.sockets();
        Context ctx = sockets.context();
        Bootstrap b = new Bootstrap()
                .group(sockets.group())
                .channelFactory(sockets.listeningDatagramChannels(service.key().vip()))
                .handler(new Inbound());
        ChannelFuture f = b.bind(service.key().socketAddress());
        channel = f.channel();
        f.addListener(x -> {
            if (x.isSuccess()) {
                sweeper = channel.eventLoop().scheduleAtFixedRate(this::sweep, 250, 250, TimeUnit.MILLISECONDS);
            }
        });
        return sockets.listening(ctx, f, service.key());
    }

    private void sweep() {
        long limit = TimeUnit.SECONDS.toNanos(dataplane.timeouts().udp());
        long now = System.nanoTime();
        for (UdpFlow f : new ArrayList<>(flows.values())) {
            if (now - f.lastActivity() > limit) f.close();
        }
    }

    @Override
    public boolean isListening() {
        return Sockets.listens(channel);
    }

    /** Ends the socket and its flows: replies could not leave through VIP:port any more. */
    @Override
    public Future<Void> close() {
        Channel c = channel;
        if (c != null) {
            c.eventLoop().execute(() -> {
                if (sweeper != null) sweeper.cancel(false);
                for (UdpFlow f : new ArrayList<>(flows.values())) f.close();
            });
        }
        return dataplane.sockets().close(c);
    }

    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof DatagramPacket p)) return;
                InetSocketAddress from = p.sender();
                UdpFlow f = flows.get(from);
                if (f == null) {
                    f = UdpFlow.open(UdpListener.this, from);
                    if (f == null) return;
                    flows.put(from, f);
                }
                f.fromClient(p.content().retain());
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A UDP socket reports ICMP errors of earlier sends here; the socket itself is fine.
        }
    }

    /** What a flow's socket receives from the real server goes back to the client. */
    static ByteBuf payload(Object msg) {
        if (msg instanceof DatagramPacket p) return p.content();
        if (msg instanceof ByteBuf b) return b;
        return null;
    }
}
