package piranha.pulse.e2e;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A /dev/log of the test's own: a UNIX datagram socket it binds and reads (Java has none, hence JNA). */
final class SyslogStandIn implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int MSG_DONTWAIT = 0x40;

    interface LibC extends Library {
        LibC C = Native.load("c", LibC.class);

        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] addr, int len);

        long recv(int fd, byte[] buf, long len, int flags);

        int close(int fd);
    }

    final Path path;
    private final int fd;
    private final StringBuilder received = new StringBuilder();

    SyslogStandIn(Path path) throws IOException {
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

    /** Every message so far, one per line, once one contains text or after ms (bounded either way). */
    String receiveUntil(String text, long ms) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        byte[] buf = new byte[4096];
        while (!received.toString().contains(text) && System.nanoTime() - end < 0) {
            long n = LibC.C.recv(fd, buf, buf.length, MSG_DONTWAIT);
            if (n > 0) {
                received.append(new String(buf, 0, (int) n, StandardCharsets.UTF_8)).append('\n');
            } else {
                Thread.sleep(20);
            }
        }
        return received.toString();
    }

    @Override
    public void close() throws IOException {
        LibC.C.close(fd);
        Files.deleteIfExists(path);
    }
}
