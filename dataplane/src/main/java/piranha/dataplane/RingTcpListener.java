package piranha.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.unix.Socket;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.util.concurrent.Promise;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The listening TCP socket of a service on io_uring: one per event loop (SO_REUSEPORT with several),
 * each accepting through the ring of its own loop, every accepted client becoming a
 * {@link RingTcpConnection} on that loop. Accepted sockets inherit TCP_NODELAY from the listener.
 */
final class RingTcpListener implements Listener {
    private static final Logger LOG = Logger.getLogger(RingTcpListener.class.getName());
    private static final int SOL_IP = 0, IP_FREEBIND = 15, IPPROTO_IPV6 = 41, IPV6_FREEBIND = 78;
    /**
     * Accepts kept pending per listening socket, each with room for the client's address: the most
     * taken in one event-loop turn. A client waiting in the accept queue is already waiting for its
     * answer; too many made each turn's batch longer (measured with 1, 2, 4, 8, 16, 32 and 64;
     * dataplane/README.md, "Below the channels" and "The request behind the connect").
     */
    private static final int SLOTS = 16;
    private static final int SLOT_SIZE = RingOps.SOCKADDR_SIZE + 8;

    private final Dataplane dataplane;
    private final Service service;
    private final List<Acceptor> acceptors = new CopyOnWriteArrayList<>();

    RingTcpListener(Dataplane dataplane, Service service) {
        this.dataplane = dataplane;
        this.service = service;
    }

