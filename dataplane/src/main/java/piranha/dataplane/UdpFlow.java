package piranha.dataplane;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One client address:port of a UDP service and its socket to the real server. Counted as an
 * inactive connection, as IPVS counts UDP. Datagrams that meet a full queue are dropped: UDP
 * promises no delivery, and holding them would be unbounded buffering.
 */
final class UdpFlow implements Forwarded {
    private final UdpListener listener;
    private final InetSocketAddress client;
    private final Destination dest;
    private final PersistenceTemplates.Template template;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private Channel channel;
    private boolean connected;
    private boolean closed;
    private long lastActivity = System.nanoTime();

    static UdpFlow open(UdpListener l, InetSocketAddress client) {
        Dataplane dp = l.dataplane();
        if (!dp.limit().tryAcquire(l.service().key())) return null;
        Service.Placement p = l.service().placeReporting(client);
        if (p == null) {
            dp.limit().release();
            return null;
        }
        UdpFlow f = new UdpFlow(l, client, p);
        f.start();
        return f;
    }

    private UdpFlow(UdpListener l, InetSocketAddress client, Service.Placement p) {
        this.listener = l;
        this.client = client;
        this.dest = p.dest();
        this.template = p.template();
    }

    InetSocketAddress client() {
        return client;
    }

    long lastActivity() {
        return lastActivity;
    }

    private void start() {
        dest.conns.increment();
        dest.inactiveConns.incrementAndGet();
        dest.live.add(this);
        Channel socket = listener.channel();
        Bootstrap b = new Bootstrap()
                .group(socket.eventLoop())
                .channelFactory(listener.dataplane().sockets().datagramChannels(dest.address().getAddress()))
                .handler(new Replies());
        var cf = b.connect(dest.address());
        channel = cf.channel();
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                close();
                return;
            }
            connected = true;
            while (!pending.isEmpty()) channel.write(pending.poll(), channel.voidPromise());
            channel.flush();
        });
    }

    void fromClient(ByteBuf data) {
        lastActivity = System.nanoTime();
        dest.inPackets.increment();
        dest.inBytes.add(data.readableBytes());
        if (closed) {
            data.release();
        } else if (connected) {
            if (channel.isWritable()) channel.writeAndFlush(data, channel.voidPromise());
            else data.release();
        } else if (pending.size() < listener.dataplane().options().udpPendingDatagrams()) {
            pending.add(data);
        } else {
            data.release();
        }
    }

    void close() {
        if (closed) return;
        closed = true;
        listener.forget(this);
        while (!pending.isEmpty()) pending.poll().release();
        if (channel != null) channel.close();
        dest.inactiveConns.decrementAndGet();
        dest.live.remove(this);
        listener.dataplane().limit().release();
        listener.service().release(template);
    }

    @Override
    public void expire() {
        Channel s = listener.channel();
        s.eventLoop().execute(this::close);
    }

    private final class Replies extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf data = UdpListener.payload(msg);
                if (data == null) return;
                lastActivity = System.nanoTime();
                dest.outPackets.increment();
                dest.outBytes.add(data.readableBytes());
                Channel socket = listener.channel();
                if (!closed && socket.isActive() && socket.isWritable()) {
                    socket.writeAndFlush(new DatagramPacket(data.retain(), client), socket.voidPromise());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable from a real server that is down: the flow stays, as in IPVS,
            // until it idles out or the real server answers again.
        }
    }
}
