package piranha.nanny;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for /dev/log: a UNIX datagram socket bound at a path, receiving what a daemon
 * sends to syslog (Java's own channels have no UNIX datagram sockets, hence libc).
 */
final class SyslogStandIn implements AutoCloseable {
    interface Libc extends Library {
        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] addr, int len);

        long recv(int fd, byte[] buf, long len, int flags);

        int close(int fd);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int MSG_DONTWAIT = 0x40;
    private static final Libc LIBC = Native.load("c", Libc.class);

    final Path path;
    private final int fd;
    final List<String> received = new ArrayList<>();

    SyslogStandIn(Path path) {
        this.path = path;
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        byte[] addr = new byte[2 + p.length + 1];
        addr[0] = AF_UNIX;
        System.arraycopy(p, 0, addr, 2, p.length);
        fd = LIBC.socket(AF_UNIX, SOCK_DGRAM, 0);
        if (fd < 0 || LIBC.bind(fd, addr, addr.length) != 0) {
            throw new IllegalStateException("cannot bind a syslog stand-in at " + path);
        }
    }

    /** Waits for a message whose text (after {@code ident[pid]: }) equals {@code text}; returns its header. */
    String await(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        byte[] buf = new byte[4096];
        while (System.nanoTime() < deadline) {
            long n = LIBC.recv(fd, buf, buf.length, MSG_DONTWAIT);
            if (n <= 0) {
                Thread.sleep(20);
                continue;
            }
            String msg = new String(buf, 0, (int) n, StandardCharsets.UTF_8);
            received.add(msg);
            int colon = msg.indexOf("]: ");
            if (colon > 0 && msg.substring(colon + 3).equals(text)) {
                return msg.substring(0, colon + 1);
            }
        }
        throw new AssertionError("no syslog message '" + text + "' within " + seconds + " s; got " + received);
    }

    @Override
    public void close() throws Exception {
        LIBC.close(fd);
        Files.deleteIfExists(path);
    }
}
