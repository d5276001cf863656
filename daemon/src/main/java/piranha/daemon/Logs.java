package piranha.daemon;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Where the daemons' java.util.logging records go: to syslog (facility daemon, ident = the
 * command) when running in the background, or to stdout as {@code ident: message} in the
 * foreground ({@code -n}), as Piranha's daemons did. {@code $PIRANHA_DEV_LOG} names another
 * syslog socket than /dev/log. Messages are printed as they are; a record
 * with parameters is formatted by JUL's MessageFormat only when the code passes parameters, so
 * text from the network or a config file is never read as a format.
 */
public final class Logs {
    /** Where syslog(3) writes. */
    public static final String DEV_LOG = "/dev/log";
    /** Names another syslog socket than /dev/log (a test's, or a chroot's). */
    public static final String DEV_LOG_ENV = "PIRANHA_DEV_LOG";
    /** Where records go now, when that is syslog; for the count of dropped lines. */
    private static volatile Syslog syslog;

    private Logs() {}

    /**
     * Log lines dropped since logging was set up: the syslog daemon did not take them in time, or
     * too many waited for it. 0 when logging to stdout or stderr. The daemons report it in their
     * status (and lvsd in its metrics).
     */
    public static long droppedLines() {
        Syslog s = syslog;
        return s == null ? 0 : s.dropped();
    }

    /**
     * Routes every logger of this JVM. {@code verbose} lets FINE records through.
     *
     * @return a line saying where logs go, for the daemon's first message
     */
    public static String setUp(String ident, boolean foreground, boolean verbose) {
        String devLog = System.getenv(DEV_LOG_ENV);
        return setUp(ident, foreground, verbose, devLog == null || devLog.isBlank() ? DEV_LOG : devLog, System.out);
    }

    static String setUp(String ident, boolean foreground, boolean verbose, String devLog, PrintStream out) {
        LogManager.getLogManager().reset();
        syslog = null;
        Logger root = Logger.getLogger("");
        Level level = verbose ? Level.FINE : Level.INFO;
        root.setLevel(level);
        Handler h;
        String where;
        if (foreground) {
            h = new StreamHandler(ident, out);
            where = "logging to stdout";
        } else if (Files.exists(Path.of(devLog))) {
            try {
                Syslog s = new Syslog(ident, devLog);
                h = new SyslogHandler(s);
                syslog = s;
                where = "logging to syslog (" + devLog + ")";
            } catch (IOException e) {
                h = new StreamHandler(ident, System.err);
                where = "logging to stderr: " + e.getMessage();
            }
        } else {
            h = new StreamHandler(ident, System.err);
            where = "logging to stderr: no " + devLog;
        }
        h.setLevel(level);
        root.addHandler(h);
        // Netty and Vert.x chatter stays at warnings unless asked for.
        Logger.getLogger("io.netty").setLevel(verbose ? Level.FINE : Level.WARNING);
        Logger.getLogger("io.vertx").setLevel(verbose ? Level.FINE : Level.WARNING);
        return where;
    }

    /** The syslog severity of a JUL level. */
    static int severity(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return 3; // err
        } else if (v >= Level.WARNING.intValue()) {
            return 4; // warning
        } else if (v >= Level.INFO.intValue()) {
            return 6; // info
        }
        return 7; // debug
    }

    /** The record's text: its message as is, or formatted when the code supplied parameters. */
    static String text(LogRecord r) {
        String msg = r.getMessage() == null ? "" : r.getMessage();
        if (r.getParameters() != null && r.getParameters().length > 0) {
            msg = new java.util.logging.SimpleFormatter().formatMessage(r);
        }
        if (r.getThrown() != null) {
            msg = msg + ": " + r.getThrown();
        }
        return msg;
    }

    private static final class StreamHandler extends Handler {
        private final String ident;
        private final PrintStream out;

        StreamHandler(String ident, PrintStream out) {
            this.ident = ident;
            this.out = out;
        }

        @Override
        public void publish(LogRecord r) {
            if (isLoggable(r)) {
                // Warnings print bare, so Piranha's key lines (a server "shutting down", "command
                // failed!") read exactly as its daemons printed them; errors are marked.
                String tag = r.getLevel().intValue() >= Level.SEVERE.intValue() ? "error: " : "";
                out.println(ident + ": " + tag + text(r));
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }

    private static final class SyslogHandler extends Handler {
        private final Syslog syslog;

        SyslogHandler(Syslog syslog) {
            this.syslog = syslog;
        }

        /** Queues the line and returns: syslog's own writer thread sends it. */
        @Override
        public void publish(LogRecord r) {
            if (isLoggable(r)) {
                syslog.send(severity(r.getLevel()), text(r));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            syslog.close();
        }
    }
}
