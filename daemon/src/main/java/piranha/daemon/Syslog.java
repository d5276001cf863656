package piranha.daemon;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * A datagram socket to the local syslog daemon (/dev/log; journald listens there too), speaking
 * RFC 3164 as syslog(3) does: {@code <PRI>Mmm dd hh:mm:ss ident[pid]: message}. Java has no
 * UNIX datagram sockets, hence libc through JNA.
 *
 * <p>Logging never makes its caller wait (an event loop, a nanny, the data plane holding a
 * service's lock): {@link #send} only queues the line, and one writer thread sends the queue in
 * order with {@code MSG_DONTWAIT}. A syslog daemon that does not keep up holds a line back for at
 * most {@link #PATIENCE_MS} (the writer backs off, it does not spin); past that, and whenever the
 * queue is full, lines are dropped and counted ({@link #dropped}).
 */
final class Syslog implements AutoCloseable {
    static final int FACILITY_DAEMON = 3 << 3;
    /** Lines waiting for the writer at most; more are dropped. */
    static final int QUEUE = 8192;
    /** How long the writer tries to hand one line to a busy syslog daemon. */
    static final long PATIENCE_MS = 1000;
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EAGAIN = 11;
    private static final int ENOBUFS = 105;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen);

        int close(int fd);
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    /** One line: the datagram, and its text for stderr when syslog cannot be reached at all. */
    private record Line(byte[] datagram, String text) {}

    private static final Line STOP = new Line(new byte[0], "");

    private final String ident;
    private final long pid = ProcessHandle.current().pid();
    private final byte[] address;
    private final int fd;
    private final PrintStream fallback;
    private final BlockingQueue<Line> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    Syslog(String ident, String path) throws IOException {
        this(ident, path, System.err);
    }

    Syslog(String ident, String path, PrintStream fallback) throws IOException {
        this.ident = ident;
        this.fallback = fallback;
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length > 107) {
            throw new IOException("syslog socket path too long: " + path);
        }
        address = new byte[2 + p.length + 1];
        address[0] = (byte) AF_UNIX; // sa_family, little-endian on the platforms we run on
        System.arraycopy(p, 0, address, 2, p.length);
        try {
            fd = Holder.LIBC.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IOException("cannot open a syslog socket: " + e.getMessage(), e);
        }
        if (fd < 0) {
            throw new IOException("cannot open a syslog socket (errno " + Native.getLastError() + ")");
        }
        writer = new Thread(this::write, "syslog-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues one message; the text is data, never a format. Never waits: a line that finds the queue full is dropped. */
    void send(int severity, String message) {
        String line = "<" + (FACILITY_DAEMON | severity) + ">" + STAMP.format(LocalDateTime.now()) + " "
                + ident + "[" + pid + "]: " + message;
        if (closed || !queue.offer(new Line(line.getBytes(StandardCharsets.UTF_8), message))) {
            dropped.incrementAndGet();
        }
    }

    /** Lines dropped since start: the queue was full, or the syslog daemon did not take them in time. */
    long dropped() {
        return dropped.get();
    }

    private void write() {
        try {
            for (Line l; (l = queue.take()) != STOP; ) {
                deliver(l);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Line l) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
        long backoffMs = 1;
        while (Holder.LIBC.sendto(fd, l.datagram(), l.datagram().length, MSG_DONTWAIT, address, address.length) < 0) {
            int errno = Native.getLastError();
            if (errno != EAGAIN && errno != ENOBUFS) {
                // nobody listens (no syslog daemon, a test's socket gone): the line is not lost
                fallback.println(l.text());
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                dropped.incrementAndGet();
                return;
            }
            Thread.sleep(backoffMs);
            backoffMs = Math.min(100, backoffMs * 2);
        }
    }

    /** Sends what is queued (for at most a few seconds: the last lines of a daemon that stops), then closes. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (queue.offer(STOP, 1, TimeUnit.SECONDS)) {
                writer.join(3000);
            }
            writer.interrupt();
            writer.join(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Holder.LIBC.close(fd);
    }
}
