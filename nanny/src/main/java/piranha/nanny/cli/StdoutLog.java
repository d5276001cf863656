package piranha.nanny.cli;

import java.io.PrintStream;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Log lines on stdout for the foreground command, as {@code nanny: message} with -n. */
final class StdoutLog {
    private StdoutLog() {}

    static void setUp(boolean prefixed, boolean verbose) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                root.removeHandler(h);
            }
        }
        Level level = verbose ? Level.FINE : Level.INFO;
        PrintStream out = System.out;
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (isLoggable(r)) {
                    out.println(getFormatter().format(r));
                    out.flush();
                }
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                out.flush();
            }
        };
        h.setLevel(level);
        h.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                String m = r.getMessage();
                return prefixed ? "nanny: " + m : m;
            }
        });
        root.addHandler(h);
        root.setLevel(Level.WARNING);
        Logger.getLogger("piranha").setLevel(level);
    }
}
