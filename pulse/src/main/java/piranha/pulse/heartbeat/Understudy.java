package piranha.pulse.heartbeat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import piranha.daemon.RealtimeScheduling;

/**
 * A second thread, on another CPU than the heartbeat thread, that sends the heartbeats the heartbeat
 * thread is overdue with. A host can stop one CPU of a guest for one of its own scheduling slices
 * (~100 ms on a hypervisor) while the other runs on: the heartbeat thread on the stopped one sends
 * nothing, and a partner on the running one sees a silence longer than a tuned deadtime although
 * this director is alive. keepalived and Piranha have one sender and take over then.
 *
 * <p>The understudy never encodes: the codec (its MAC, its sequence numbers) is the heartbeat
 * thread's. At each regular send the heartbeat thread hands it {@link Cover}: the heartbeats of the
 * next rounds, signed ahead with the state just sent. When a round is half a keepalive overdue the
 * understudy sends it, and so on, for at most deadtime's worth of rounds: a heartbeat thread that is
 * stuck rather than held up still goes silent, after at most twice the deadtime.
 */
final class Understudy implements AutoCloseable {
    /** One datagram, signed ahead, for one path. */
    record Datagram(DatagramChannel channel, InetSocketAddress partner, ByteBuffer bytes) {}

    /**
     * What the heartbeat thread sent at {@code sentNanos} and the rounds that may follow it, one list of
     * datagrams (one per path) per round; {@code next} rounds are already sent by the understudy.
     */
    record Cover(long sentNanos, long keepaliveNanos, List<List<Datagram>> rounds, int next) {
        long dueNanos() {
            return sentNanos + keepaliveNanos * next + keepaliveNanos + keepaliveNanos / 2;
        }

        Cover advanced() {
            return new Cover(sentNanos, keepaliveNanos, rounds, next + 1);
        }
    }

    private final AtomicReference<Cover> cover = new AtomicReference<>();
    private final AtomicLong sent = new AtomicLong();
    private final BiConsumer<Level, String> log;
    private final int cpu;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int tid = -1;
    private long lastLog = Long.MIN_VALUE / 2;

    /**
     * @param cpu the CPU it keeps to (another than the heartbeat thread's)
     * @param log the loop's log (queued for its log thread)
     * @param registerTid told this thread's kernel id, so the sweeps leave it at the heartbeat's priority
     */
    Understudy(int cpu, BiConsumer<Level, String> log, java.util.function.IntConsumer registerTid, int priority) {
        this.cpu = cpu;
        this.log = log;
        this.thread = new Thread(() -> {
            tid = RealtimeScheduling.currentTid();
            registerTid.accept(tid);
            String rt = RealtimeScheduling.applyToCurrentThread(priority);
            String pin = RealtimeScheduling.pinCurrentThread(cpu);
            if (rt != null || pin != null) {
                log.accept(Level.FINE, "heartbeat understudy: " + (rt != null ? "normal scheduling: " + rt : "")
                        + (pin != null ? " not kept to CPU " + cpu + ": " + pin : ""));
            }
            run();
        }, "heartbeat-understudy");
        thread.setDaemon(true);
        thread.start();
    }

    /** Heartbeat thread: the rounds that may follow the heartbeat just sent (null: none, e.g. not sending). */
    void offer(Cover next) {
        Cover before = cover.getAndSet(next);
        if (before == null && next != null) LockSupport.unpark(thread);
    }

    /** How many heartbeats the understudy has sent. */
    long sent() {
        return sent.get();
    }

    int cpu() {
        return cpu;
    }

    /** Its kernel thread id (-1 before it ran or without libc). */
    int tid() {
        return tid;
    }

    private void run() {
        while (running) {
            Cover c = cover.get();
            if (c == null) {
                LockSupport.park(this);
                continue;
            }
            if (c.next() >= c.rounds().size()) {
                // deadtime's worth sent for a heartbeat thread that has not come back: silent until it does
                if (cover.compareAndSet(c, null)) LockSupport.park(this);
                continue;
            }
            long wait = c.dueNanos() - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            // taken only if the heartbeat thread has not sent meanwhile (it replaces the cover when it does)
            if (!cover.compareAndSet(c, c.advanced())) continue;
            for (Datagram d : c.rounds().get(c.next())) {
                try {
                    d.channel().send(d.bytes().duplicate(), d.partner());
                } catch (IOException e) {
                    // the path's socket was closed (a rebind) or the network refused: the next round tries again
                }
            }
            long n = sent.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastLog >= 1_000_000_000L) {
                lastLog = now;
                log.accept(Level.WARNING, "heartbeat sent by the understudy on CPU " + cpu + ": the heartbeat thread is "
                        + (now - c.sentNanos()) / 1_000_000 + " ms past its last send (" + n + " sent so far)");
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
