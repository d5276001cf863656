package piranha.pulse.heartbeat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import piranha.daemon.RealtimeScheduling;
import piranha.pulse.state.Action;
import piranha.pulse.state.FailoverMachine;
import piranha.pulse.state.Input;
import piranha.pulse.state.PeerState;

/**
 * The heartbeat thread. It alone owns the UDP sockets, the codec and the failover machine: it sends every
 * keepalive on a monotonic schedule, judges what arrives, feeds the machine and hands the machine's slow
 * actions (address moves, lvsd) to another thread, so nothing else the process does can delay a heartbeat.
 * Other threads talk to it only through {@link #post}.
 */
public final class HeartbeatLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");

    /** One heartbeat path: our address and the partner's. */
    public record Path(String name, InetAddress local, InetAddress partner) {}

    /** Receives the actions the heartbeat thread does not perform itself. Must not block. */
    public interface ActionSink {
        void accept(Action action);
    }

    /** Hears each takeover and stand-down with the machine's reason, on the heartbeat-log thread (never the heartbeat's). */
    public interface TransitionListener {
        void changed(boolean active, String reason);
    }

    private volatile TransitionListener transitions = (active, reason) -> { };
    /** Put before each log line: with vip_group blocks, which group's heartbeat speaks ("" for a pair). */
    private volatile String logPrefix = "";

    private HeartbeatCodec codec;
    /** The lvs.cf the partner's signed heartbeats say it runs; null until one said it. */
    private piranha.pulse.config.ConfigStamp partnerConfig;
    private final FailoverMachine machine;
    private final ActionSink sink;
    private volatile boolean sending;
    private volatile long keepaliveNanos;
    private final Selector selector;
    /** The paths' sockets and what each path has heard. */
    private final HeartbeatPaths paths;
    private final HeartbeatReceiver receiver;
    private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
    private final HeartbeatCounters counters = new HeartbeatCounters();
    private final Lateness lateness = new Lateness(counters, this::log);
    private volatile boolean running = true;
    private Thread thread;
    /**
     * SCHED_RR priorities. Every pulse thread runs real-time (see RealtimeScheduling); the heartbeat one
     * level above the rest, so a busy thread of ours (or of the partner's pulse on a shared host) never
     * holds it for a round-robin slice (100 ms, longer than a tuned keepalive) on a busy machine.
     */
    static final int HEARTBEAT_PRIORITY = 2;
    static final int THREAD_PRIORITY = 1;
    /** The heartbeat threads of this process (one per vip_group): every sweep leaves them at theirs. */
    private static final java.util.Set<Integer> HEARTBEAT_TIDS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** On another CPU than the heartbeat thread; null on a host with one CPU for pulse. */
    private final Understudy understudy;

    private final ScheduledThreadPoolExecutor sweeper = new ScheduledThreadPoolExecutor(1,
            r -> RealtimeScheduling.thread("rt-sweep", r));
    /**
     * The heartbeat thread's log lines are written by a thread of their own: a write to a log file can
     * wait for the file system's journal (seconds on a busy disk), a send to /dev/log for a slow syslog
     * daemon, and a lock on the handler for another thread that waits so. Bounded: a flood of lines is
     * dropped rather than queued without end.
     */
    private final ThreadPoolExecutor logWriter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(4096), r -> RealtimeScheduling.thread("heartbeat-log", r),
            new ThreadPoolExecutor.DiscardPolicy());

    /**
     * Binds the sockets now, so a bind failure is reported before the daemon starts.
     *
     * @param sending false for a lone primary (backup_active = 0): Piranha sends nothing then
     */
    public HeartbeatLoop(List<Path> paths, int port, Duration keepalive, HeartbeatCodec codec, FailoverMachine machine,
                         ActionSink sink, boolean sending) throws IOException {
        this.keepaliveNanos = keepalive.toNanos();
        this.codec = codec;
        this.machine = machine;
        this.sink = sink;
        this.sending = sending;
        this.selector = Selector.open();
        this.paths = new HeartbeatPaths(selector, this::log);
        this.receiver = new HeartbeatReceiver(this.paths, counters, this::log, this::heard);
        logWriter.prestartAllCoreThreads();
        log(Level.FINEST, "heartbeat log writer ready"); // links log()'s lambda here, not on the heartbeat thread
        transition(false, null); // the same for transition()'s, heard by the no-op listener
        this.understudy = Understudy.onSpareCpu(RealtimeScheduling.allowedCpus(), this::log, HEARTBEAT_TIDS::add,
                HEARTBEAT_PRIORITY);
        try {
            this.paths.bind(List.copyOf(paths), port);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * SIGHUP: the heartbeat channel with new parameters, on the heartbeat thread between two sends.
     * The sockets are bound anew only when the paths or the port changed; when the new ones cannot be
     * bound the old ones are restored and the future fails with the reason. The codec (key, role) is
     * replaced in any case. Completes with true when the sockets were bound anew.
     */
    public CompletableFuture<Boolean> reconfigure(List<Path> newPaths, int newPort, HeartbeatCodec newCodec,
                                                  boolean newSending) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        post(() -> {
            boolean rebound;
            try {
                rebound = paths.rebind(newPaths, newPort);
            } catch (IOException e) {
                done.completeExceptionally(e);
                return;
            }
            if (!newCodec.authenticated()) partnerConfig = null; // only a signed heartbeat says it
            codec = newCodec;
            sending = newSending;
            if (understudy != null) understudy.offer(null); // signed by the old codec, perhaps for closed sockets
            done.complete(rebound);
        });
        return done;
    }

    public void start() {
        thread = new Thread(this::run, "heartbeat");
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.setDaemon(false);
        thread.start();
    }

    /** Runs r on the heartbeat thread, soon. */
    public void post(Runnable r) {
        mailbox.add(r);
        selector.wakeup();
    }

    /** Feeds an input to the machine on the heartbeat thread. */
    public void input(Input in) {
        post(() -> dispatch(machine.handle(in)));
    }

    /** Computes something from the machine's state on the heartbeat thread. */
    public <T> CompletableFuture<T> query(Function<HeartbeatLoop, T> f) {
        CompletableFuture<T> result = new CompletableFuture<>();
        post(() -> {
            try {
                result.complete(f.apply(this));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    public void setKeepalive(Duration keepalive) {
        keepaliveNanos = keepalive.toNanos();
    }

    /** Heartbeat-thread only. */
    public FailoverMachine machine() {
        return machine;
    }

    /** Heartbeat-thread only. */
    public HeartbeatCounters.Snapshot counters() {
        return counters.snapshot();
    }

    private void run() {
        // known before it is raised: another group's sweep that saw it unknown and lowered it puts
        // every known heartbeat thread back at the end of the same sweep
        int heartbeatTid = RealtimeScheduling.currentTid();
        HEARTBEAT_TIDS.add(heartbeatTid);
        String rt = RealtimeScheduling.applyToCurrentThread(HEARTBEAT_PRIORITY);
        if (rt != null) log(Level.FINE, "heartbeat thread keeps normal scheduling: " + rt);
        boolean realtime = rt == null;
        WarmUp.run(machine, codec, counters);
        if (realtime) {
            // threads come and go (process reapers, control connections): a thread of its own keeps them all
            // real-time, so the heartbeat thread never walks /proc itself
            sweeper.scheduleWithFixedDelay(HeartbeatLoop::sweep, 0, 1, TimeUnit.SECONDS);
        }
        dispatch(machine.handle(new Input.Start()));
        long nextSend = System.nanoTime();
        while (running) {
            try {
                long now = System.nanoTime();
                if (sending && now - nextSend >= 0) {
                    long late = now - nextSend;
                    send();
                    lateness.sent(late, keepaliveNanos, now);
                    nextSend += keepaliveNanos;
                    if (now - nextSend >= 0) nextSend = now + keepaliveNanos; // fell behind: do not burst
                    paths.judge(now, machine.settings().deadtime().toNanos());
                }
                if (now - machine.nextDeadlineNanos() >= 0) {
                    // The deadline passed, perhaps only because this thread itself was held up: take in
                    // what the partner sent meanwhile (waiting in the sockets) before judging it dead.
                    if (selector.selectNow() > 0) {
                        for (SelectionKey key : selector.selectedKeys()) receive((DatagramChannel) key.channel());
                        selector.selectedKeys().clear();
                    }
                    if (System.nanoTime() - machine.nextDeadlineNanos() >= 0) dispatch(machine.handle(new Input.Tick()));
                }
                long wake = machine.nextDeadlineNanos();
                if (sending && nextSend - wake < 0) wake = nextSend;
                long waitMs = Math.max(0, (wake - System.nanoTime() + 999_999) / 1_000_000);
                if (mailbox.isEmpty()) {
                    if (understudy != null) understudy.keepAwayFromCurrentCpu();
                    if (waitMs == 0) {
                        selector.selectNow();
                    } else {
                        long due = System.nanoTime() + waitMs * 1_000_000;
                        selector.select(waitMs);
                        heldUp(System.nanoTime() - due);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) receive((DatagramChannel) key.channel());
                selector.selectedKeys().clear();
                Runnable r;
                while ((r = mailbox.poll()) != null) r.run();
            } catch (IOException | RuntimeException e) {
                log(Level.SEVERE, "heartbeat loop: " + e);
            }
        }
        HEARTBEAT_TIDS.remove(heartbeatTid); // a thread id the kernel may give to another thread
    }

    /** Every thread real-time, the heartbeat threads (one per vip_group) above the rest. */
    private static void sweep() {
        RealtimeScheduling.applyToProcess(THREAD_PRIORITY, HEARTBEAT_TIDS::contains);
        for (int tid : HEARTBEAT_TIDS) RealtimeScheduling.applyToThread(tid, HEARTBEAT_PRIORITY);
    }

    /**
     * This thread woke {@code lateNanos} after the time it asked for. Held up, the partner's heartbeats
     * of that time may still be coming (a partner on the same host was held up too), so it gets one
     * keepalive more before it is judged dead (FailoverMachine, Input.HeldUp).
     */
    private void heldUp(long lateNanos) {
        if (!Lateness.heldUp(lateNanos, keepaliveNanos)) return;
        dispatch(machine.handle(new Input.HeldUp(keepaliveNanos)));
        lateness.noteHeldUp(lateNanos, keepaliveNanos);
    }

    /** Our current state on every path (each datagram encoded separately: own sequence number), and the understudy's cover. */
    private void send() {
        PeerState state = machine.active() ? PeerState.RUNNING : PeerState.STOPPED;
        send(state);
        if (understudy != null) {
            understudy.heartbeatSent(paths, codec, state, keepaliveNanos, machine.settings().deadtime().toNanos());
        }
    }

    /** Heartbeats the understudy has sent for this thread (0 without one). */
    public long understudySent() {
        return understudy == null ? 0 : understudy.sent();
    }

    /** The understudy's CPU, or -1 when there is none (one CPU). */
    public int understudyCpu() {
        return understudy == null ? -1 : understudy.cpu();
    }

    private void send(PeerState state) {
        paths.send(codec, state, counters);
    }

    private void receive(DatagramChannel ch) {
        receiver.receiveAll(ch, codec, machine.settings().deadtime().toNanos());
    }

    /** An accepted heartbeat (the receiver has counted it and noted its path). */
    private void heard(Decoded d) {
        if (d.config() != null) partnerConfig = d.config();
        dispatch(machine.handle(new Input.PartnerHeartbeat(d.heartbeat())));
    }

    /** The paths silent for deadtime while the partner is heard on another; on the heartbeat thread. */
    public List<String> silentPaths() {
        return paths.silent();
    }

    /** Who hears the takeovers and stand-downs from now on (the event stream). */
    public void onTransition(TransitionListener listener) {
        this.transitions = listener;
    }

    private void transition(boolean active, String reason) {
        TransitionListener l = transitions;
        logWriter.execute(() -> l.changed(active, reason));
    }

    private void dispatch(List<Action> actions) {
        String said = null; // the machine logs its reason just before it activates or deactivates
        for (Action a : actions) {
            if (a instanceof Action.Activate || a instanceof Action.Deactivate) {
                transition(a instanceof Action.Activate, said);
            }
            if (a instanceof Action.Log l) {
                said = l.message();
                log(Level.INFO, l.message());
            } else if (a instanceof Action.Warn w) {
                log(Level.WARNING, w.message());
            } else if (a instanceof Action.SendHeartbeat) {
                if (sending) send();
            } else if (a instanceof Action.RequestStandDown) {
                if (sending) send(PeerState.STAND_DOWN);
            } else {
                sink.accept(a);
            }
        }
    }

    private void log(Level level, String message) {
        String prefix = logPrefix;
        logWriter.execute(() -> LOG.log(level, prefix.isEmpty() ? message : prefix + message));
    }

    /** Before {@link #start}: every line of this heartbeat begins with prefix (a VIP group's name). */
    public void logPrefix(String prefix) {
        this.logPrefix = prefix;
    }

    /** Stops the thread (after it has finished what it is doing) and closes the sockets. */
    @Override
    public void close() {
        // first: nothing signed before the last heartbeat may follow it
        if (understudy != null) {
            understudy.close();
            HEARTBEAT_TIDS.remove(understudy.tid());
        }
        running = false;
        selector.wakeup();
        if (thread != null && Thread.currentThread() != thread) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        paths.close();
        sweeper.shutdownNow();
        logWriter.shutdown(); // the lines already queued (the last: "Terminating due to signal N") are written
        try {
            logWriter.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Per path name, when its last heartbeat was accepted (monotonic ns, -1: never); on the heartbeat thread. */
    public java.util.Map<String, Long> lastAcceptedByPath() {
        return paths.lastAcceptedByPath();
    }

    public List<Path> paths() {
        return paths.paths();
    }

    /** The partner's lvs.cf as its last signed heartbeat gave it, or null; heartbeat-thread only. */
    public piranha.pulse.config.ConfigStamp partnerConfig() {
        return partnerConfig;
    }

    /** Heartbeat-thread only. */
    public HeartbeatCodec codec() {
        return codec;
    }
}
