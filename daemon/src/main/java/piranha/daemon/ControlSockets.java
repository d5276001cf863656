package piranha.daemon;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where each daemon's control socket is unless a command line says otherwise: one default per
 * daemon, the same for the daemon, pulse (which tells lvsd where to listen), the clients (lvsadm,
 * the configuration tool), the launchers, the service units and the man pages.
 */
public final class ControlSockets {
    private ControlSockets() {}

    public static final String PULSE_DEFAULT = "/run/piranha/pulse.sock";
    public static final String LVSD_DEFAULT = "/run/piranha/lvsd.sock";
    public static final Path PULSE = Path.of(PULSE_DEFAULT);
    public static final Path LVSD = Path.of(LVSD_DEFAULT);

    /**
     * Read by a client before the defaults: a daemon run elsewhere (bin/demo in a checkout records
     * its sockets, bin/lvsadm exports them from there).
     */
    public static final String PULSE_ENV = "PIRANHA_PULSE_SOCKET";
    public static final String LVSD_ENV = "PIRANHA_LVSD_SOCKET";

    /** pulse's socket for a client: $PIRANHA_PULSE_SOCKET, else the default. */
    public static Path pulseForClient(Map<String, String> env) {
        return fromEnv(env, PULSE_ENV, PULSE);
    }

    /** lvsd's socket for a client: $PIRANHA_LVSD_SOCKET, else the default. */
    public static Path lvsdForClient(Map<String, String> env) {
        return fromEnv(env, LVSD_ENV, LVSD);
    }

    private static Path fromEnv(Map<String, String> env, String name, Path dflt) {
        String v = env.get(name);
        return v == null || v.isBlank() ? dflt : Path.of(v);
    }
}
