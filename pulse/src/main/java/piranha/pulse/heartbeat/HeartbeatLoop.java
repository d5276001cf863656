package piranha.pulse.heartbeat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Set;
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

    private List<Path> paths;
    /** When a heartbeat was last accepted on each path (index of {@link #paths}), monotonic ns; -1: never. */
    private long[] lastAcceptedNanos = new long[0];
    /**
     * Per path: silent for deadtime while the partner is heard on another path. Logged once each
     * way and shown in the status; never a failover (the partner is alive).
     */
    private boolean[] pathSilent = new boolean[0];
    /** When the sockets were bound (monotonic ns): a path never heard is silent from then. */
    private long boundNanos;
    private int port;
    private Set<InetAddress> partnerAddresses;
    private HeartbeatCodec codec;
    /** The lvs.cf the partner's signed heartbeats say it runs; null until one said it. */
    private piranha.pulse.config.ConfigStamp partnerConfig;
    private final FailoverMachine machine;
    private final ActionSink sink;
    private volatile boolean sending;
    private volatile long keepaliveNanos;
    private final Selector selector;
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
    private final HeartbeatCounters counters = new HeartbeatCounters();
    private final EnumMap<Rejection, Long> lastRejectLog = new EnumMap<>(Rejection.class);
    private long lastLateLog = Long.MIN_VALUE / 2;
    private volatile boolean running = true;
    private Thread thread;
    /**
     * The heartbeat thread's log lines are written by a thread of their own: a write to a log file can
     * wait for the file system's journal (seconds on a busy disk),
     * a send to /dev/log for a slow syslog daemon, and a lock on the handler for another thread that
     * waits so. Bounded: a flood of lines is dropped rather than queued without end.
     */
    private final ScheduledThreadPoolExecutor sweeper = new ScheduledThreadPoolExecutor(1,
            r -> RealtimeScheduling.thread("rt-sweep", r));
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
        logWriter.prestartAllCoreThreads();
        log(Level.FINEST, "heartbeat log writer ready"); // links log()'s lambda here, not on the heartbeat thread
        transition(false, null); // the same for transition()'s, heard by the no-op listener
        try {
            bind(List.copyOf(paths), port);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void bind(List<Path> newPaths, int newPort) throws IOException {
        try {
            for (Path p : newPaths) {
                DatagramChannel ch = DatagramChannel.open(p.local() instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                channels.add(ch);
                ch.bind(new InetSocketAddress(p.local(), newPort));
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, p);
            }
        } catch (IOException e) {
            closeChannels();
            throw new IOException("cannot bind the heartbeat socket to port " + newPort + " (running as root?): "
                    + e.getMessage(), e);
        }
        paths = newPaths;
        lastAcceptedNanos = new long[newPaths.size()];
        java.util.Arrays.fill(lastAcceptedNanos, -1);
        pathSilent = new boolean[newPaths.size()];
        boundNanos = System.nanoTime();
        port = newPort;
        partnerAddresses = Set.copyOf(newPaths.stream().map(Path::partner).filter(a -> a != null).toList());
    }

    private void closeChannels() {
        for (DatagramChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        channels.clear();
        try {
            selector.selectNow(); // deregisters the closed channels, which releases their ports
        } catch (IOException | java.nio.channels.ClosedSelectorException ignored) {
            // closing
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
            boolean rebound = !(List.copyOf(newPaths).equals(paths) && newPort == port);
            if (rebound) {
                List<Path> oldPaths = paths;
                int oldPort = port;
                closeChannels();
                try {
                    bind(List.copyOf(newPaths), newPort);
                } catch (IOException e) {
                    try {
                        bind(oldPaths, oldPort);
                    } catch (IOException again) {
                        log(Level.SEVERE, "heartbeat: cannot bind the old sockets again: " + again.getMessage());
                    }
                    done.completeExceptionally(e);
                    return;
                }
            }
            if (!newCodec.authenticated()) partnerConfig = null; // only a signed heartbeat says it
            codec = newCodec;
            sending = newSending;
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
        String rt = RealtimeScheduling.applyToCurrentThread(1);
        if (rt != null) log(Level.FINE, "heartbeat thread keeps normal scheduling: " + rt);
        boolean realtime = rt == null;
        WarmUp.run(machine, codec, counters);
        if (realtime) {
            // threads come and go (process reapers, control connections): a thread of its own keeps them all
            // real-time, so the heartbeat thread never walks /proc itself
            sweeper.scheduleWithFixedDelay(() -> RealtimeScheduling.applyToProcess(1), 0, 1, TimeUnit.SECONDS);
        }
        dispatch(machine.handle(new Input.Start()));
        long nextSend = System.nanoTime();
        ByteBuffer in = ByteBuffer.allocate(256);
        while (running) {
            try {
                long now = System.nanoTime();
                if (sending && now - nextSend >= 0) {
                    long late = now - nextSend;
                    send();
                    noteLateness(late, now);
                    nextSend += keepaliveNanos;
                    if (now - nextSend >= 0) nextSend = now + keepaliveNanos; // fell behind: do not burst
                    judgePaths(now);
                }
                if (now - machine.nextDeadlineNanos() >= 0) {
                    // The deadline passed, perhaps only because this thread itself was held up: take in
                    // what the partner sent meanwhile (waiting in the sockets) before judging it dead.
                    if (selector.selectNow() > 0) {
                        for (SelectionKey key : selector.selectedKeys()) receiveAll((DatagramChannel) key.channel(), in);
                        selector.selectedKeys().clear();
                    }
                    if (System.nanoTime() - machine.nextDeadlineNanos() >= 0) dispatch(machine.handle(new Input.Tick()));
                }
                long wake = machine.nextDeadlineNanos();
                if (sending && nextSend - wake < 0) wake = nextSend;
                long waitMs = Math.max(0, (wake - System.nanoTime() + 999_999) / 1_000_000);
                if (mailbox.isEmpty()) {
                    if (waitMs == 0) selector.selectNow();
                    else selector.select(waitMs);
                }
                for (SelectionKey key : selector.selectedKeys()) receiveAll((DatagramChannel) key.channel(), in);
                selector.selectedKeys().clear();
                Runnable r;
                while ((r = mailbox.poll()) != null) r.run();
            } catch (IOException | RuntimeException e) {
                log(Level.SEVERE, "heartbeat loop: " + e);
            }
        }
    }

    private void noteLateness(long lateNanos, long now) {
        // a send more than a quarter of a keepalive (at least 20 ms) behind schedule is worth knowing about
        long threshold = Math.max(20_000_000L, keepaliveNanos / 4);
        if (lateNanos < threshold) return;
        counters.late++;
        counters.maxLateNanos = Math.max(counters.maxLateNanos, lateNanos);
        if (now - lastLateLog >= 1_000_000_000L) {
            lastLateLog = now;
            log(Level.WARNING, "heartbeat sent late by " + lateNanos / 1_000_000 + " ms (keepalive "
                    + keepaliveNanos / 1_000_000 + " ms, " + counters.late + " late so far)");
        }
    }

    /** Our current state on every path; each datagram is encoded separately (own sequence number). */
    private void send() {
        send(machine.active() ? PeerState.RUNNING : PeerState.STOPPED);
    }

    private void send(PeerState state) {
        for (int i = 0; i < channels.size(); i++) {
            Path p = paths.get(i);
            if (p.partner() == null) continue;
            try {
                channels.get(i).send(codec.encode(state), new InetSocketAddress(p.partner(), port));
                counters.sent++;
            } catch (IOException e) {
                counters.sendErrors++;
                if (LOG.isLoggable(Level.FINE)) {
                    log(Level.FINE, "heartbeat to " + p.partner().getHostAddress() + " failed: " + e.getMessage());
                }
            }
        }
    }

    private void receiveAll(DatagramChannel ch, ByteBuffer in) throws IOException {
        for (int i = 0; i < 64; i++) {
            in.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) ch.receive(in);
            } catch (IOException e) {
                // ICMP port unreachable from a partner that is not listening: Piranha ignores it as well
                if (LOG.isLoggable(Level.FINE)) log(Level.FINE, "heartbeat receive: " + e.getMessage());
                continue;
            }
            if (from == null) return;
            in.flip();
            Decoded d;
            if (!partnerAddresses.contains(from.getAddress())) {
                d = Decoded.rejected(Rejection.WRONG_SOURCE);
            } else {
                d = codec.decode(in);
            }
            if (d.isAccepted()) {
                counters.received++;
                int path = channels.indexOf(ch);
                if (path >= 0 && path < lastAcceptedNanos.length) {
                    lastAcceptedNanos[path] = System.nanoTime();
                    if (pathSilent[path]) judgePaths(lastAcceptedNanos[path]);
                }
                if (d.config() != null) partnerConfig = d.config();
                dispatch(machine.handle(new Input.PartnerHeartbeat(d.heartbeat())));
            } else {
                reject(d.rejection(), from);
            }
        }
    }

    /**
     * With two paths (public and private): a path silent for deadtime while the partner is heard on the
     * other is logged once and shown in the status, and logged again when it carries heartbeats again.
     * The partner is dead only when every path is silent (the machine's deadline: any accepted
     * heartbeat feeds it), so one lost path never causes a failover.
     */
    private void judgePaths(long now) {
        if (paths.size() < 2) return;
        long deadtime = machine.settings().deadtime().toNanos();
        int heardOn = -1;
        for (int i = 0; i < paths.size(); i++) {
            if (lastAcceptedNanos[i] >= 0 && now - lastAcceptedNanos[i] < deadtime) heardOn = i;
        }
        for (int i = 0; i < paths.size(); i++) {
            long since = lastAcceptedNanos[i] >= 0 ? lastAcceptedNanos[i] : boundNanos;
            boolean silent = now - since >= deadtime;
            Path p = paths.get(i);
            if (silent && !pathSilent[i] && heardOn >= 0 && p.partner() != null) {
                pathSilent[i] = true;
                log(Level.WARNING, "heartbeat path " + p.name() + " to " + p.partner().getHostAddress()
                        + " silent for deadtime; partner still heard on the " + paths.get(heardOn).name() + " path");
            } else if (!silent && pathSilent[i]) {
                pathSilent[i] = false;
                log(Level.INFO, "heartbeat path " + p.name() + " to " + p.partner().getHostAddress() + " restored");
            }
        }
    }

    /** The paths silent for deadtime while the partner is heard on another; on the heartbeat thread. */
    public List<String> silentPaths() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < paths.size() && i < pathSilent.length; i++) if (pathSilent[i]) out.add(paths.get(i).name());
        return out;
    }

    private void reject(Rejection r, InetSocketAddress from) {
        counters.reject(r);
        if (r == Rejection.IGNORED) return;
        long now = System.nanoTime();
        Long last = lastRejectLog.get(r);
        // one line per reason and 10 s: a flood must not become a log flood
        if (last == null || now - last >= 10_000_000_000L) {
            lastRejectLog.put(r, now);
            Level level = r == Rejection.WRONG_SOURCE ? Level.FINE : Level.WARNING;
            log(level, r.message + " from " + from.getAddress().getHostAddress() + ":" + from.getPort()
                    + " (" + counters.rejected.get(r) + " so far)");
        }
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
        logWriter.execute(() -> LOG.log(level, message));
    }

    /** Stops the thread (after it has finished what it is doing) and closes the sockets. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (thread != null && Thread.currentThread() != thread) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeChannels();
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

    /** Heartbeat-thread only. */
    /** Per path name, when its last heartbeat was accepted (monotonic ns, -1: never); on the heartbeat thread. */
    public java.util.Map<String, Long> lastAcceptedByPath() {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < paths.size() && i < lastAcceptedNanos.length; i++) m.put(paths.get(i).name(), lastAcceptedNanos[i]);
        return m;
    }

    public List<Path> paths() {
        return paths;
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
