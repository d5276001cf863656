package piranha.pulse;

import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/** "pulse: message" lines on stdout (the foreground form of Piranha's syslog lines). */
final class PulseLogging {
    private PulseLogging() {}

    static void setUp(boolean verbose) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        // a StreamHandler of our own: ConsoleHandler.setOutputStream would close System.err
        Handler h = new StreamHandler(new PrintStream(System.out, true), new SimpleFormatter()) {
            @Override
            public synchronized void publish(LogRecord r) {
                super.publish(r);
                flush();
            }
        };
        h.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                String msg = formatMessage(r);
                if (r.getThrown() != null && r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    msg = msg + " (" + r.getThrown() + ")";
                }
                return "pulse: " + msg + System.lineSeparator();
            }
        });
        Level level = verbose ? Level.FINE : Level.INFO;
        h.setLevel(level);
        root.addHandler(h);
        root.setLevel(Level.INFO); // -v is about pulse, not the libraries' internals
        Logger.getLogger("pulse").setLevel(level);
        // Vert.x/Netty chatter is not pulse's
        Logger.getLogger("io").setLevel(Level.WARNING);
    }
}
