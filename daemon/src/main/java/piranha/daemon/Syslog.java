package piranha.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * A datagram socket to the local syslog daemon (/dev/log; journald listens there too), speaking
 * RFC 3164 as syslog(3) does: {@code <PRI>Mmm dd hh:mm:ss ident[pid]: message}. Java has no
 * UNIX datagram sockets, hence the two libc calls through JNA.
 */
final class Syslog implements AutoCloseable {
    static final int FACILITY_DAEMON = 3 << 3;
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen);

        int close(int fd);
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    private final String ident;
    private final long pid = ProcessHandle.current().pid();
    private final byte[] address;
    private final int fd;

    Syslog(String ident, String path) throws IOException {
        this.ident = ident;
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
    }

    /** Sends one message; the text is data, never a format. False when the daemon did not take it. */
    synchronized boolean send(int severity, String message) {
        String line = "<" + (FACILITY_DAEMON | severity) + ">" + STAMP.format(LocalDateTime.now()) + " "
                + ident + "[" + pid + "]: " + message;
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return Holder.LIBC.sendto(fd, b, b.length, 0, address, address.length) >= 0;
    }

    @Override
    public synchronized void close() {
        Holder.LIBC.close(fd);
    }
}
