package piranha.nanny.cli;

import java.util.logging.Logger;
import piranha.nanny.Nanny;

/**
 * Piranha's operator signals for the standalone command: SIGUSR1 force down, SIGUSR2 force up,
 * SIGHUP back to automatic checking. Where the JVM reserves a signal, that one is not offered.
 */
final class Signals {
    private static final Logger log = Logger.getLogger("piranha.nanny");

    private Signals() {}

    @SuppressWarnings("removal")
    static void install(Nanny nanny) {
        handle("USR1", nanny::forceDown);
        handle("USR2", nanny::forceUp);
        handle("HUP", nanny::auto);
    }

    @SuppressWarnings("removal")
    private static void handle(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                try {
                    action.run();
                } catch (IllegalStateException e) {
                    log.warning(e.getMessage());
                }
            });
        } catch (IllegalArgumentException e) {
            log.fine(() -> "SIG" + name + " is not available: " + e.getMessage());
        }
    }
}
