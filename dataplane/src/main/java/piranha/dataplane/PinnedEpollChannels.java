package piranha.dataplane;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.EpollSocketChannel;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.logging.Logger;

/**
 * Keeps the epoll interest set of a TCP channel from ever becoming empty.
 *
 * <p>Netty 4.2.17 removes a socket from its epoll set when the socket's interest set becomes
 * empty, yet keeps treating it as registered, so the next interest change fails with ENOENT
 * ("epoll_ctl(..) failed with error(-2)"). A half-closed proxied connection hits exactly that:
 * its input is shut down (no EPOLLIN, no EPOLLRDHUP) while it still has data to send, and when
 * its send queue first fills, EPOLLOUT cannot be set and the queued data is lost. Keeping EPOLLERR
 * in the set (the kernel reports it whether asked or not) keeps the socket registered. Netty's
 * channel classes are final and the flag setter is protected, hence the method handle.
 */
final class PinnedEpollChannels {
    private static final Logger LOG = Logger.getLogger(PinnedEpollChannels.class.getName());
    private static final MethodHandle SET_FLAG = lookup();

    private PinnedEpollChannels() {}

    private static MethodHandle lookup() {
        try {
            Class<?> c = Class.forName("io.netty.channel.epoll.AbstractEpollChannel");
            Method m = c.getDeclaredMethod("setFlag", int.class);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(void.class, Channel.class, int.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning("cannot keep epoll registrations pinned (" + e + "): half-closed connections may lose "
                    + "data with this Netty version");
            return null;
        }
    }

    /** Call before registration, or on the channel's event loop. */
    static void pin(Channel ch) {
        setFlag(ch, EpollIoOps.EPOLLERR.value());
    }

    /**
     * {@link #pin} plus EPOLLIN, before registration: the socket enters the epoll set already asking
     * to be read (one {@code epoll_ctl(ADD)}), instead of being added without it and modified once
     * Netty's auto-read asks for reads (an {@code epoll_ctl(MOD)} per socket, two per connection).
     * For channels that read from the start (auto-read on).
     */
    static void pinReading(Channel ch) {
        setFlag(ch, EpollIoOps.EPOLLERR.value());
        setFlag(ch, EpollIoOps.EPOLLIN.value());
    }

    private static void setFlag(Channel ch, int flag) {
        if (SET_FLAG == null || !(ch instanceof EpollSocketChannel)) return;
        try {
            SET_FLAG.invokeExact(ch, flag);
        } catch (Throwable e) {
            LOG.fine(() -> "setting epoll interest " + flag + " failed: " + e);
        }
    }
}
