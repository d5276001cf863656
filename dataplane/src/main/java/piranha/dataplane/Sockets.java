package piranha.dataplane;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.transport.Transport;
import java.util.function.Function;

/**
 * Netty channels on Vert.x's own event loops, of Vert.x's transport (epoll when the native
 * transport is enabled). Listening sockets get IP_FREEBIND when the transport is epoll, so a
 * VIP can be bound before this host holds it.
 */
final class Sockets {
  private final VertxInternal vertx;
  private final Transport transport;
  private final boolean freebind;

  Sockets(VertxInternal vertx) {
    this.vertx = vertx;
    this.transport = vertx.transport();
    this.freebind = vertx.isNativeTransportEnabled();
  }

  EventLoopGroup group() {
    return vertx.nettyEventLoopGroup();
  }

  /** Whether listening sockets are opened with IP_FREEBIND. */
  boolean freebind() {
    return freebind;
  }

  ChannelFactory<ServerChannel> serverChannels() {
    ChannelFactory<? extends ServerChannel> f = transport.serverChannelFactory(false);
    return () -> {
      ServerChannel ch = f.newChannel();
      if (ch instanceof EpollServerSocketChannel e) e.config().setFreeBind(true);
      return ch;
    };
  }

  ChannelFactory<Channel> clientChannels() {
    ChannelFactory<? extends Channel> f = transport.channelFactory(false);
    return f::newChannel;
  }

  ChannelFactory<DatagramChannel> listeningDatagramChannels() {
    ChannelFactory<? extends DatagramChannel> f = transport.datagramChannelFactory();
    return () -> {
      DatagramChannel ch = f.newChannel();
      if (ch instanceof EpollDatagramChannel e) e.config().setFreeBind(true);
      ch.config().setOption(ChannelOption.SO_REUSEADDR, true);
      return ch;
    };
  }

  ChannelFactory<DatagramChannel> datagramChannels() {
    ChannelFactory<? extends DatagramChannel> f = transport.datagramChannelFactory();
    return f::newChannel;
  }

  ContextInternal context() {
    return vertx.getOrCreateContext();
  }

  /** A Netty future as a Vert.x future on the caller's context, failures mapped by {@code error}. */
  <T> Future<Void> bridge(
      ContextInternal ctx, io.netty.util.concurrent.Future<T> f, Function<Throwable, Throwable> error) {
    PromiseInternal<Void> p = ctx.promise();
    f.addListener(x -> {
      if (x.isSuccess()) p.tryComplete();
      else p.tryFail(error.apply(x.cause()));
    });
    return p.future();
  }
}
