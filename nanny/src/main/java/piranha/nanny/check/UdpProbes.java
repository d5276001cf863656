package piranha.nanny.check;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The UDP side of checking: one selector thread shared by every UDP check in the JVM, with one
 * <em>connected</em> non-blocking datagram channel per probe. A connected UDP socket is what makes
 * the kernel report an ICMP port unreachable back to us (as {@link PortUnreachableException} on
 * read), so a closed port fails at once instead of waiting out the deadline. Vert.x's
 * DatagramSocket cannot connect, hence this small loop; callers get results on their own context.
 */
public final class UdpProbes {
    private static final Logger log = Logger.getLogger(UdpProbes.class.getName());
    private static UdpProbes shared;

    /** What came back from a probe. */
    public sealed interface Outcome {
        record Reply(byte[] bytes) implements Outcome { }
        record Unreachable() implements Outcome { }
        record Error(IOException cause) implements Outcome { }
    }

    /** A probe in flight; {@link #cancel()} closes its channel if it is still open. */
    public interface Probe {
        void cancel();
    }

    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(65536);

    private UdpProbes() throws IOException {
        selector = Selector.open();
        Thread t = new Thread(this::loop, "nanny-udp");
        t.setDaemon(true);
        t.start();
    }

    public static synchronized UdpProbes shared() {
        if (shared == null) {
            try {
                shared = new UdpProbes();
            } catch (IOException e) {
                throw new IllegalStateException("cannot open a selector for UDP checks: " + e.getMessage(), e);
            }
        }
        return shared;
    }

    /**
     * Sends {@code payload} to {@code target} and reports the first reply, an ICMP unreachable or an
     * error to {@code done} (on the selector thread). Nothing is reported after {@link Probe#cancel()}.
     */
    public Probe probe(InetSocketAddress target, byte[] payload, Consumer<Outcome> done) {
        DatagramChannel ch;
        try {
            ch = DatagramChannel.open();
        } catch (IOException e) {
            done.accept(new Outcome.Error(e));
            return () -> { };
        }
        try {
            ch.configureBlocking(false);
            ch.connect(target);
            if (payload.length > 0) { // the JDK cannot send an empty datagram; nothing to send is nothing sent
                ch.write(ByteBuffer.wrap(payload));
            }
        } catch (PortUnreachableException e) {
            close(ch);
            done.accept(new Outcome.Unreachable());
            return () -> { };
        } catch (IOException e) {
            close(ch);
            done.accept(new Outcome.Error(e));
            return () -> { };
        }
        tasks.add(() -> {
            if (!ch.isOpen()) {
                return;
            }
            try {
                ch.register(selector, SelectionKey.OP_READ, done);
            } catch (IOException e) {
                close(ch);
                done.accept(new Outcome.Error(e));
            }
        });
        selector.wakeup();
        return () -> {
            tasks.add(() -> close(ch));
            selector.wakeup();
        };
    }

    private void loop() {
        while (true) {
            try {
                selector.select();
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isValid() && key.isReadable()) {
                        read(key);
                    }
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.log(Level.WARNING, "UDP check loop: " + e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void read(SelectionKey key) {
        DatagramChannel ch = (DatagramChannel) key.channel();
        Consumer<Outcome> done = (Consumer<Outcome>) key.attachment();
        Outcome outcome;
        try {
            readBuffer.clear();
            int n = ch.read(readBuffer);
            if (n < 0) {
                return;
            }
            readBuffer.flip();
            byte[] bytes = new byte[readBuffer.remaining()];
            readBuffer.get(bytes);
            outcome = new Outcome.Reply(bytes);
        } catch (PortUnreachableException e) {
            outcome = new Outcome.Unreachable();
        } catch (IOException e) {
            outcome = new Outcome.Error(e);
        }
        key.cancel();
        close(ch);
        done.accept(outcome);
    }

    private static void close(DatagramChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