    /** Whether this kernel has what the ring forwarder submits (cancel by descriptor: Linux 5.19). */
    static boolean supported() {
        String[] v = System.getProperty("os.version", "0.0").split("[.-]");
        try {
            int major = Integer.parseInt(v[0]);
            int minor = v.length > 1 ? Integer.parseInt(v[1]) : 0;
            return major > 5 || (major == 5 && minor >= 19);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public Future<Void> start() {
        Sockets sockets = dataplane.sockets();
        Context ctx = sockets.context();
        List<EventLoop> loops = sockets.listeningLoops();
        InetSocketAddress at = service.key().socketAddress();
        try {
            for (EventLoop l : loops) {
                Socket s = listen(at, loops.size() > 1);
                if (at.getPort() == 0) at = s.localAddress(); // the others share the port the first one got
                acceptors.add(new Acceptor((IoEventLoop) l, s));
            }
        } catch (IOException | RuntimeException e) {
            for (Acceptor a : acceptors) RingOps.closeDirectly(a.socket.intValue());
            acceptors.clear();
            return sockets.failed(sockets.cannotListen(service.key(), e));
        }
        List<Future<Void>> registered = new ArrayList<>();
        for (Acceptor a : acceptors) registered.add(sockets.listening(ctx, a.register(), service.key()));
        return Future.all(registered).mapEmpty();
    }

    /** A bound, listening, non-blocking socket of the VIP's family with IP_FREEBIND and TCP_NODELAY. */
    private Socket listen(InetSocketAddress at, boolean reusePort) throws IOException {
        boolean v4 = at.getAddress() instanceof Inet4Address;
        Socket s = new Socket(RingOps.newStreamSocket(at.getAddress()));
        try {
            s.setReuseAddress(true);
            if (reusePort) s.setReusePort(true);
            if (v4) s.setIntOpt(SOL_IP, IP_FREEBIND, 1);
            else s.setIntOpt(IPPROTO_IPV6, IPV6_FREEBIND, 1);
            s.setTcpNoDelay(true);
            s.bind(at);
            s.listen(dataplane.options().backlog());
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public boolean isListening() {
        if (acceptors.isEmpty()) return false;
        for (Acceptor a : acceptors) if (!a.listening) return false;
        return true;
    }

    @Override
    public Future<Void> close() {
        Sockets sockets = dataplane.sockets();
        Context ctx = sockets.context();
        List<Future<Void>> closing = new ArrayList<>();
        for (Acceptor a : acceptors) closing.add(sockets.bridge(ctx, a.stop(), x -> x));
        return Future.all(closing).mapEmpty();
    }

    /** One listening socket and the accepts pending on it in its event loop's ring. */
    private final class Acceptor implements IoUringIoHandle {
        final IoEventLoop loop;
        final Socket socket;
        /** The clients' addresses and their lengths, one slot per pending accept. */
        final ByteBuf slots = Unpooled.directBuffer(SLOTS * SLOT_SIZE, SLOTS * SLOT_SIZE);
        IoRegistration registration;
        int pending;
        volatile boolean listening;
        boolean closing;
        final Promise<Void> closed;
        long lastErrorLogged;

        Acceptor(IoEventLoop loop, Socket socket) {
            this.loop = loop;
            this.socket = socket;
            this.closed = loop.newPromise();
        }

        io.netty.util.concurrent.Future<Void> register() {
            Promise<Void> p = loop.newPromise();
            loop.register(this).addListener(f -> {
                if (!f.isSuccess()) {
                    finishClose(); // no ring holds the socket: nothing else would close it
                    p.setFailure(f.cause());
                    return;
                }
                registration = (IoRegistration) f.getNow();
                if (closing) {
                    finishClose();
                } else {
                    for (int i = 0; i < SLOTS; i++) accept(i);
                    listening = true;
                }
                p.setSuccess(null);
            });
            return p;
        }

        private void accept(int slot) {
            int at = slot * SLOT_SIZE;
            slots.setIntLE(at + RingOps.SOCKADDR_SIZE, RingOps.SOCKADDR_SIZE);
            long base = slots.memoryAddress() + at;
            if (registration.submit(RingOps.accept(socket.intValue(), base, base + RingOps.SOCKADDR_SIZE, (short) slot)) != 0) {
                pending++;
            }
        }

        @Override
        public void handle(IoRegistration reg, IoEvent event) {
            IoUringIoEvent e = (IoUringIoEvent) event;
            pending--;
            int slot = e.data();
            int res = e.res();
            if (slot < 0) { // the cancel of the pending accepts
                if (pending == 0) finishClose();
                return;
            }
            if (closing) {
                if (res >= 0) RingOps.closeDirectly(res); // accepted while the cancel was on its way
                if (pending == 0) finishClose();
                return;
            }
            if (res >= 0) {
                InetSocketAddress from = RingOps.readSockaddr(slots, slot * SLOT_SIZE);
                accept(slot);
                RingTcpConnection.accept(dataplane, service, loop, res, from);
            } else if (res == -RingOps.EAGAIN || res == -RingOps.EINTR || res == -RingOps.ECONNABORTED) {
                accept(slot);
            } else {
                // Out of descriptors or memory: say so (at most every 10 s) and try again shortly
                // rather than at once, which would spin on the same error.
                long now = System.nanoTime();
                if (now - lastErrorLogged > TimeUnit.SECONDS.toNanos(10) || lastErrorLogged == 0) {
                    lastErrorLogged = now;
                    LOG.warning(service.key() + ": accept failed: errno " + -res + " (retrying every 100 ms)");
                }
                loop.schedule(() -> {
                    if (!closing) accept(slot);
                }, 100, TimeUnit.MILLISECONDS);
            }
        }

        io.netty.util.concurrent.Future<Void> stop() {
            loop.execute(() -> {
                if (closing) return;
                closing = true;
                listening = false;
                if (registration == null) return; // register() finishes the close
                if (pending > 0 && registration.submit(RingOps.cancelAll(socket.intValue(), (short) -1)) != 0) pending++;
                if (pending == 0) finishClose();
            });
            return closed;
        }

        private void finishClose() {
            if (!socket.isOpen()) return;
            try {
                socket.close();
            } catch (IOException e) {
                // closed already
            }
            slots.release();
            if (registration != null) registration.cancel();
            closed.trySuccess(null);
        }

        @Override
        public void close() {
            closing = true;
            listening = false;
            if (pending == 0) finishClose();
        }
    }
}
