package piranha.gui;

import java.nio.file.Path;
import java.time.Duration;

import piranha.daemon.ControlSockets;

/**
 * Everything the GUI server needs, resolved from the command line, the settings file and the
 * defaults (in that order of precedence).
 */
public record GuiSettings(Path lvsCf, Path passwdFile, int port, String bind, Path tlsCert, Path tlsKey,
        Path pulseSocket, Path lvsdSocket, Duration idleTimeout, int refreshSeconds) {

    public static final int DEFAULT_PORT = 3636;
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final Path DEFAULT_PULSE_SOCKET = ControlSockets.PULSE;
    public static final Path DEFAULT_LVSD_SOCKET = ControlSockets.LVSD;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);
    /** Piranha's default "Update frequency in seconds". */
    public static final int DEFAULT_REFRESH = 10;

    public boolean tls() {
        return tlsCert != null;
    }
}
