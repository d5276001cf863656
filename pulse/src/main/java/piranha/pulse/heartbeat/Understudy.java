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
 *
 * <p>The understudy keeps to one CPU, never the one the heartbeat thread goes to sleep on (its timer
 * is that CPU's): the heartbeat thread moves it when it finds itself there. The heartbeat thread
 * itself is not kept to a CPU: inside the guest the scheduler moves it off a CPU that a busy
 * real-time thread holds or whose real-time budget is spent, which no stop by the host allows.
 */
final class Understudy implements AutoCloseable {
    /**
     * Below this deadtime a host's slice (~100 ms on a hypervisor) holding up the heartbeat thread's CPU
     * alone could pass for a dead director; above it the understudy sleeps.
     */
    static final long BELOW_DEADTIME_NANOS = 1_000_000_000L;
    /** At most this many rounds signed ahead. */
    static final int MAX_ROUNDS = 8;

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
    /** The CPU it keeps to; written by the heartbeat thread when it moves it. */
    private volatile int cpu;
    /** Every CPU pulse may use. */
    private final int[] allowedCpus;
    /** Heartbeat thread only: false once a move was refused. */
    private boolean movable = true;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int tid = -1;
    private long lastLog = Long.MIN_VALUE / 2;

    /**
     * With two CPUs or more: an understudy, at first on the first CPU pulse may use; null with one.
     *
     * @param log the loop's log (queued for its log thread)
     * @param registerTid told this thread's kernel id, so the sweeps leave it at the heartbeat's priority
     */
    static Understudy onSpareCpu(int[] allowedCpus, BiConsumer<Level, String> log,
                                 java.util.function.IntConsumer registerTid, int priority) {
        if (allowedCpus.length < 2) return null;
        return new Understudy(allowedCpus.clone(), log, registerTid, priority);
    }

    private Understudy(int[] allowedCpus, BiConsumer<Level, String> log, java.util.function.IntConsumer registerTid,
                       int priority) {
        this.cpu = allowedCpus[0];
        this.allowedCpus = allowedCpus;
        this.log = log;
        this.thread = new Thread(() -> {
            tid = RealtimeScheduling.currentTid();
            registerTid.accept(tid);
            String rt = RealtimeScheduling.applyToCurrentThread(priority);
            String pin = RealtimeScheduling.setAffinity(0, cpu);
            if (rt != null || pin != null) {
                log.accept(Level.FINE, "heartbeat understudy: " + (rt != null ? "normal scheduling: " + rt : "")
                        + (pin != null ? " not kept to CPU " + cpu + ": " + pin : ""));
            }
            run();
        }, "heartbeat-understudy");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Heartbeat thread, before it sleeps: if it is on the understudy's CPU, the understudy moves to
     * the next CPU pulse may use (rare: a woken real-time thread mostly stays where it ran). The CPU
     * is asked only while there are rounds to cover (a deadtime under a second).
     */
    void keepAwayFromCurrentCpu() {
        if (cover.get() == null || tid <= 0 || !movable) return;
        int heartbeatCpu = RealtimeScheduling.currentCpu();
        if (heartbeatCpu != cpu) return;
        int next = allowedCpus[0];
        for (int i = 0; i < allowedCpus.length; i++) {
            if (allowedCpus[i] == heartbeatCpu) {
                next = allowedCpus[(i + 1) % allowedCpus.length];
                break;
            }
        }
        String moved = RealtimeScheduling.setAffinity(tid, next);
        if (moved == null) {
            cpu = next;
        } else {
            movable = false; // asked once: the heartbeat thread checks before every sleep
            log.accept(Level.FINE, "heartbeat understudy not moved to CPU " + next + ": " + moved);
        }
    }

    /**
     * Heartbeat thread, after a regular send of {@code state}: the next rounds, signed now, as many as
     * fit in the deadtime (at most {@link #MAX_ROUNDS}); none with a deadtime of a second or more.
     */
    void heartbeatSent(HeartbeatPaths paths, HeartbeatCodec codec, piranha.pulse.state.PeerState state,
                       long keepaliveNanos, long deadtimeNanos) {
        if (deadtimeNanos >= BELOW_DEADTIME_NANOS || keepaliveNanos <= 0) {
            offer(null);
            return;
        }
        int rounds = (int) Math.min(MAX_ROUNDS, Math.max(1, (deadtimeNanos + keepaliveNanos - 1) / keepaliveNanos));
        offer(new Cover(System.nanoTime(), keepaliveNanos, paths.signAhead(codec, state, rounds), 0));
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
