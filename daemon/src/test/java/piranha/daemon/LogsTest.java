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

import piranha.daemon.testing.SyslogStandIn;

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

    @Test
    void inTheBackgroundRecordsGoToSyslogWithTheirSeverity() throws Exception {
        try (SyslogStandIn syslog = new SyslogStandIn(dir.resolve("log"))) {
            String where = Logs.setUp("nanny", false, false, syslog.path().toString(), System.out);
            assertThat(where).isEqualTo("logging to syslog (" + syslog.path() + ")");
            Logger.getLogger("piranha.nanny.Test").log(Level.SEVERE, "[inactive] shutting down 198.51.100.21:80 due to connection failure");
            String header = syslog.await("[inactive] shutting down 198.51.100.21:80 due to connection failure", 5);
            // facility daemon (3), severity err (3): <27>; the timestamp and ident as syslog(3) writes them
            assertThat(header).matches("<27>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d nanny\\[\\d+\\]");
        }
    }

    @Test
    void aSyslogThatReadsNothingNeverHoldsUpTheLoggingThreadAndItsDropsAreCounted() throws Exception {
        try (SyslogStandIn syslog = new SyslogStandIn(dir.resolve("log"))) {
            // The stand-in reads only when asked: its socket's queue fills, as a stalled syslog daemon's does.
            Logs.setUp("lvsd", false, false, syslog.path().toString(), System.out);
            Logger log = Logger.getLogger("piranha.lvsd.Test");
            long t0 = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                log.info("line " + i);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // a blocking send would wait here for good; generous for a loaded machine
            assertThat(ms).as("20,000 lines queued or dropped").isLessThan(15_000);
            assertThat(Logs.droppedLines()).isPositive();
            assertThat(syslog.await("line 0", 5)).contains("lvsd[");
            LogManager.getLogManager().reset(); // while the socket is there: the lines left are dropped, not printed
        }
    }
}
