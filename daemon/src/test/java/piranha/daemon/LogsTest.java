package piranha.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.jna.Library;
import com.sun.jna.Native;

class LogsTest {
    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        LogManager.getLogManager().reset();
    }

    @Test
    void inTheForegroundLinesCarryTheIdentAsPiranhaPrintedThem() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Logs.setUp("pulse", true, false, Logs.DEV_LOG, new PrintStream(out, true, StandardCharsets.UTF_8));
        Logger log = Logger.getLogger("piranha.pulse.Test");
        log.info("STARTING PULSE AS MASTER");
        log.warning("Primary NIC: link down");
        log.fine("not shown without -v");
        log.info("a %s and {0} from the network stay as they are");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "pulse: STARTING PULSE AS MASTER\n"
                        + "pulse: Primary NIC: link down\n"
                        + "pulse: a %s and {0} from the network stay as they are\n");
    }

    @Test
    void verboseLetsDebugThrough() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Logs.setUp("lvsd", true, true, Logs.DEV_LOG, new PrintStream(out, true, StandardCharsets.UTF_8));
        Logger.getLogger("piranha.lvsd.Test").fine("chatter");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("lvsd: chatter\n");
    }

    interface Libc extends Library {
        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] addr, int len);

        long recv(int fd, byte[] buf, long len, int flags);

        int close(int fd);
    }

    @Test
    void inTheBackgroundRecordsGoToSyslogWithTheirSeverity() {
        Libc c = Native.load("c", Libc.class);
        Path sock = dir.resolve("log");
        byte[] p = sock.toString().getBytes(StandardCharsets.UTF_8);
        byte[] addr = new byte[2 + p.length + 1];
        addr[0] = 1;
        System.arraycopy(p, 0, addr, 2, p.length);
        int fd = c.socket(1, 2, 0);
        assertThat(c.bind(fd, addr, addr.length)).isZero();
        try {
            String where = Logs.setUp("nanny", false, false, sock.toString(), System.out);
            assertThat(where).isEqualTo("logging to syslog (" + sock + ")");
            Logger.getLogger("piranha.nanny.Test").log(Level.SEVERE, "[inactive] shutting down 198.51.100.21:80 due to connection failure");
            byte[] buf = new byte[2048];
            long n = c.recv(fd, buf, buf.length, 0);
            String msg = new String(buf, 0, (int) n, StandardCharsets.UTF_8);
            assertThat(msg).startsWith("<27>").matches("<27>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d nanny\\[\\d+\\]: \\[inactive\\] shutting down 198.51.100.21:80 due to connection failure");
        } finally {
            c.close(fd);
        }
    }
}
