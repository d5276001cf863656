package piranha.daemon.testing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A /dev/log of a test's own: a UNIX datagram socket bound at a path, receiving what a daemon
 * sends to syslog (Java's own channels have no UNIX datagram sockets, hence libc). Shared with the
 * other modules' tests through daemon's test jar.
 */
public final class SyslogStandIn implements AutoCloseable {
    interface LibC extends Library {
        LibC C = Native.load("c", LibC.class);

        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] addr, int len);

        long recv(int fd, byte[] buf, long len, int flags);

        int close(int fd);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int MSG_DONTWAIT = 0x40;

    private final Path path;
    private final int fd;
    private final List<String> received = new ArrayList<>();
    private int examined;

    public SyslogStandIn(Path path) throws IOException {
        this.path = path;
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        byte[] addr = new byte[2 + p.length + 1];
        addr[0] = AF_UNIX;
        System.arraycopy(p, 0, addr, 2, p.length);
        fd = LibC.C.socket(AF_UNIX, SOCK_DGRAM, 0);
        if (fd < 0 || LibC.C.bind(fd, addr, addr.length) != 0) {
            throw new IOException("cannot bind a datagram socket at " + path + " (errno " + Native.getLastError() + ")");
        }
    }

    /** Where the socket is: the value for {@code PIRANHA_DEV_LOG}. */
    public Path path() {
        return path;
    }

    /**
     * Waits for a message not examined yet whose text (after {@code ident[pid]: }) equals
     * {@code text}; returns its header, {@code <PRI>TIMESTAMP ident[pid]}.
     */
    public String await(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        do {
            for (; examined < received.size(); examined++) {
                String msg = received.get(examined);
                int colon = msg.indexOf("]: ");
                if (colon > 0 && msg.substring(colon + 3).equals(text)) {
                    examined++;
                    return msg.substring(0, colon + 1);
                }
            }
        } while (receiveOne(deadline));
        throw new AssertionError("no syslog message '" + text + "' within " + seconds + " s; got " + received);
    }

    /** Every message so far, one per line, once one contains {@code text} or after {@code ms}. */
    public String receiveUntil(String text, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (received.stream().noneMatch(m -> m.contains(text)) && receiveOne(deadline)) {
            // bounded by the deadline
        }
        return String.join("\n", received) + (received.isEmpty() ? "" : "\n");
    }

    /** Receives one message into {@code received}; false once the deadline has passed. */
    private boolean receiveOne(long deadline) throws InterruptedException {
        byte[] buf = new byte[4096];
        while (System.nanoTime() - deadline < 0) {
            long n = LibC.C.recv(fd, buf, buf.length, MSG_DONTWAIT);
            if (n > 0) {
                received.add(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        LibC.C.close(fd);
        Files.deleteIfExists(path);
    }
}
