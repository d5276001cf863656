package piranha.nanny.check;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cheapest possible TCP connect probe, for connect-only checks: one selector thread shared by
 * the JVM opens a non-blocking socket, waits for the handshake or the deadline, and closes it. No
 * channel pipeline, no per-connection handler objects: ten thousand servers every two seconds cost
 * the system calls and little else. Results are reported on the selector thread.
 */
public final class ConnectProbes {
    private static final Logger log = Logger.getLogger(ConnectProbes.class.getName());
    private static ConnectProbes shared;

    /** How a probe ended. */
    public enum Outcome { CONNECTED, REFUSED, TIMED_OUT, ERROR }

    /** A finished probe: the outcome and, for ERROR, what the system said. */
    public record Result(Outcome outcome, String error) { }

    private final Selector selector;
    private final ConcurrentLinkedQueue<Probe> submitted = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Probe> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));

    private static final class Probe {
        final InetSocketAddress target;
        final long deadline;
        final Consumer<Result> done;
        SocketChannel channel;
        boolean finished;

        Probe(InetSocketAddress target, long deadline, Consumer<Result> done) {
            this.target = target;
            this.deadline = deadline;
            this.done = done;
        }
    }

    private ConnectProbes() throws IOException {
        selector = Selector.open();
        Thread t = new Thread(this::loop, "nanny-connect");
        t.setDaemon(true);
        t.start();
    }

    public static synchronized ConnectProbes shared() {
        if (shared == null) {
            try {
                shared = new ConnectProbes();
            } catch (IOException e) {
                throw new IllegalStateException("cannot open a selector for TCP checks: " + e.getMessage(), e);
            }
        }
        return shared;
    }

    /** Connects to {@code target} and reports once, by {@code timeoutNanos} at the latest. */
    public void probe(InetSocketAddress target, long timeoutNanos, Consumer<Result> done) {
        submitted.add(new Probe(target, System.nanoTime() + timeoutNanos, done));
        selector.wakeup();
    }

    private void loop() {
        while (true) {
            try {
                long wait = 0;
                Probe first = deadlines.peek();
                if (first != null) {
                    wait = Math.max(1, (first.deadline - System.nanoTime()) / 1_000_000 + 1);
                }
                if (submitted.isEmpty()) {
                    selector.select(wait);
                } else {
                    selector.selectNow();
                }
                handleSelected();
                // Deadlines before new probes: a probe this thread could only start late (a starved
                // machine) still gets one select pass to see its handshake before it can time out.
                long now = System.nanoTime();
                if (!deadlines.isEmpty() && deadlines.peek().deadline - now <= 0) {
                    // Look once more before declaring timeouts: this thread may have been descheduled
                    // since its last select while the handshakes completed.
                    selector.selectNow();
                    handleSelected();
                }
                while (!deadlines.isEmpty() && (deadlines.peek().finished || deadlines.peek().deadline - now <= 0)) {
                    Probe p = deadlines.poll();
                    if (!p.finished) {
                        finish(p, new Result(Outcome.TIMED_OUT, null));
                    }
                }
                for (Probe p; (p = submitted.poll()) != null; ) {
                    start(p);
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.log(Level.WARNING, "TCP check loop: " + e);
            }
        }
    }

    private void handleSelected() {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            connected((Probe) key.attachment());
        }
    }

    private void start(Probe p) {
        try {
            p.channel = SocketChannel.open();
            p.channel.configureBlocking(false);
            if (p.channel.connect(p.target)) {
                finish(p, new Result(Outcome.CONNECTED, null));
                return;
            }
            p.channel.register(selector, SelectionKey.OP_CONNECT, p);
            deadlines.add(p);
        } catch (IOException e) {
            finish(p, failure(e));
        }
    }

    private void connected(Probe p) {
        if (p.finished) {
            return;
        }
        try {
            if (p.channel.finishConnect()) {
                finish(p, new Result(Outcome.CONNECTED, null));
            }
        } catch (IOException e) {
            finish(p, failure(e));
        }
    }

    private static Result failure(IOException e) {
        if (e instanceof ConnectException && String.valueOf(e.getMessage()).contains("refused")) {
            return new Result(Outcome.REFUSED, null);
        }
        return new Result(Outcome.ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private void finish(Probe p, Result r) {
        p.finished = true;
        if (p.channel != null) {
            try {
                if (r.outcome() == Outcome.CONNECTED) {
                    // Close with a reset, as HAProxy does for its checks: no FIN exchange and no
                    // TIME_WAIT entry per check (ten thousand servers every 2 s would keep 300,000).
                    p.channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                }
                p.channel.close(); // also cancels its key
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
        try {
            p.done.accept(r);
        } catch (RuntimeException e) {
            log.log(Level.WARNING, "TCP check result handler: " + e);
        }
    }
}
